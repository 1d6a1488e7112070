"""Reactions to the case timeline (referrals.signals.case_event_recorded), inside the step's transaction."""

from referrals.models import CaseEvent, EventKind

from .services import default_coordinator_licht


def on_case_event(sender, event: CaseEvent, **kwargs) -> None:
    if event.kind == EventKind.AANGEMELD:
        default_coordinator_licht(case=event.case, actor=event.actor)
