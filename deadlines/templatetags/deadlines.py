"""`{% load deadlines %}{% case_deadlines case %}`: the case's deadlines, most pressing first, in one query."""

from django import template
from django.utils import timezone

from .. import workdays
from ..models import Deadline, DeadlineState

register = template.Library()

_ORDER = {DeadlineState.BREACHED: 0, DeadlineState.OPEN: 1, DeadlineState.MET: 2, DeadlineState.LAPSED: 3}


def time_left(deadline: Deadline, now) -> str:
    """How long is left, in Dutch; working days where the rule counts them."""
    if deadline.paused_at is not None:
        return f"opgeschort sinds {workdays.day_text(deadline.paused_at)}"
    if deadline.state == DeadlineState.LAPSED:
        return "vervallen: de casus is beëindigd"
    if deadline.state == DeadlineState.MET:
        return f"voldaan op {workdays.day_text(deadline.met_at)} ({deadline.get_outcome_display()})"
    if deadline.rule.counts_working_days:
        n, one, many = workdays.working_days_left(now, deadline.due_at), "werkdag", "werkdagen"
    else:
        n, one, many = workdays.days_left(now, deadline.due_at), "dag", "dagen"
    if n == 0:
        return "vandaag de laatste dag"
    if n < 0:
        return f"{-n} {one if n == -1 else many} te laat"
    return f"nog {n} {one if n == 1 else many}"


@register.inclusion_tag("deadlines/_case_deadlines.html")
def case_deadlines(case):
    now = timezone.now()
    deadlines = sorted(
        Deadline.objects.filter(case_id=case.pk).select_related("rule", "start_event__actor"),
        key=lambda d: (_ORDER[d.state], d.paused_at is not None, d.due_at),
    )
    rows = [
        {
            "deadline": d,
            "due": workdays.day_text(d.due_at),
            "left": time_left(d, now),
            "overdue": d.state == DeadlineState.BREACHED and not d.met_at,
            "explanation": d.explanation(),
        }
        for d in deadlines
    ]
    return {"rows": rows}
