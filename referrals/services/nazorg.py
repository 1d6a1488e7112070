"""After closing: light help that started during segment 1 may continue for at most 3 months; what must
continue longer goes into an FOA [HvB-WI 2.1]. The regievoerder records how it ended."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import guards
from ..dates import nl_date
from ..models import Case, DocumentKind, EventKind, LichteHulpAfloop, Phase, Vervolg
from .timeline import _locked, record_event


def record_lichte_hulp_gestopt(*, actor: User, case: Case, gestopt_op: date, afloop: str, toelichting: str = ""):
    """The light help after closing has stopped (or what follows is in an FOA): meets its 3-month deadline."""
    if not guards.may_record_as_regievoerder(case, actor):
        raise PermissionDenied("Alleen de regievoerder van deze casus (of diens vervanger) legt dit vast.")
    with transaction.atomic():
        case = _locked(case)
        vervolg = Vervolg.objects.select_for_update().filter(case=case).first()
        if not guards.lichte_hulp_loopt(case) or vervolg is None:
            raise ValidationError(
                {"__all__": _not_running(case, vervolg)},
            )
        errors = {}
        if afloop not in LichteHulpAfloop.values:
            errors["afloop"] = "Kies hoe de lichte hulp is geëindigd."
        elif afloop == LichteHulpAfloop.FOA and not _foa_after_closing(case):
            # The FOA of the light help, added after closing; not the one the care went on with at closing.
            errors["afloop"] = "Voeg eerst de FOA van de lichte hulp toe bij de documenten."
        elif afloop == LichteHulpAfloop.GESTOPT and not toelichting.strip():
            errors["toelichting"] = "Geef aan waarom de lichte hulp is gestopt."
        if gestopt_op > timezone.localdate():
            errors["gestopt_op"] = "De datum kan niet in de toekomst liggen."
        elif case.afgesloten_op and gestopt_op < case.afgesloten_op:
            errors["gestopt_op"] = (
                f"De lichte hulp loopt na de afsluiting ({nl_date(case.afgesloten_op)}): kies een latere datum."
            )
        if errors:
            raise ValidationError(errors)
        vervolg.lichte_hulp_gestopt_op = gestopt_op
        vervolg.lichte_hulp_afloop = afloop
        vervolg.lichte_hulp_toelichting = toelichting.strip()
        vervolg.lichte_hulp_gestopt_door = actor
        vervolg.save(
            update_fields=[
                "lichte_hulp_gestopt_op",
                "lichte_hulp_afloop",
                "lichte_hulp_toelichting",
                "lichte_hulp_gestopt_door",
            ]
        )
        reason = f"{LichteHulpAfloop(afloop).label} op {nl_date(gestopt_op)}."
        if toelichting.strip():
            reason += f" {toelichting.strip()}"
        moment = timezone.make_aware(datetime.combine(gestopt_op, datetime.min.time()))
        record_event(
            case,
            EventKind.LICHTE_HULP_GESTOPT,
            actor,
            reason=reason,
            payload={"datum": gestopt_op.isoformat(), "moment": moment.isoformat(), "afloop": afloop},
        )
    return vervolg


def _foa_after_closing(case: Case) -> bool:
    closed = case.events.filter(to_phase=Phase.AFGESLOTEN).order_by("-at").values_list("at", flat=True).first()
    return closed is not None and case.documents.filter(kind=DocumentKind.FOA, uploaded_at__gte=closed).exists()


def _not_running(case: Case, vervolg) -> str:
    if case.phase != "afgesloten":
        return "De casus is nog niet afgesloten: lichte hulp na afsluiting legt u vast na de afsluiting."
    if vervolg is None or not vervolg.lichte_hulp_loopt_door:
        return "Bij deze casus loopt geen lichte hulp na de afsluiting."
    return f"Het einde van de lichte hulp is al vastgelegd op {nl_date(vervolg.lichte_hulp_gestopt_op)}."
