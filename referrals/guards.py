"""Guards and permissions of the phase transitions.

Each guard is a predicate on the case with a Dutch `reason`: the text a user sees when the guard
does not hold yet ("why not yet"). Guards read related rows through the accessors that the case
selector prefetches, so explaining all transitions costs no extra queries.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from accounts.roles import Role


def guard(reason: str):
    def decorate(fn):
        fn.reason = reason
        return fn

    return decorate


def related(case, name):
    """A reverse one-to-one row, or None."""
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def _is_toegang_route(case) -> bool:
    return case.route == "toegang"


@guard("Vul de gegevens van de jeugdige, de verwijsroute, de verwijzer en de gemeente volledig in.")
def gegevens_compleet(case) -> bool:
    return bool(case.jeugdige_id and case.gemeente_id and case.route and case.verwijzer_naam)


@guard("De jeugdige is 18 jaar of ouder: segment 1 jeugdhulp kan alleen voor jongeren onder de 18 worden aangevraagd.")
def jonger_dan_18(case) -> bool:
    return case.jeugdige.age_on(timezone.localdate()) < 18


@guard("Voeg het IPVA toe: vul de analyse op alle vijf leefgebieden in of voeg het IPVA-document toe.")
def ipva_aanwezig(case) -> bool:
    if not _is_toegang_route(case):
        return True
    ipva = related(case, "ipva")
    if ipva is not None and ipva.complete:
        return True
    return any(d.kind == "ipva" for d in case.documents.all())


@guard("Leg eerst het telefonisch overleg met het aanmeldpunt van Crossroads vast.")
def telefonisch_overleg_vastgelegd(case) -> bool:
    return not _is_toegang_route(case) or bool(case.phone_consultations.all())


@guard("Het aanmeldgesprek is nog niet gehouden.")
def aanmeldgesprek_gehouden(case) -> bool:
    gesprek = related(case, "aanmeldgesprek")
    return gesprek is not None and gesprek.gehouden_op is not None


@guard("Het advies van de aanmeldtafel (segment 1 nodig, regievoerder, hulpvorm) is nog niet vastgelegd.")
def advies_segment1(case) -> bool:
    advies = related(case, "aanmeldtafel_advies")
    return advies is not None and advies.segment1_nodig


@guard(
    "Bij een verwijzing uit het medisch domein of een overgangscliënt moet eerst, na toestemming, "
    "coördinatie bij de Toegang zijn aangevraagd."
)
def coordinatie_aangevraagd(case) -> bool:
    return case.route not in ("medisch_domein", "overgangsclient") or case.coordinatie_aangevraagd_op is not None


@guard(
    "Terugverwijzen kan alleen als de aanmeldtafel adviseert dat segment 1 niet passend is, "
    "met het geadviseerde segment."
)
def advies_niet_segment1(case) -> bool:
    advies = related(case, "aanmeldtafel_advies")
    return advies is not None and not advies.segment1_nodig


@guard("Leg vast wanneer de verwijzer over het advies is geraadpleegd.")
def verwijzer_geraadpleegd(case) -> bool:
    advies = related(case, "aanmeldtafel_advies")
    return advies is not None and advies.verwijzer_geraadpleegd_op is not None


def may_aanmelden(case, user) -> bool:
    """The Toegang submits its own referrals; the aanmeldpunt registers those of the other routes."""
    if not user.has_perm("referrals.aanmelden"):
        return False
    if _is_toegang_route(case):
        return user.role == Role.TOEGANG_MEDEWERKER
    return user.role == Role.AANMELDPUNT


may_aanmelden.reason = "Bij de route Toegang meldt de Toegang aan; bij andere routes het aanmeldpunt."


def may_voortijdig_beeindigen(case, user) -> bool:
    if not user.has_perm("referrals.voortijdig_beeindigen"):
        return False
    if user.role == Role.REGIEVOERDER:
        return case.regie_organisatie_id is not None and case.regie_organisatie_id == user.organisation_id
    return True


may_voortijdig_beeindigen.reason = "Alleen de regievoerder of het aanmeldpunt kan een casus voortijdig beëindigen."


# --- Who acts on the case (people, with substitutes) -------------------------------------------------


def _substitutes(case, role: str) -> set[int]:
    """Users standing in for the holder of `role` today (from the prefetched substitutions)."""
    today = timezone.localdate()
    return {s.substitute_id for s in case.substitutions.all() if s.role == role and s.covers(today)}


def is_coordinator(case, user) -> bool:
    """The case's coördinator, or whoever stands in for them today."""
    if not user.is_authenticated or not user.role:
        return False
    return (case.coordinator_id is not None and user.pk == case.coordinator_id) or user.pk in _substitutes(
        case, "coordinator"
    )


def is_regievoerder(case, user) -> bool:
    """A regievoerder of the organisation that holds regie (colleagues stand in for each other), or the
    named substitute."""
    if not user.is_authenticated or not user.role:
        return False
    regie = case.regie_organisatie_id
    if user.role == Role.REGIEVOERDER and regie and user.organisation_id == regie:
        return True
    return user.pk in _substitutes(case, "regievoerder")


# --- Hulpverlenende fase, crisis and afronding --------------------------------------------------------


def open_crisis(case):
    """The crisis not yet closed, from the prefetched crises."""
    return next((c for c in case.crises.all() if c.afgesloten_op is None), None)


@guard(
    "Leg eerst het Perspectiefplan Crisis vast, opgesteld met het CIT, de jeugdige, de crisisaanbieder en de "
    "regievoerder."
)
def perspectiefplan_crisis_vastgelegd(case) -> bool:
    crisis = open_crisis(case)
    return crisis is not None and crisis.plan_complete


@guard("De start van de jeugdhulp is nog niet vastgelegd.")
def zorg_gestart(case) -> bool:
    return case.zorg_gestart_op is not None


@guard("De regievoerder heeft nog niet vastgelegd dat de resultaten zijn bereikt.")
def resultaten_bereikt_regievoerder(case) -> bool:
    return case.resultaten_bereikt_regievoerder_op is not None


@guard("De coördinator heeft nog niet vastgelegd dat de resultaten zijn bereikt.")
def resultaten_bereikt_coordinator(case) -> bool:
    # Without a coördinator on the case (e.g. a GI referral without coordination) the regievoerder decides alone.
    return case.coordinator_id is None or case.resultaten_bereikt_coordinator_op is not None


@guard(
    "Leg de eindevaluatie vast: gehouden met de jeugdige en de verwijzer, en met de coördinator als de casus "
    "er een heeft."
)
def eindevaluatie_vastgelegd(case) -> bool:
    evaluatie = related(case, "eindevaluatie")
    if evaluatie is None or not (evaluatie.jeugdige_aanwezig and evaluatie.verwijzer_aanwezig):
        return False
    return case.coordinator_id is None or evaluatie.coordinator_aanwezig


@guard("Spreek de einddatum af met de coördinator en leg die vast.")
def einddatum_afgesproken(case) -> bool:
    return case.einddatum is not None


@guard(
    "Leg vast of de zorg doorgaat in een ander segment: dan is een FOA nodig, of het gezamenlijke besluit dat "
    "er geen FOA nodig is."
)
def vervolg_vastgelegd(case) -> bool:
    return related(case, "vervolg") is not None


def may_crisis_melden(case, user) -> bool:
    """Anyone working on the case: its regievoerder, its coördinator, the verwijzer, the aanmeldpunt."""
    if not user.has_perm("referrals.crisis_melden"):
        return False
    return (
        is_regievoerder(case, user)
        or is_coordinator(case, user)
        or user.role == Role.AANMELDPUNT
        or (case.verwijzer_user_id is not None and user.pk == case.verwijzer_user_id)
    )


may_crisis_melden.reason = "Alleen wie bij de casus betrokken is (regievoerder, coördinator, verwijzer of aanmeldpunt)."


def may_act_as_coordinator(case, user) -> bool:
    return user.has_perm("referrals.crisis_afsluiten") and is_coordinator(case, user)


may_act_as_coordinator.reason = "Alleen de coördinator van deze casus (of diens vervanger)."


def may_act_as_regievoerder(case, user) -> bool:
    return user.has_perm("referrals.afronding_starten") and is_regievoerder(case, user)


may_act_as_regievoerder.reason = "Alleen de regievoerder van deze casus (of diens vervanger)."


NO_ROLE = "U heeft hiervoor niet de juiste rol."


def role_reason(transition) -> str:
    """Why someone without a transition's permission may not take it (Dutch): the transition's own
    custom "role_reason" where its permission is a plain string, else the permission guard's reason."""
    return transition.custom.get("role_reason") or getattr(transition.permission, "reason", NO_ROLE)
