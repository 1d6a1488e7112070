"""The hulpverlenende fase (regievoerder): start of the care, the behandelplan, evaluations and signals
to the coördinator."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User

from ..dates import nl_date
from ..models import Behandelplan, Case, Evaluatie, EventKind, Phase, Signaal, SignaalDomein
from .timeline import (
    CARE_PHASES,
    StaleCase,
    _check_care_date,
    _locked,
    _require,
    _require_coordinator,
    _require_phase,
    _require_regievoerder,
    record_event,
)

# --- Hulpverlenende fase (regievoerder) ----------------------------------------------------------

# Care should start within 6 weeks of the aanmelding [HvB-S1]; later, overbruggingszorg bridges the wait.
START_JEUGDHULP_WEEKS = 6


def record_zorg_gestart(*, actor: User, case: Case, datum: date, overbruggingszorg: str = "") -> Case:
    """The regievoerder records the day care actually started (it meets the start jeugdhulp deadline)."""
    _require(actor, "referrals.record_zorg_gestart")
    if case.regie_organisatie_id != actor.organisation_id:
        raise PermissionDenied("Alleen de regievoerende organisatie legt de start van de jeugdhulp vast.")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.HULPVERLENEND, Phase.CRISIS)
        errors = {}
        if case.zorg_gestart_op is not None:
            errors["__all__"] = f"De start van de jeugdhulp is al vastgelegd op {nl_date(case.zorg_gestart_op)}."
        elif datum > timezone.localdate():
            errors["datum"] = "De start van de jeugdhulp kan niet in de toekomst liggen."
        elif datum < case.aanmelddatum:
            errors["datum"] = f"De jeugdhulp kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) starten."
        elif (
            datum > case.aanmelddatum + timedelta(weeks=START_JEUGDHULP_WEEKS)
            and not overbruggingszorg.strip()
            and not case.overbruggingen.exists()  # recorded when it was arranged
        ):
            errors["overbruggingszorg"] = (
                "De jeugdhulp startte later dan 6 weken na aanmelding: beschrijf de overbruggingszorg."
            )
        if errors:
            raise ValidationError(errors)
        Case.objects.filter(pk=case.pk).update(zorg_gestart_op=datum, overbruggingszorg=overbruggingszorg.strip())
        case.refresh_from_db()
        started = timezone.make_aware(datetime.combine(datum, datetime.min.time()))
        record_event(
            case,
            EventKind.ZORG_GESTART,
            actor,
            reason=case.overbruggingszorg,
            payload={"datum": datum.isoformat(), "moment": started.isoformat()},
        )
    return case


# --- Hulpverlenende fase: plan, evaluations, signals (regievoerder) ----------------------------------


def record_behandelplan(
    *, actor: User, case: Case, doelen: str, resultaten: str, afspraken: str = "", wijziging: str = ""
) -> Behandelplan:
    """A new version of the behandelplan; earlier versions stay as they were."""
    _require_regievoerder(actor, case)
    errors = {}
    if not doelen.strip():
        errors["doelen"] = "Beschrijf de doelen van de behandeling."
    if not resultaten.strip():
        errors["resultaten"] = "Beschrijf welke resultaten de behandeling moet opleveren."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        last = Behandelplan.objects.filter(case=case).aggregate(v=Max("version"))["v"] or 0
        if last and not wijziging.strip():
            errors["wijziging"] = "Beschrijf wat er in deze versie is gewijzigd en waarom."
        if errors:
            raise ValidationError(errors)
        plan = Behandelplan.objects.create(
            case=case,
            version=last + 1,
            doelen=doelen.strip(),
            resultaten=resultaten.strip(),
            afspraken=afspraken.strip(),
            wijziging=wijziging.strip(),
            created_by=actor,
            created_at=timezone.now(),
        )
        record_event(
            case, EventKind.BEHANDELPLAN_VASTGELEGD, actor, reason=plan.wijziging, payload={"versie": plan.version}
        )
    return plan


def record_evaluatie(*, actor: User, case: Case, datum: date, aanwezigen: str, verslag: str) -> Evaluatie:
    _require_regievoerder(actor, case)
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        errors = _check_care_date(datum, case, "datum", "De evaluatie")
        if not verslag.strip():
            errors["verslag"] = "Schrijf een kort verslag van de evaluatie."
        if errors:
            raise ValidationError(errors)
        evaluatie = Evaluatie.objects.create(
            case=case, datum=datum, aanwezigen=aanwezigen.strip(), verslag=verslag.strip(), recorded_by=actor
        )
        record_event(case, EventKind.EVALUATIE_VASTGELEGD, actor, payload={"datum": datum.isoformat()})
    return evaluatie


def record_signaal(*, actor: User, case: Case, domein: str, beschrijving: str) -> Signaal:
    """The regievoerder tells the coördinator what the family needs outside youth care [HvB-WI 2.2]."""
    _require_regievoerder(actor, case)
    errors = {}
    if domein not in SignaalDomein.values:
        errors["domein"] = "Kies het leefgebied."
    if not beschrijving.strip():
        errors["beschrijving"] = "Beschrijf wat er nodig is."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        if case.coordinator_id is None:
            errors["__all__"] = "Deze casus heeft (nog) geen coördinator om het signaal aan te geven."
        if errors:
            raise ValidationError(errors)
        signaal = Signaal.objects.create(
            case=case, domein=domein, beschrijving=beschrijving.strip(), created_by=actor, created_at=timezone.now()
        )
        record_event(
            case,
            EventKind.SIGNAAL_COORDINATOR,
            actor,
            reason=f"{signaal.get_domein_display()}: {signaal.beschrijving}",
            payload={"ref": str(signaal.pk)},
        )
    return signaal


def pick_up_signaal(*, actor: User, case: Case, signaal_id: int, reactie: str) -> Signaal:
    _require_coordinator(actor, case)
    if not reactie.strip():
        raise ValidationError({"reactie": "Beschrijf wat u met het signaal doet."})
    with transaction.atomic():
        case = _locked(case)
        signaal = Signaal.objects.select_for_update().filter(case=case, pk=signaal_id).first()
        if signaal is None:
            raise ValidationError({"__all__": "Dit signaal hoort niet bij deze casus."})
        if signaal.opgepakt_op is not None:
            raise StaleCase(case)
        signaal.opgepakt_op = timezone.now()
        signaal.opgepakt_door = actor
        signaal.reactie = reactie.strip()
        signaal.save(update_fields=["opgepakt_op", "opgepakt_door", "reactie"])
        record_event(case, EventKind.SIGNAAL_OPGEPAKT, actor, reason=signaal.reactie, payload={"ref": str(signaal.pk)})
    return signaal
