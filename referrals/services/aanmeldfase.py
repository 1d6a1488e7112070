"""The aanmeldfase (aanmeldpunt): aanmelden, the aanmeldgesprek, the advice of the aanmeldtafel, the
coordination request, and the two ways out of it (start hulpverlening, terugverwijzen)."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Organisation, User

from ..dates import nl_date
from ..guards import related
from ..models import Aanmeldgesprek, AanmeldtafelAdvies, Case, EventKind, Phase
from .timeline import MAX_DAYS_BACK, _fire, _locked, _require, _require_phase, record_event, too_long_ago

# --- Aanmeldfase (aanmeldpunt) -----------------------------------------------------------------


def plan_aanmeldgesprek(
    *,
    actor: User,
    case: Case,
    gepland_op: datetime,
    locatie: str,
    jeugdige_uitgenodigd: bool,
    verwijzer_uitgenodigd: bool,
) -> Aanmeldgesprek:
    _require(actor, "referrals.plan_aanmeldgesprek")
    errors = {}
    if not jeugdige_uitgenodigd:
        errors["jeugdige_uitgenodigd"] = "Nodig de jeugdige (en ouders) uit voor het aanmeldgesprek."
    if not verwijzer_uitgenodigd:
        errors["verwijzer_uitgenodigd"] = "Nodig de verwijzer uit voor het aanmeldgesprek."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD)
        if timezone.localdate(gepland_op) < case.aanmelddatum:
            errors["gepland_op"] = (
                f"Het aanmeldgesprek kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) liggen."
            )
        elif timezone.localdate(gepland_op) > timezone.localdate() + timedelta(days=MAX_DAYS_BACK):
            errors["gepland_op"] = "Deze datum ligt meer dan een jaar vooruit. Controleer de datum."
        gesprek = related(case, "aanmeldgesprek")
        if gesprek is not None and gesprek.gehouden_op:
            errors["__all__"] = "Het aanmeldgesprek is al gehouden en kan niet opnieuw worden gepland."
        if errors:
            raise ValidationError(errors)
        gesprek, created = Aanmeldgesprek.objects.update_or_create(
            case=case,
            defaults={
                "gepland_op": gepland_op,
                "locatie": locatie.strip(),
                "jeugdige_uitgenodigd": True,
                "verwijzer_uitgenodigd": True,
                "planned_by": actor,
            },
        )
        assign_perm("referrals.view_identity", actor, case)
        record_event(
            case,
            EventKind.AANMELDGESPREK_GEPLAND,
            actor,
            reason="" if created else "Opnieuw gepland",
            payload={"gepland_op": gepland_op.isoformat(), "locatie": gesprek.locatie},
        )
    return gesprek


def record_aanmeldgesprek_gehouden(
    *, actor: User, case: Case, gehouden_op: datetime, aanwezigen: str, verslag: str
) -> Aanmeldgesprek:
    _require(actor, "referrals.record_aanmeldgesprek")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD)
        gesprek = related(case, "aanmeldgesprek")
        if gesprek is None:
            raise ValidationError({"__all__": "Plan eerst het aanmeldgesprek."})
        if timezone.localdate(gehouden_op) < case.aanmelddatum:
            raise ValidationError(
                {
                    "gehouden_op": "Het gesprek kan niet vóór de aanmelddatum "
                    f"({nl_date(case.aanmelddatum)}) zijn gehouden."
                }
            )
        if gehouden_op > timezone.now():
            raise ValidationError(
                {"gehouden_op": "Een gesprek in de toekomst kan nog niet als gehouden worden vastgelegd."}
            )
        gesprek.gehouden_op = gehouden_op
        gesprek.aanwezigen = aanwezigen.strip()
        gesprek.verslag = verslag.strip()
        gesprek.save(update_fields=["gehouden_op", "aanwezigen", "verslag"])
        record_event(case, EventKind.AANMELDGESPREK_GEHOUDEN, actor, payload={"gehouden_op": gehouden_op.isoformat()})
    return gesprek


def record_aanmeldtafel_advies(
    *,
    actor: User,
    case: Case,
    datum: date,
    segment1_nodig: bool,
    regie_partner: Organisation | None,
    hulpvorm: str,
    geadviseerd_segment: str,
    toelichting: str = "",
    verwijzer_geraadpleegd_op: date | None = None,
    te_behalen_resultaten: str = "",
) -> AanmeldtafelAdvies:
    _require(actor, "referrals.record_aanmeldtafel_advies")
    errors = {}
    if segment1_nodig:
        if regie_partner is None:
            errors["regie_partner"] = "Kies welke partner regievoerder wordt."
        if not hulpvorm:
            errors["hulpvorm"] = "Kies de geadviseerde hulpvorm."
        regie_partner_value, hulpvorm_value, segment_value = regie_partner, hulpvorm, ""
    else:
        if not geadviseerd_segment:
            errors["geadviseerd_segment"] = "Kies welk ander segment de aanmeldtafel adviseert."
        regie_partner_value, hulpvorm_value, segment_value = None, "", geadviseerd_segment
    if datum > timezone.localdate():
        errors["datum"] = "De aanmeldtafel kan niet in de toekomst liggen."
    if verwijzer_geraadpleegd_op and verwijzer_geraadpleegd_op > timezone.localdate():
        errors["verwijzer_geraadpleegd_op"] = "Deze datum kan niet in de toekomst liggen."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD)
        gesprek = related(case, "aanmeldgesprek")
        if gesprek is None or gesprek.gehouden_op is None:
            errors["__all__"] = "Het advies volgt op het aanmeldgesprek: leg eerst vast dat het gesprek is gehouden."
        elif datum < timezone.localdate(gesprek.gehouden_op):
            errors["datum"] = "De aanmeldtafel kan niet vóór het aanmeldgesprek liggen."
        if errors:
            raise ValidationError(errors)
        advies, _ = AanmeldtafelAdvies.objects.update_or_create(
            case=case,
            defaults={
                "datum": datum,
                "segment1_nodig": segment1_nodig,
                "regie_partner": regie_partner_value,
                "hulpvorm": hulpvorm_value,
                "geadviseerd_segment": segment_value,
                "toelichting": toelichting.strip(),
                "te_behalen_resultaten": te_behalen_resultaten.strip() if segment1_nodig else "",
                "verwijzer_geraadpleegd_op": verwijzer_geraadpleegd_op,
                "recorded_by": actor,
            },
        )
        record_event(
            case,
            EventKind.ADVIES_VASTGELEGD,
            actor,
            payload={
                "segment1_nodig": segment1_nodig,
                "regie_partner": regie_partner_value.name if regie_partner_value else "",
                "hulpvorm": hulpvorm_value,
                "geadviseerd_segment": segment_value,
            },
        )
    return advies


def record_coordination_requested(*, actor: User, case: Case, reason: str = "") -> Case:
    """Mark that Crossroads asked the Toegang to coordinate (called by the coordination app)."""
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND)
        if case.coordinatie_aangevraagd_op is None:
            Case.objects.filter(pk=case.pk).update(coordinatie_aangevraagd_op=timezone.now())
            record_event(case, EventKind.COORDINATIE_AANGEVRAAGD, actor, reason=reason)
        case.refresh_from_db()
    return case


# --- Phase transitions of the aanmeldfase ---------------------------------------------------


def aanmelden(
    *, actor: User, case: Case, expected_phase: str = Phase.CONCEPT, aanmelddatum: date | None = None
) -> Case:
    today = timezone.localdate()
    aanmelddatum = aanmelddatum or today
    if aanmelddatum > today:
        raise ValidationError({"aanmelddatum": "De aanmelddatum kan niet in de toekomst liggen."})
    if too_long_ago(aanmelddatum):
        raise ValidationError({"aanmelddatum": "Deze datum ligt meer dan een jaar terug. Controleer de datum."})
    if case.jeugdige.age_on(aanmelddatum) >= 18:
        raise ValidationError({"aanmelddatum": "De jeugdige is op deze datum 18 jaar of ouder."})
    return _fire(actor=actor, case=case, name="aanmelden", expected_phase=expected_phase, aanmelddatum=aanmelddatum)


def start_hulpverlening(*, actor: User, case: Case, expected_phase: str = Phase.AANMELD) -> Case:
    return _fire(actor=actor, case=case, name="start_hulpverlening", expected_phase=expected_phase)


def terugverwijzen(*, actor: User, case: Case, expected_phase: str = Phase.AANMELD, toelichting: str = "") -> Case:
    return _fire(actor=actor, case=case, name="terugverwijzen", expected_phase=expected_phase, reason=toelichting)
