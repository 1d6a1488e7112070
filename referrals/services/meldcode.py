"""The meldcode huiselijk geweld en kindermishandeling as steps on the case: a consultation of Veilig Thuis,
a melding, a zorgmelding or the decision not to report, each with date, who, with whom and the outcome."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import guards
from ..dates import nl_date
from ..models import OPEN_PHASES, Case, EventKind, MeldcodeSoort, MeldcodeStap
from .timeline import _locked, _require_phase, record_event, too_long_ago


def record_meldcode_stap(
    *, actor: User, case: Case, soort: str, datum: date, met_wie: str, uitkomst: str
) -> MeldcodeStap:
    if not guards.may_record_meldcode(case, actor):
        raise PermissionDenied("U kunt bij deze casus geen stap van de meldcode vastleggen.")
    errors = {}
    if soort not in MeldcodeSoort.values:
        errors["soort"] = "Kies welke stap van de meldcode het is."
    if datum > timezone.localdate():
        errors["datum"] = "Deze datum ligt in de toekomst. Leg de stap vast als hij gezet is."
    elif too_long_ago(datum):
        errors["datum"] = "Deze datum ligt meer dan een jaar terug. Controleer de datum."
    elif datum < timezone.localdate(case.created_at):
        errors["datum"] = f"De casus bestaat pas sinds {nl_date(timezone.localdate(case.created_at))}."
    if not met_wie.strip():
        errors["met_wie"] = "Vul in met wie (bijvoorbeeld Veilig Thuis) of bij wie."
    if not uitkomst.strip():
        errors["uitkomst"] = "Beschrijf de uitkomst: het advies, wat er gemeld is of wat er is afgesproken."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *OPEN_PHASES)
        step = MeldcodeStap.objects.create(
            case=case, soort=soort, datum=datum, met_wie=met_wie.strip(), uitkomst=uitkomst.strip(), recorded_by=actor
        )
        record_event(
            case,
            EventKind.MELDCODE_STAP,
            actor,
            reason=f"{MeldcodeSoort(soort).label} op {nl_date(datum)}, met {step.met_wie}.",
            payload={"ref": str(step.pk), "soort": soort},
        )
    return step
