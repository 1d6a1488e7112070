"""Reactions to the case timeline (referrals.signals.case_event_recorded), inside the step's transaction."""

from referrals.models import CaseEvent, EventKind

from .services import assign_default_coordinator


def on_case_event(sender, event: CaseEvent, **kwargs) -> None:
    if event.kind == EventKind.AANGEMELD:
        assign_default_coordinator(case=event.case, actor=event.actor)
