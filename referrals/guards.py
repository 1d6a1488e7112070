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
