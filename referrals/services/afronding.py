"""The afronding: results reached, eindevaluatie, vervolg, einddatum, closing the case, and ending it
early."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import guards
from ..dates import nl_date
from ..guards import related
from ..models import Case, CaseDocument, DocumentKind, Eindevaluatie, EndReason, EventKind, FoaBesluit, Phase, Vervolg
from .timeline import (
    MAX_DAYS_BACK,
    _check_care_date,
    _fire,
    _locked,
    _require_phase,
    _require_regievoerder,
    record_event,
)

# --- Afronding [HvB-QA 5, HvB-WI 3, HvB-QA 7] ---------------------------------------------------------


def record_resultaten_bereikt(*, actor: User, case: Case, toelichting: str = "") -> Case:
    """Regievoerder and coördinator each record that the results of the plan are reached."""
    if guards.is_regievoerder(case, actor) and actor.has_perm("referrals.record_care"):
        field, who = "resultaten_bereikt_regievoerder_op", "regievoerder"
    elif guards.is_coordinator(case, actor):
        field, who = "resultaten_bereikt_coordinator_op", "coördinator"
    else:
        raise PermissionDenied("Alleen de regievoerder en de coördinator van deze casus leggen dit vast.")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.HULPVERLENEND)
        if case.zorg_gestart_op is None:
            raise ValidationError({"__all__": "De jeugdhulp is nog niet gestart: leg eerst de start vast."})
        if getattr(case, field) is not None:
            raise ValidationError({"__all__": f"De {who} heeft dit al vastgelegd op {nl_date(getattr(case, field))}."})
        today = timezone.localdate()
        Case.objects.filter(pk=case.pk).update(**{field: today})
        setattr(case, field, today)
        record_event(
            case,
            EventKind.RESULTATEN_BEREIKT,
            actor,
            reason=f"Volgens de {who}." + (f" {toelichting.strip()}" if toelichting.strip() else ""),
            payload={"door": who},
        )
    return case


def afronding_starten(*, actor: User, case: Case, expected_phase: str = Phase.HULPVERLENEND) -> Case:
    return _fire(actor=actor, case=case, name="afronding_starten", expected_phase=expected_phase)


def hervatten(*, actor: User, case: Case, expected_phase: str = Phase.AFRONDEND, reden: str = "") -> Case:
    if not reden.strip():
        raise ValidationError({"reden": "Geef aan waarom de hulpverlening wordt hervat."})
    return _fire(actor=actor, case=case, name="hervatten", expected_phase=expected_phase, reason=reden.strip())


def _absent_at_eindevaluatie(case: Case, jeugdige: bool, verwijzer: bool, coordinator: bool) -> dict[str, str]:
    """An eindevaluatie is held with the jeugdige and the verwijzer, and with the coördinator when the case
    has one [HvB-WI 3]; one without them would be stored but never let the case close, so it is refused."""
    errors = {}
    if not jeugdige:
        errors["jeugdige_aanwezig"] = (
            "De eindevaluatie houdt u met de jeugdige (en ouders). Was de jeugdige er niet bij, plan dan een "
            "nieuwe eindevaluatie."
        )
    if not verwijzer:
        errors["verwijzer_aanwezig"] = (
            "De eindevaluatie houdt u met de verwijzer. Was de verwijzer er niet bij, plan dan een nieuwe "
            "eindevaluatie."
        )
    if case.coordinator_id and not coordinator:
        errors["coordinator_aanwezig"] = (
            "De coördinator van deze casus sluit altijd aan bij de eindevaluatie. Was de coördinator er niet bij, "
            "plan dan een nieuwe eindevaluatie."
        )
    return errors


def record_eindevaluatie(
    *,
    actor: User,
    case: Case,
    datum: date,
    jeugdige_aanwezig: bool,
    verwijzer_aanwezig: bool,
    verslag: str,
    coordinator_aanwezig: bool = False,
) -> Eindevaluatie:
    """The regievoerder records the eindevaluatie, held with everyone who has to be there."""
    _require_regievoerder(actor, case)
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AFRONDEND)
        errors = _check_care_date(datum, case, "datum", "De eindevaluatie")
        if not verslag.strip():
            errors["verslag"] = "Schrijf het verslag van de eindevaluatie."
        errors.update(_absent_at_eindevaluatie(case, jeugdige_aanwezig, verwijzer_aanwezig, coordinator_aanwezig))
        if errors:
            raise ValidationError(errors)
        # Without a coördinator on the case (GI, LTA) nobody attended as coördinator.
        coordinator_aanwezig = coordinator_aanwezig and case.coordinator_id is not None
        evaluatie, _ = Eindevaluatie.objects.update_or_create(
            case=case,
            defaults={
                "datum": datum,
                "jeugdige_aanwezig": jeugdige_aanwezig,
                "verwijzer_aanwezig": verwijzer_aanwezig,
                "coordinator_aanwezig": coordinator_aanwezig,
                "verslag": verslag.strip(),
                "recorded_by": actor,
            },
        )
        present = [
            name
            for name, here in (
                ("jeugdige", jeugdige_aanwezig),
                ("verwijzer", verwijzer_aanwezig),
                ("coördinator", coordinator_aanwezig),
            )
            if here
        ]
        record_event(
            case,
            EventKind.EINDEVALUATIE_VASTGELEGD,
            actor,
            reason="Aanwezig: " + (", ".join(present) or "niemand van hen"),
            payload={"datum": datum.isoformat()},
        )
    return evaluatie


def record_vervolg(
    *, actor: User, case: Case, besluit: str, toelichting: str = "", lichte_hulp_loopt_door: bool = False
) -> Vervolg:
    """Care that continues in another segment needs an FOA, or the joint decision that none is needed."""
    _require_regievoerder(actor, case)
    errors = {}
    if besluit not in FoaBesluit.values:
        errors["besluit"] = "Kies of de zorg doorgaat in een ander segment."
    elif besluit == FoaBesluit.GEEN_FOA and not toelichting.strip():
        errors["toelichting"] = "Leg uit waarom samen is besloten dat er geen FOA nodig is."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AFRONDEND)
        if besluit == FoaBesluit.FOA and not CaseDocument.objects.filter(case=case, kind=DocumentKind.FOA).exists():
            errors["besluit"] = "Voeg eerst de FOA toe bij de documenten."
        if errors:
            raise ValidationError(errors)
        vervolg, _ = Vervolg.objects.update_or_create(
            case=case,
            defaults={
                "besluit": besluit,
                "toelichting": toelichting.strip(),
                "lichte_hulp_loopt_door": lichte_hulp_loopt_door,
                "recorded_by": actor,
            },
        )
        record_event(
            case, EventKind.FOA_VASTGELEGD, actor, reason=f"{vervolg.get_besluit_display()}. {vervolg.toelichting}"
        )
    return vervolg


def record_einddatum(*, actor: User, case: Case, einddatum: date, afgesproken_met_coordinator: bool = False) -> Case:
    """The regievoerder records the end date agreed with the coördinator (the coördinator may record it too)."""
    if not (guards.is_regievoerder(case, actor) and actor.has_perm("referrals.record_care")) and not (
        guards.is_coordinator(case, actor)
    ):
        raise PermissionDenied("Alleen de regievoerder of de coördinator van deze casus legt de einddatum vast.")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AFRONDEND)
        errors = {}
        start = case.zorg_gestart_op or case.aanmelddatum
        if einddatum < start:
            errors["einddatum"] = f"De einddatum kan niet vóór de start van de jeugdhulp ({nl_date(start)}) liggen."
        elif einddatum > timezone.localdate() + timedelta(days=MAX_DAYS_BACK):
            errors["einddatum"] = "Deze datum ligt meer dan een jaar vooruit. Controleer de datum."
        if case.coordinator_id and not afgesproken_met_coordinator and not guards.is_coordinator(case, actor):
            errors["afgesproken_met_coordinator"] = "De einddatum spreekt u af met de coördinator."
        if errors:
            raise ValidationError(errors)
        Case.objects.filter(pk=case.pk).update(einddatum=einddatum)
        case.einddatum = einddatum
        record_event(case, EventKind.EINDDATUM_AFGESPROKEN, actor, payload={"einddatum": einddatum.isoformat()})
    return case


def _care_stopped(case: Case, actor: User) -> None:
    """Closing ends the care (the JW307 stop melden deadline starts); light help may continue 3 months."""
    if case.zorg_gestart_op is not None:
        stopped = timezone.make_aware(datetime.combine(case.afgesloten_op, datetime.min.time()))
        record_event(
            case,
            EventKind.ZORG_GESTOPT,
            actor,
            payload={"datum": case.afgesloten_op.isoformat(), "moment": stopped.isoformat()},
        )
    vervolg = related(case, "vervolg")
    if vervolg is not None and vervolg.lichte_hulp_loopt_door:
        record_event(case, EventKind.LICHTE_HULP_DOORLOPEND, actor, reason="Ten hoogste 3 maanden na afsluiting.")


def afsluiten(*, actor: User, case: Case, expected_phase: str = Phase.AFRONDEND) -> Case:
    return _fire(
        actor=actor,
        case=case,
        name="afsluiten",
        expected_phase=expected_phase,
        afgesloten_op=timezone.localdate(),
        after=_care_stopped,
    )


# --- Ending early ------------------------------------------------------------------------------


def voortijdig_beeindigen(*, actor: User, case: Case, expected_phase: str, reden: str, toelichting: str) -> Case:
    errors = {}
    if reden not in EndReason.values:
        errors["reden"] = "Kies de reden van beëindiging."
    if not toelichting.strip():
        errors["toelichting"] = (
            "Beschrijf de warme overdracht aan de nieuwe gemeente."
            if reden == EndReason.VERHUISD
            else "Noem de Wlz-indicatie van het CIZ en de datum ervan."
            if reden == EndReason.WLZ
            else "Geef een toelichting op de beëindiging."
        )
    if errors:
        raise ValidationError(errors)
    return _fire(
        actor=actor,
        case=case,
        name="voortijdig_beeindigen",
        expected_phase=expected_phase,
        reason=f"{EndReason(reden).label}: {toelichting.strip()}",
        reden=reden,
        afgesloten_op=timezone.localdate(),
        after=_care_stopped,
    )
