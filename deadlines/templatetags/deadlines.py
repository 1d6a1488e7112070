"""Deadline blocks for pages of other apps:

- `{% case_deadlines case %}`: the case's deadlines, most pressing first, with links to pause or extend
  for who may, and the 18th-birthday flag;
- `{% work_list_deadlines %}`: on a start page, the most pressing deadlines and the youths turning 18
  without a perspectiefplan (the view puts them in the context: deadlines.selectors.work_list_signals).
"""

from django import template
from django.utils import timezone

from .. import workdays
from ..models import Deadline, DeadlineState
from ..selectors import _ORDER, PRESSING_DAYS, TURNING_18_MONTHS, time_left, turning_18_flag, unread_notifications
from ..services import may_manage

register = template.Library()


def _row(d: Deadline, now) -> dict:
    return {
        "deadline": d,
        "due": workdays.day_text(d.due_at),
        "left": time_left(d, now),
        # Breached, or past its due moment before the sweep has marked it.
        "overdue": d.state == DeadlineState.BREACHED
        or (d.state == DeadlineState.OPEN and d.paused_at is None and d.due_at < now),
    }


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("deadlines/_case_deadlines.html", takes_context=True)
def case_deadlines(context, case):
    now = timezone.now()
    user = _user(context)
    deadlines = sorted(
        Deadline.objects.filter(case_id=case.pk).select_related("rule", "start_event__actor"),
        key=lambda d: (_ORDER[d.state], d.paused_at is not None, d.due_at),
    )
    rows = []
    for d in deadlines:
        d.case = case  # the page's case: no query per row
        row = _row(d, now)
        row["explanation"] = d.explanation()
        row["manage"] = bool(user and user.is_authenticated and d.state == DeadlineState.OPEN and may_manage(user, d))
        rows.append(row)
    return {"rows": rows, "case": case, "flag": turning_18_flag(case), "flag_months": TURNING_18_MONTHS}


@register.inclusion_tag("deadlines/_work_list_deadlines.html", takes_context=True)
def work_list_deadlines(context):
    now = timezone.now()
    return {
        "rows": [_row(d, now) for d in context.get("pressing_deadlines", ())],
        "turning_18": context.get("turning_18", ()),
        "flag_months": TURNING_18_MONTHS,
        "pressing_days": PRESSING_DAYS,
        "request": context.get("request"),
    }


@register.inclusion_tag("deadlines/_notification_link.html", takes_context=True)
def notification_link(context):
    """The menu item to the in-app notifications, with the number unread (one query)."""
    user = _user(context)
    if not (user and user.is_authenticated and user.role):
        return {"show": False}
    request = context.get("request")
    current = getattr(getattr(request, "resolver_match", None), "url_name", "") == "notifications"
    return {"show": True, "unread": unread_notifications(user), "current": current}
