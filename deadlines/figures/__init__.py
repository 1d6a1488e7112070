"""The managers' dashboard figures: how well deadlines are kept, what is overdue now, and how long youths wait.

Definitions (ADR 0010-dashboard-figures):
- A deadline is *settled* once its outcome is known: met on time (at the moment it was met), or late (at
  its due moment: met late, breached, or still open past its due moment and not paused). Lapsed deadlines
  (the case ended first) and paused ones do not count. The on-time rate of a month is on time / settled,
  over the deadlines settled in that month (Amsterdam time).
- *Overdue now*: breached and not met, or open past the due moment and not paused, on a case that is
  still open (or of a rule that outlives the case). *Due this week*: running, due from now to the end of
  Sunday.
- *Lead times* aanmelding -> aanmeldgesprek / start of care / beschikking: calendar days from the
  aanmelddatum to the day the step happened, taken from the deadlines that the aanmelding opens and the
  step meets; counted in the period in which the step happened. Median and 90th percentile are
  PostgreSQL's percentile_cont (linear interpolation); *waiting* are those still open, and of those waiting
  for the start of care, *bridged* are the ones with overbruggingszorg recorded.

Two ways to the same figures, side by side: on PostgreSQL sums over the counts its triggers keep
(`kept.py`, ADR 0015); elsewhere (the demo's SQLite) a GROUP BY over the deadlines themselves
(`counted.py`). Either costs the same number of queries however many deadlines there are. Both build on
`definitions.py` (filters, scope, result types); `sets.py` holds the querysets that counting and the lists
behind the figures (`lists.py`) share.

Who sees what is decided in the queryset: a Crossroads manager all cases, a gemeente manager the cases of
their own gemeente; anyone else is refused.
"""

from datetime import datetime

from django.db import connection

from accounts.models import User
from referrals.models import EventKind

from .counted import counted_figures
from .definitions import STEP_BY_EVENT, Figures, Filters
from .kept import kept_figures
from .sets import lead_time_deadlines, scoped_deadlines, still_waiting


def figures(user: User, filters: Filters, now: datetime) -> Figures:
    """The dashboard's figures: from the kept counts on PostgreSQL, counted from the deadlines elsewhere."""
    if connection.vendor == "postgresql":
        result = kept_figures(user, filters, now)
    else:
        result = counted_figures(user, filters, now)
    result.lead[STEP_BY_EVENT[EventKind.ZORG_GESTART]].bridged = bridged_waiting(user, filters)
    return result


def bridged_waiting(user: User, filters: Filters) -> int:
    """How many youths still waiting for the start of care have overbruggingszorg (one query)."""
    waiting = still_waiting(lead_time_deadlines(scoped_deadlines(user, filters, with_rule=False)))
    return (
        waiting.filter(rule__met_by_event=EventKind.ZORG_GESTART, case__overbruggingen__isnull=False)
        .values("case_id")
        .distinct()
        .count()
    )
