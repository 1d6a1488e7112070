"""Guards and permissions of the coordination level machine (DOMAIN.md section 5).

A guard is a predicate on the `Coordination` with a Dutch `reason` ("why not yet"). Guards read the case and
its related rows through the accessors that `selectors.coordination_panel` prefetches, so explaining every
transition costs no extra queries. A permission callable answers whether this user may fire the transition
on this case; its `reason` says who may.
"""

from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from accounts.roles import Role
from referrals.guards import is_coordinator, is_regievoerder
from referrals.models import OPEN_PHASES

SAFE_MONTHS = 6  # structural safety before coördinatie zwaar closes or scales down [HvB-WI 2.2.2, 3]
MEDICAL_ROUTES = ("medisch_domein", "overgangsclient")


def guard(reason: str):
    def decorate(fn):
        fn.reason = reason
        return fn

    return decorate


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the last day of the month where that day does not exist)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def safe_long_enough(since: date | None, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return since is not None and since <= months_before(today, SAFE_MONTHS)


def active_consent(case, subject: str):
    """The consent for `subject` that holds now (from the prefetched consents), or None."""
    return next((c for c in case.consents.all() if c.subject == subject and c.withdrawn_on is None), None)


def _eindevaluatie(case):
    try:
        return case.eindevaluatie
    except ObjectDoesNotExist:
        return None


# --- Conditions ----------------------------------------------------------------------------------------


@guard("De casus is niet open: coördinatie kan alleen bij een lopende casus (aangemeld tot en met afronding).")
def casus_open(coordination) -> bool:
    return coordination.case.phase in OPEN_PHASES


@guard("Bij de route Toegang is de verwijzer al coördinator; aanvragen is alleen voor de andere routes.")
def niet_route_toegang(coordination) -> bool:
    return coordination.case.route != "toegang"


@guard("Alleen bij de route Toegang wordt de verwijzer standaard coördinator licht.")
def route_toegang(coordination) -> bool:
    return coordination.case.route == "toegang"


@guard(
    "Leg eerst de toestemming vast om coördinatie bij de Toegang aan te vragen "
    "(onder de 12 van de ouders, van 12 tot 16 van ouders én jeugdige, vanaf 16 van de jeugdige)."
)
def toestemming_coordinatie(coordination) -> bool:
    return active_consent(coordination.case, "coordinatie") is not None


@guard("Wijs eerst een coördinator toe: een medewerker van de Toegang van de gemeente.")
def coordinator_toegewezen(coordination) -> bool:
    return coordination.case.coordinator_id is not None


@guard("Het niveau is al gezamenlijk besloten; wijzig het met opschalen of afschalen.")
def niveau_nog_niet_besloten(coordination) -> bool:
    return coordination.besloten_op is None


@guard("De coördinator was nog niet aanwezig bij een vastgelegde eindevaluatie.")
def coordinator_bij_eindevaluatie(coordination) -> bool:
    evaluatie = _eindevaluatie(coordination.case)
    return evaluatie is not None and evaluatie.coordinator_aanwezig


@guard(
    "Coördinatie zwaar sluit pas af na 6 maanden aaneengesloten structurele veiligheid: "
    "vul in sinds wanneer de situatie structureel veilig is."
)
def zwaar_zes_maanden_veilig(coordination) -> bool:
    return coordination.level != "zwaar" or safe_long_enough(coordination.veilig_sinds)


# Guards the transition's own form can satisfy (the request form records the consent; the closing form asks
# since when the situation is safe, and the service sets it before it checks): the panel does not block the
# button on them while nothing is stored yet.
toestemming_coordinatie.from_form = lambda coordination: True
zwaar_zes_maanden_veilig.from_form = lambda coordination: coordination.veilig_sinds is None


# Once the level has been decided jointly, vaststellen never comes back: the panel does not offer it.
niveau_nog_niet_besloten.permanent = True


def form_supplies(condition, coordination) -> bool:
    check = getattr(condition, "from_form", None)
    return check is not None and check(coordination)


# --- Permissions -----------------------------------------------------------------------------------------


def _of_gemeente(case, user) -> bool:
    """A Toegang worker or gedragswetenschapper of the case's gemeente."""
    org = user.organisation
    return org is not None and org.own_gemeente is not None and org.own_gemeente.pk == case.gemeente_id


def may_aanvragen(coordination, user) -> bool:
    case = coordination.case
    if not user.role or not user.has_perm("coordination.aanvragen"):
        return False
    return user.role == Role.AANMELDPUNT or is_regievoerder(case, user)


may_aanvragen.reason = "Alleen het aanmeldpunt of de regievoerder vraagt coördinatie aan bij de Toegang."


def is_verwijzer(coordination, user) -> bool:
    return bool(user.role) and user.pk == coordination.case.verwijzer_user_id


is_verwijzer.reason = "Alleen de verwijzer van de Toegang wordt standaard coördinator licht."


def may_vaststellen(coordination, user) -> bool:
    if not user.role or not user.has_perm("coordination.vaststellen"):
        return False
    return _of_gemeente(coordination.case, user) or is_coordinator(coordination.case, user)


may_vaststellen.reason = (
    "Alleen de Toegang van de gemeente (medewerker of gedragswetenschapper) stelt het niveau vast, "
    "samen met de gedragswetenschapper en Crossroads."
)


def may_toewijzen(case, user) -> bool:
    if not user.role or not user.has_perm("coordination.toewijzen"):
        return False
    return _of_gemeente(case, user)


may_toewijzen.reason = "Alleen de Toegang van de gemeente van de jeugdige wijst de coördinator toe."


def _coordinator_may(perm: str):
    def check(coordination, user) -> bool:
        return bool(user.role) and user.has_perm(perm) and is_coordinator(coordination.case, user)

    return check


may_opschalen = _coordinator_may("coordination.opschalen")
may_opschalen.reason = (
    "Alleen de coördinator (of de vervanger) legt het besluit vast, genomen samen met de "
    "gedragswetenschapper en de regievoerder."
)
may_afschalen = _coordinator_may("coordination.afschalen")
may_afschalen.reason = may_opschalen.reason
may_afsluiten = _coordinator_may("coordination.afsluiten")
may_afsluiten.reason = "Alleen de coördinator (of de vervanger) sluit de coördinatie af."


def on_case(case, user) -> bool:
    """Someone who talks with the family on this case: the Toegang of its gemeente (or its verwijzer or
    coördinator), the aanmeldpunt, or the regievoerder."""
    if not user.role:
        return False
    if user.role == Role.AANMELDPUNT:
        return True
    if user.role in (Role.TOEGANG_MEDEWERKER, Role.GEDRAGSWETENSCHAPPER):
        return _of_gemeente(case, user) or user.pk in (case.verwijzer_user_id, case.coordinator_id)
    return is_regievoerder(case, user) or is_coordinator(case, user)


def may_record_consent(case, user) -> bool:
    return bool(user.role) and user.has_perm("coordination.record_consent") and on_case(case, user)


may_record_consent.reason = (
    "Alleen wie met het gezin werkt aan deze casus (Toegang, aanmeldpunt, regievoerder) legt toestemming vast."
)


def may_share(case, user, subject: str) -> bool:
    """The Toegang shares the IPVA with the regievoerder; Crossroads the WAT-brief and adviesverslag with the
    coördinator [HvB-QA 9]."""
    if not user.role or not user.has_perm("coordination.delen"):
        return False
    if subject == "ipva_delen":
        return user.role == Role.TOEGANG_MEDEWERKER and on_case(case, user)
    if subject == "wat_advies_delen":
        return user.role == Role.AANMELDPUNT or is_regievoerder(case, user)
    return False


def may_escalate(case, user) -> bool:
    """The coördinator and the regievoerder (with their substitutes), and the aanmeldpunt."""
    if not user.role or not user.has_perm("coordination.escaleren"):
        return False
    return user.role == Role.AANMELDPUNT or is_coordinator(case, user) or is_regievoerder(case, user)


may_escalate.reason = "Alleen de coördinator, de regievoerder of het aanmeldpunt escaleert."
