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


# Routes whose referrals need coordination by the Toegang requested before care starts (ADR 0003).
COORDINATION_ROUTES = ("medisch_domein", "overgangsclient")


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
    return case.route not in COORDINATION_ROUTES or case.coordinatie_aangevraagd_op is not None


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


def may_lead_crisis(case, user) -> bool:
    """Who records the Perspectiefplan Crisis and closes the crisis [HvB-WI 4]: the coördinator (or a
    substitute). A case without coördinator (GI, LTA) would otherwise stay in crisis: there the regievoerder
    who leads the care (or a substitute) or Crossroads' aanmeldpunt does it (ADR 0017)."""
    if case.coordinator_id is not None:
        return user.has_perm("referrals.crisis_afsluiten") and is_coordinator(case, user)
    return user.has_perm("referrals.crisis_melden") and (is_regievoerder(case, user) or user.role == Role.AANMELDPUNT)


may_lead_crisis.reason = (
    "Alleen de coördinator van deze casus (of diens vervanger); heeft de casus geen coördinator, dan de "
    "regievoerder of het aanmeldpunt."
)


def may_act_as_regievoerder(case, user) -> bool:
    return user.has_perm("referrals.afronding_starten") and is_regievoerder(case, user)


may_act_as_regievoerder.reason = "Alleen de regievoerder van deze casus (of diens vervanger)."


NO_ROLE = "U heeft hiervoor niet de juiste rol."


def role_reason(transition) -> str:
    """Why someone without a transition's permission may not take it (Dutch): the transition's own
    custom "role_reason" where its permission is a plain string, else the permission guard's reason."""
    return transition.custom.get("role_reason") or getattr(transition.permission, "reason", NO_ROLE)


# --- What the case page offers (pure rules on the case and the user, no request) ---------------------

# Phases by value: the models import the guards, so the guards cannot import Phase.
INTAKE_PHASES = ("concept", "aanmeld")
CARE_PHASES = ("hulpverlenend", "crisis", "afrondend")
CLOSED_PHASES = ("afgesloten", "terugverwezen")
# The Perspectiefplan 18-/18+ starts at 16 and is finished at 17.5 [HvB-QA 3]; it can be prepared from 15.
PERSPECTIEFPLAN_FROM_AGE = 15


def coordination_can_be_requested(case) -> bool:
    """A referral from the medisch domein or of an overgangscliënt in the aanmeldfase, whose coordination by
    the Toegang is not yet requested."""
    return case.phase == "aanmeld" and case.route in COORDINATION_ROUTES and case.coordinatie_aangevraagd_op is None


def may_request_coordination(case, user) -> bool:
    return user.role == Role.AANMELDPUNT and coordination_can_be_requested(case)


def may_edit_ipva(case, user) -> bool:
    return user.has_perm("referrals.edit_ipva") and case.phase in INTAKE_PHASES


def may_record_phone_consultation(case, user) -> bool:
    return user.has_perm("referrals.record_phone_consultation") and case.phase in INTAKE_PHASES


# On a closed case only the light help that continues may still be documented [HvB-WI 2.1]: its evaluation
# and the FOA for what must continue longer than 3 months.
LICHTE_HULP_DOCUMENT_KINDS = ("foa", "evaluatie")


def lichte_hulp_loopt(case) -> bool:
    """The case is closed and its light help continues, not yet recorded as stopped."""
    vervolg = related(case, "vervolg")
    return case.phase == "afgesloten" and vervolg is not None and vervolg.lichte_hulp_loopt


def may_record_lichte_hulp(case, user) -> bool:
    """The regievoerder records the light help after closing: its documents and its end."""
    return lichte_hulp_loopt(case) and may_record_as_regievoerder(case, user)


def document_kinds_allowed(case, user) -> tuple[str, ...] | None:
    """Which kinds of document `user` may add to `case`: None for every kind, () for none."""
    if not user.has_perm("referrals.upload_document"):
        return ()
    if case.phase not in CLOSED_PHASES:
        return None
    return LICHTE_HULP_DOCUMENT_KINDS if may_record_lichte_hulp(case, user) else ()


# Reports of what was recorded, still made and kept after closing: the eindevaluatie's verslag and the
# dossieroverzicht for a handover (after a move the handover follows the ending) [ZOU Beëindiging].
LETTERS_AFTER_CLOSING = ("eindevaluatie", "dossieroverzicht")


def letter_storing_refusal(case, kind: str) -> str:
    """Why a letter of `kind` can no longer be kept with `case` (Dutch), or ""."""
    if case.phase in CLOSED_PHASES and kind not in LETTERS_AFTER_CLOSING:
        return (
            f"Deze casus is {case.get_phase_display().lower()}: u kunt deze brief nog bekijken, maar niet meer "
            "bij de casus bewaren."
        )
    return ""


def may_upload_document(case, user) -> bool:
    return document_kinds_allowed(case, user) != ()


def may_plan_aanmeldgesprek(case, user) -> bool:
    return user.has_perm("referrals.plan_aanmeldgesprek") and case.phase == "aanmeld"


def may_record_aanmeldgesprek(case, user) -> bool:
    return user.has_perm("referrals.record_aanmeldgesprek") and case.phase == "aanmeld"


def may_record_advies(case, user) -> bool:
    return (
        user.has_perm("referrals.record_aanmeldtafel_advies")
        and case.phase == "aanmeld"
        and aanmeldgesprek_gehouden(case)
    )


def may_record_overbrugging(case, user) -> bool:
    """While the youth waits for the start of care: the aanmeldpunt (it watches the wait), the Toegang of the
    case and the regievoerende organisation record the overbruggingszorg that is arranged."""
    if case.phase not in ("aanmeld", "hulpverlenend", "crisis") or case.zorg_gestart_op is not None:
        return False
    if not user.has_perm("referrals.upload_document"):
        return False
    if user.role == Role.REGIEVOERDER:
        return case.regie_organisatie_id is not None and user.organisation_id == case.regie_organisatie_id
    return user.role in (Role.AANMELDPUNT, Role.TOEGANG_MEDEWERKER)


MELDCODE_ROLES = (Role.TOEGANG_MEDEWERKER, Role.AANMELDPUNT, Role.REGIEVOERDER)


def may_see_meldcode(case, user) -> bool:
    """The meldcode steps are for the professionals who work on the case, not for backoffice or managers."""
    return user.role in MELDCODE_ROLES and case.phase != "concept"


def may_record_meldcode(case, user) -> bool:
    """A professional on the open case records a consultation of Veilig Thuis, a melding or a zorgmelding."""
    if not case.is_open or not user.has_perm("referrals.upload_document") or user.role not in MELDCODE_ROLES:
        return False
    return user.role != Role.REGIEVOERDER or is_regievoerder(case, user)


def may_record_zorg_gestart(case, user) -> bool:
    """The regievoerende organisation records the start of care, once."""
    return (
        user.has_perm("referrals.record_zorg_gestart")
        and case.regie_organisatie_id == user.organisation_id
        and case.phase in ("hulpverlenend", "crisis")
        and case.zorg_gestart_op is None
    )


def may_see_full_bsn(case, user) -> bool:
    return user.has_perm("referrals.view_full_bsn") and bool(getattr(case, "identity_visible", False))


def may_record_as_regievoerder(case, user) -> bool:
    """The regievoerder of the case (or a substitute) with the right to record care, in any phase."""
    return user.has_perm("referrals.record_care") and is_regievoerder(case, user)


def may_record_care(case, user) -> bool:
    """Behandelplan, evaluations and signals: the regievoerder, during care."""
    return case.phase in CARE_PHASES and may_record_as_regievoerder(case, user)


def may_assign_regievoerder(case, user) -> bool:
    """During care: the aanmeldpunt, or the regievoerende organisation itself."""
    return (
        case.phase in CARE_PHASES
        and user.has_perm("referrals.assign_regievoerder")
        and (user.role == Role.AANMELDPUNT or user.organisation_id == case.regie_organisatie_id)
    )


def may_record_substitution(case, user) -> bool:
    """A substitute for the coördinator or the regievoerder, on an open case that has one of them."""
    return (
        case.is_open
        and user.has_perm("referrals.record_substitution")
        and (
            may_record_as_regievoerder(case, user)
            or is_coordinator(case, user)
            or user.role in (Role.AANMELDPUNT, Role.TOEGANG_MEDEWERKER)
        )
        and bool(case.regievoerder_id or case.coordinator_id)
    )


def may_record_resultaten_bereikt(case, user) -> bool:
    """The regievoerder and the coördinator each still have to record that the results are reached."""
    if case.phase != "hulpverlenend" or case.zorg_gestart_op is None:
        return False
    return (may_record_as_regievoerder(case, user) and case.resultaten_bereikt_regievoerder_op is None) or (
        is_coordinator(case, user) and case.resultaten_bereikt_coordinator_op is None
    )


def may_record_perspectiefplan_crisis(case, user) -> bool:
    return case.phase == "crisis" and may_lead_crisis(case, user)


def may_record_afronding(case, user) -> bool:
    """Eindevaluatie and vervolg: the regievoerder, in the afrondende fase."""
    return case.phase == "afrondend" and may_record_as_regievoerder(case, user)


def may_record_einddatum(case, user) -> bool:
    return case.phase == "afrondend" and (may_record_as_regievoerder(case, user) or is_coordinator(case, user))


def ipva_hidden(case, user) -> bool:
    """The regievoerder sees the IPVA only with the family's consent to share it."""
    return user.role == Role.REGIEVOERDER and not case.ipva_delen_toegestaan


def no_beschikking_reason(case) -> str:
    """Why this case gets no beschikking at all [HvB-STAP], or ""."""
    if case.route == "gi":
        return "Op de GI-route is de bepaling van de GI de basis: er wordt geen beschikking afgegeven."
    advies = related(case, "aanmeldtafel_advies")
    if advies is not None and advies.hulpvorm == "behandelverblijf_gesloten":
        return "Gesloten behandelverblijf is Jeugdzorgplus: daarvoor wordt geen beschikking afgegeven."
    return ""


def may_record_beschikking(case, user) -> bool:
    """Once per case, during care: segment 1 knows no herindicatie; not where there is no beschikking."""
    return (
        case.phase in CARE_PHASES
        and user.has_perm("referrals.record_beschikking")
        and related(case, "beschikking") is None
        and not no_beschikking_reason(case)
    )


def may_save_perspectiefplan(case, user) -> bool:
    """The regievoerder prepares the Perspectiefplan 18-/18+ from PERSPECTIEFPLAN_FROM_AGE until it is
    finished."""
    return (
        case.phase in CARE_PHASES
        and may_record_as_regievoerder(case, user)
        and case.jeugdige.age_on(timezone.localdate()) >= PERSPECTIEFPLAN_FROM_AGE
        and getattr(related(case, "perspectiefplan"), "gereed_op", None) is None
    )


# --- The bepaling of a GI [HvB-STAP] ---------------------------------------------------------------

# Care a GI decides under a child protection measure stops at 18; under jeugdreclassering at 23 [HvB-STAP].
GI_BEPALING_AGE_LIMIT = {"jeugdreclassering": 23}
GI_BEPALING_AGE_DEFAULT = 18


def gi_bepaling_age_limit(kind: str) -> int:
    return GI_BEPALING_AGE_LIMIT.get(kind, GI_BEPALING_AGE_DEFAULT)


def gi_bepaling_last_day(case, kind: str):
    """The day the care a GI decides stops at the latest: the 18th birthday (jeugdreclassering: the 23rd)
    [HvB-STAP], with the birthday of one born on 29 February on 1 March, as Jeugdige.age_on counts it."""
    limit = gi_bepaling_age_limit(kind)
    born = case.jeugdige.geboortedatum
    try:
        return born.replace(year=born.year + limit)
    except ValueError:
        return born.replace(year=born.year + limit, month=3, day=1)


def gi_bepaling_age_refusal(case, kind: str, bepaald_op) -> str:
    """Why a GI cannot decide this care on that date, in Dutch; '' when it can. A GI gives no bepaling once
    the youth is 18, except under jeugdreclassering, which runs up to 23 [HvB-STAP]."""
    limit = gi_bepaling_age_limit(kind)
    age = case.jeugdige.age_on(bepaald_op)
    if age < limit:
        return ""
    if limit == GI_BEPALING_AGE_DEFAULT:
        return (
            f"De jeugdige is op de datum van de bepaling {age} jaar. Een GI geeft geen bepaling jeugdhulp af "
            "nadat de jeugdige 18 is geworden (behalve bij jeugdreclassering, tot 23 jaar)."
        )
    return f"De jeugdige is op de datum van de bepaling {age} jaar. Jeugdreclassering loopt tot 23 jaar."


def may_record_gi_bepaling(case, user) -> bool:
    """The aanmeldpunt (who receives the bepaling) or the backoffice of the gemeente, on a GI case that
    is not closed."""
    return user.has_perm("referrals.record_gi_bepaling") and case.route == "gi" and case.phase not in CLOSED_PHASES


def may_correct_jeugdige(case, user) -> bool:
    """Correct the youth's data on a case that has not ended: the aanmeldpunt, and the Toegang of the case's
    gemeente (or the verwijzer). A geheim-BSN youth only for who may see who it is."""
    if not user.is_authenticated or not user.has_perm("referrals.correct_jeugdige") or not user.role:
        return False
    if case.phase in CLOSED_PHASES:
        return False
    if user.role == Role.TOEGANG_MEDEWERKER:
        gemeente = getattr(user.organisation, "own_gemeente_id", None)
        if case.gemeente_id != gemeente and case.verwijzer_user_id != user.pk:
            return False
    elif user.role != Role.AANMELDPUNT:
        return False
    return bool(getattr(case, "identity_visible", True))


def case_page_permissions(case, user) -> dict[str, bool]:
    """What the case page offers `user` on `case`: one entry per block or button (the template's `can`)."""
    return {
        "ipva": may_edit_ipva(case, user),
        "phone": may_record_phone_consultation(case, user),
        "upload": may_upload_document(case, user),
        "plan": may_plan_aanmeldgesprek(case, user),
        "held": may_record_aanmeldgesprek(case, user),
        "advies": may_record_advies(case, user),
        "coordination": may_request_coordination(case, user),
        "zorg": may_record_zorg_gestart(case, user),
        "full_bsn": may_see_full_bsn(case, user),
        "care": may_record_care(case, user),
        "coordinator": is_coordinator(case, user),
        "assign_regievoerder": may_assign_regievoerder(case, user),
        "substitution": may_record_substitution(case, user),
        "results": may_record_resultaten_bereikt(case, user),
        "pp_crisis": may_record_perspectiefplan_crisis(case, user),
        "afronding": may_record_afronding(case, user),
        "einddatum": may_record_einddatum(case, user),
        "ipva_hidden": ipva_hidden(case, user),
        "beschikking": may_record_beschikking(case, user),
        "perspectiefplan": may_save_perspectiefplan(case, user),
        "lichte_hulp": may_record_lichte_hulp(case, user),
        "gi_bepaling": may_record_gi_bepaling(case, user),
        "correct_jeugdige": may_correct_jeugdige(case, user),
        "overbrugging": may_record_overbrugging(case, user),
        "meldcode": may_record_meldcode(case, user),
        "meldcode_zien": may_see_meldcode(case, user),
    }
