"""The wait for the start of care: overbruggingszorg recorded when it is arranged [HvB-S1, HvB-WI fn 2]."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import guards
from ..dates import nl_date
from ..models import Case, EventKind, Overbrugging, Phase
from .timeline import _locked, _require_phase, record_event, too_long_ago

# Help arranged today may start a little later; further ahead it is a plan, not an arrangement.
MAX_WEEKS_AHEAD = 8


def record_overbruggingszorg(*, actor: User, case: Case, door: str, wat: str, vanaf: date) -> Overbrugging:
    """Record help that bridges the wait (who, what, from when), while the care has not started yet."""
    if not guards.may_record_overbrugging(case, actor):
        raise PermissionDenied("U kunt bij deze casus geen overbruggingszorg vastleggen.")
    errors = {}
    if not door.strip():
        errors["door"] = "Vul in wie de overbruggingszorg geeft."
    if not wat.strip():
        errors["wat"] = "Beschrijf welke hulp de wachttijd overbrugt."
    today = timezone.localdate()
    if vanaf > today + timedelta(weeks=MAX_WEEKS_AHEAD):
        errors["vanaf"] = (
            f"Deze datum ligt meer dan {MAX_WEEKS_AHEAD} weken vooruit. Leg de zorg vast als ze geregeld is."
        )
    elif too_long_ago(vanaf):
        errors["vanaf"] = "Deze datum ligt meer dan een jaar terug. Controleer de datum."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS)
        if case.zorg_gestart_op is not None:
            errors["__all__"] = (
                f"De jeugdhulp is al gestart op {nl_date(case.zorg_gestart_op)}: "
                "er is geen wachttijd meer te overbruggen."
            )
        elif "vanaf" not in errors and case.aanmelddatum and vanaf < case.aanmelddatum:
            errors["vanaf"] = (
                f"De overbruggingszorg kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) beginnen."
            )
        if errors:
            raise ValidationError(errors)
        bridge = Overbrugging.objects.create(
            case=case, door=door.strip(), wat=wat.strip(), vanaf=vanaf, recorded_by=actor
        )
        record_event(
            case,
            EventKind.OVERBRUGGING_VASTGELEGD,
            actor,
            reason=f"{bridge.door}, vanaf {nl_date(vanaf)}: {bridge.wat}",
            payload={"ref": str(bridge.pk), "vanaf": vanaf.isoformat()},
        )
    return bridge
