"""The deadlines behind the figures, as querysets: the manager's scope, and which of them are settled,
late, overdue now, due this week, or tell a lead time (definitions in ADR 0010 and deadlines.figures).
Counting them is counted.py's; listing them lists.py's."""

from datetime import datetime

from django.db.models import Case as When_
from django.db.models import F, Func, IntegerField, Q, QuerySet, When

from accounts.models import User
from accounts.roles import Role
from referrals.models import OPEN_PHASES, Case, EventKind
from referrals.selectors import visibility_q

from .. import workdays
from ..models import Deadline, DeadlineState, Outcome
from .definitions import STEP_BY_EVENT, Filters, end_of_week, require_manager


class LocalDaysBetween(Func):
    """Calendar days between the Amsterdam days of two moments (PostgreSQL)."""

    output_field = IntegerField()

    def __init__(self, start, end):
        super().__init__(start, end)

    def as_sql(self, compiler, connection, **extra):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        zone = f"AT TIME ZONE '{workdays.AMSTERDAM.key}'"
        return f"(({end_sql} {zone})::date - ({start_sql} {zone})::date)", (*end_params, *start_params)


def scoped_deadlines(user: User, filters: Filters, *, with_rule: bool = True) -> QuerySet[Deadline]:
    """The deadlines the manager may count: Crossroads all cases, a gemeente manager their own gemeente."""
    require_manager(user)
    cases = Case.objects.filter(visibility_q(user))
    if user.role == Role.MANAGER_GEMEENTE:
        cases = cases.filter(gemeente_id=user.organisation_id)  # never another gemeente, whatever the filter
    qs = Deadline.objects.filter(case__in=cases.values("pk"))
    if filters.gemeente:
        qs = qs.filter(case__gemeente_id=filters.gemeente)
    if filters.partner:
        qs = qs.filter(case__regie_organisatie_id=filters.partner)
    if with_rule and filters.rule:
        qs = qs.filter(rule_id=filters.rule)
    return qs


def _settle_moment():
    return When_(When(outcome=Outcome.ON_TIME, then=F("met_at")), default=F("due_at"))


def settled_q(now: datetime) -> Q:
    return (
        Q(state=DeadlineState.MET)
        | Q(state=DeadlineState.BREACHED)
        | Q(state=DeadlineState.OPEN, paused_at__isnull=True, due_at__lt=now)
    )


def late_q() -> Q:
    return ~Q(outcome=Outcome.ON_TIME)


def overdue_q(now: datetime) -> Q:
    still_actionable = Q(case__phase__in=OPEN_PHASES) | Q(rule__survives_case_end=True)
    late = Q(state=DeadlineState.BREACHED) | Q(state=DeadlineState.OPEN, paused_at__isnull=True, due_at__lt=now)
    return late & still_actionable


def due_this_week_q(now: datetime) -> Q:
    return Q(state=DeadlineState.OPEN, paused_at__isnull=True, due_at__gte=now, due_at__lte=end_of_week(now))


def settled_in_period(qs: QuerySet[Deadline], filters: Filters, now: datetime) -> QuerySet[Deadline]:
    return (
        qs.filter(settled_q(now))
        .annotate(settled_at=_settle_moment())
        .filter(settled_at__gte=filters.period_start, settled_at__lt=filters.period_end, settled_at__lte=now)
    )


def lead_time_deadlines(qs: QuerySet[Deadline]) -> QuerySet[Deadline]:
    return qs.filter(rule__start_event=EventKind.AANGEMELD, rule__met_by_event__in=list(STEP_BY_EVENT))


def lead_times_met(qs: QuerySet[Deadline], filters: Filters) -> QuerySet[Deadline]:
    return lead_time_deadlines(qs).filter(
        state=DeadlineState.MET, met_at__gte=filters.period_start, met_at__lt=filters.period_end
    )


def still_waiting(qs: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Lead-time deadlines whose step has not happened yet, on a case that is still open."""
    return qs.filter(state__in=[DeadlineState.OPEN, DeadlineState.BREACHED], case__phase__in=OPEN_PHASES)
