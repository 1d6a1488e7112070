"""A crisis during care: reporting it, the Perspectiefplan Crisis, and closing it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import guards
from ..models import Case, Crisis, EventKind, Phase
from .timeline import StaleCase, _fire, _locked, _require_phase, record_event

# --- Crisis [HvB-WI 4] ----------------------------------------------------------------------------


def crisis_melden(
    *,
    actor: User,
    case: Case,
    expected_phase: str,
    gesignaleerd_door: str,
    reden: str,
    cit_gecontacteerd: bool,
    geinformeerd: str,
) -> Case:
    errors = {}
    if not gesignaleerd_door.strip():
        errors["gesignaleerd_door"] = "Vul in wie de crisis signaleerde."
    if not reden.strip():
        errors["reden"] = "Beschrijf wat er aan de hand is."
    if not geinformeerd.strip():
        errors["geinformeerd"] = "Vul in wie u heeft geïnformeerd (bijvoorbeeld ouders, coördinator, regievoerder)."
    if errors:
        raise ValidationError(errors)

    def open_crisis(case, actor):
        Crisis.objects.create(
            case=case,
            gemeld_op=timezone.now(),
            gesignaleerd_door=gesignaleerd_door.strip(),
            reden=reden.strip(),
            cit_gecontacteerd=cit_gecontacteerd,
            geinformeerd=geinformeerd.strip(),
            reported_by=actor,
        )

    cit = "CIT ingeschakeld" if cit_gecontacteerd else "CIT niet ingeschakeld"
    return _fire(
        actor=actor,
        case=case,
        name="crisis_melden",
        expected_phase=expected_phase,
        reason=f"Gesignaleerd door {gesignaleerd_door.strip()}: {reden.strip()} ({cit}; geïnformeerd: "
        f"{geinformeerd.strip()})",
        after=open_crisis,
    )


def record_perspectiefplan_crisis(
    *,
    actor: User,
    case: Case,
    plan: str,
    met_cit: bool,
    met_jeugdige: bool,
    met_crisisaanbieder: bool,
    met_regievoerder: bool = False,
) -> Crisis:
    """The coördinator records the Perspectiefplan Crisis, made with CIT, jeugdige, crisis provider and
    regievoerder; on a case without coördinator the regievoerder or the aanmeldpunt (guards.may_lead_crisis)."""
    if not guards.may_lead_crisis(case, actor):
        raise PermissionDenied(guards.may_lead_crisis.reason)
    # The regievoerder who records the plan made it, so was there [HvB-WI 4].
    met_regievoerder = met_regievoerder or guards.is_regievoerder(case, actor)
    errors = {}
    if not plan.strip():
        errors["plan"] = "Beschrijf het Perspectiefplan Crisis."
    missing = [
        name
        for name, present in (
            ("het CIT", met_cit),
            ("de jeugdige", met_jeugdige),
            ("de crisisaanbieder", met_crisisaanbieder),
            ("de regievoerder", met_regievoerder),
        )
        if not present
    ]
    if missing:
        errors["__all__"] = (
            "Het plan wordt opgesteld met het CIT, de jeugdige, de crisisaanbieder en de regievoerder. "
            + (f"Nog niet betrokken: {', '.join(missing)}.")
        )
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.CRISIS)
        crisis = Crisis.objects.select_for_update().filter(case=case, afgesloten_op__isnull=True).first()
        if crisis is None:
            raise StaleCase(case)
        if errors:
            raise ValidationError(errors)
        crisis.plan = plan.strip()
        crisis.plan_met_cit = crisis.plan_met_jeugdige = True
        crisis.plan_met_crisisaanbieder = crisis.plan_met_regievoerder = True
        crisis.plan_vastgelegd_op = timezone.now()
        crisis.plan_by = actor
        crisis.save()
        record_event(case, EventKind.PERSPECTIEFPLAN_CRISIS, actor, reason=crisis.plan)
    return crisis


def crisis_afsluiten(*, actor: User, case: Case, expected_phase: str = Phase.CRISIS, toelichting: str = "") -> Case:
    def close(case, actor):
        Crisis.objects.filter(case=case, afgesloten_op__isnull=True).update(afgesloten_op=timezone.now())

    return _fire(
        actor=actor,
        case=case,
        name="crisis_afsluiten",
        expected_phase=expected_phase,
        reason=toelichting.strip(),
        after=close,
    )
