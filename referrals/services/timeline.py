"""The kernel every service module builds on: the timeline event, the phase transition, the checks
and the errors that all of them share. Imports no other module of the package."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from accounts.models import User
from common.refusals import Refused

from .. import guards
from ..dates import nl_date
from ..models import Case, CaseEvent, Phase
from ..signals import case_event_recorded


class StaleCase(Refused):
    """The case changed since the user loaded it; nothing was applied."""

    on_form = False

    def __init__(self, case: Case):
        self.case = case
        super().__init__(
            "Deze casus is intussen door iemand anders gewijzigd. Uw actie is niet uitgevoerd; "
            "hieronder ziet u de huidige stand."
        )


class TransitionRefused(Refused):
    """A guard of the state machine refuses the step, with its Dutch reasons."""

    on_form = False
    lead = "Dit kan nog niet: "


def record_event(
    case: Case, kind: str, actor: User | None, *, from_phase="", to_phase="", reason="", payload=None
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        actor_role=getattr(actor, "role", "") or "",
        from_phase=from_phase,
        to_phase=to_phase,
        reason=reason,
        payload=payload or {},
    )
    # Inside the caller's transaction: receivers (the deadline engine) write in it, or nothing is written.
    case_event_recorded.send(sender=CaseEvent, event=event)
    return event


def _require(actor: User, perm: str) -> None:
    # Only people with a role in the chain act on cases; a technical superuser has none.
    if not actor.role or not actor.has_perm(perm):
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")


def _locked(case: Case) -> Case:
    """Lock the case row for this transaction, so that concurrent edits queue up."""
    return Case.objects.select_for_update().get(pk=case.pk)


# How far back a date of an intake step may lie: further back is a typing error, not a late registration.
MAX_DAYS_BACK = 366


def too_long_ago(day: date) -> bool:
    return day < timezone.localdate() - timedelta(days=MAX_DAYS_BACK)


def _require_phase(case: Case, *phases: str) -> None:
    if case.phase not in phases:
        raise StaleCase(case)


# --- Phase transitions -------------------------------------------------------------------------


def _fire(*, actor: User, case: Case, name: str, expected_phase: str, reason: str = "", after=None, **kwargs) -> Case:
    """Fire one phase transition on the state the user saw (`expected_phase`).

    ConcurrentTransitionMixin makes the UPDATE conditional on the phase that was loaded, so of two
    people firing at once exactly one wins; the other gets StaleCase and nothing is applied. `after`
    runs in the same transaction, once the transition is saved (records that belong to the step).
    """
    try:
        with transaction.atomic():
            if case.phase != expected_phase:
                raise StaleCase(case)
            # Lock the row and compare with what is stored: a second person acting on a state loaded before
            # the first person's step gets StaleCase, before guards are read from rows that moved on.
            stored = Case.objects.select_for_update().filter(pk=case.pk).values_list("phase", flat=True).first()
            if stored != expected_phase:
                case.refresh_from_db()
                raise StaleCase(case)
            if not actor.role:  # a technical superuser passes has_perm, but takes no part in the chain
                raise PermissionDenied("U heeft geen rechten voor deze handeling.")
            method = getattr(case, name)
            meta = method._django_fsm
            if not meta.has_transition(case.phase):
                raise TransitionRefused([f"Deze stap is niet mogelijk in de {case.get_phase_display().lower()}."])
            transition = meta.get_transition(case.phase)
            if not meta.has_transition_perm(case, case.phase, actor):
                raise PermissionDenied(guards.role_reason(transition))  # says who may, as the page does
            unmet = [c.reason for c in transition.conditions if not c(case)]
            if unmet:
                raise TransitionRefused(unmet)
            from_phase = case.phase
            fields = case._meta.concrete_fields
            before = {f.attname: getattr(case, f.attname) for f in fields}
            method(**kwargs)
            # Write only what this step changes: a copy loaded earlier must not undo what others saved since
            # (the coördinator, the consent to share).
            changed = [f.name for f in fields if getattr(case, f.attname) != before[f.attname]]
            case.save(update_fields={*changed, "phase", "updated_at"})
            record_event(
                case, transition.custom["event"], actor, from_phase=from_phase, to_phase=case.phase, reason=reason
            )
            if after is not None:
                after(case, actor)
    except ConcurrentTransition:
        case.refresh_from_db()
        raise StaleCase(case) from None
    return case


# --- Care (regievoerder and coördinator) ---------------------------------------------------------

CARE_PHASES = (Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND)


def _require_regievoerder(actor: User, case: Case) -> None:
    if not actor.has_perm("referrals.record_care") or not guards.is_regievoerder(case, actor):
        raise PermissionDenied("Alleen de regievoerder van deze casus (of diens vervanger) legt dit vast.")


def _require_coordinator(actor: User, case: Case) -> None:
    if not guards.is_coordinator(case, actor):
        raise PermissionDenied("Alleen de coördinator van deze casus (of diens vervanger) legt dit vast.")


def _check_care_date(day: date, case: Case, field: str, what: str) -> dict[str, str]:
    if day > timezone.localdate():
        return {field: f"{what} kan niet in de toekomst liggen."}
    start = case.zorg_gestart_op or case.aanmelddatum
    if day < start:
        return {field: f"{what} kan niet vóór de start van de hulp ({nl_date(start)}) liggen."}
    return {}
