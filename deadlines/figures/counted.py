"""The dashboard's figures counted from the deadlines themselves: every figure a GROUP BY over the deadlines
in scope, joined with their cases. The demo's SQLite computes them so; on PostgreSQL the tests hold the kept
counts (kept.py, ADR 0015) against these."""

import math
from collections import defaultdict
from datetime import datetime

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, QuerySet
from django.db.models.functions import TruncMonth

from accounts.models import User

from .. import workdays
from ..models import Deadline, DeadlineRule
from .definitions import (
    STEP_BY_EVENT,
    STEPS,
    Figures,
    Filters,
    GroupRow,
    Lead,
    Rate,
    gemeente_choices,
    group_name,
    ordered,
    partner_choices,
)
from .sets import (
    LocalDaysBetween,
    due_this_week_q,
    late_q,
    lead_time_deadlines,
    lead_times_met,
    overdue_q,
    scoped_deadlines,
    settled_in_period,
    still_waiting,
)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(f) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile(values: list[float], fraction: float) -> float | None:
    """percentile_cont in Python (for databases without it): linear interpolation between ranks."""
    if not values:
        return None
    values = sorted(values)
    pos = fraction * (len(values) - 1)
    low, high = math.floor(pos), math.ceil(pos)
    return values[low] + (values[high] - values[low]) * (pos - low)


def _lead_stats(qs: QuerySet[Deadline], group: str | None) -> dict:
    """(step, group value) -> Lead: count, median and p90 of the days from aanmelding to the step."""
    keys = ["rule__met_by_event"] + ([group] if group else [])
    if connection.vendor == "postgresql":
        days = LocalDaysBetween("started_at", "met_at")
        rows = (
            qs.annotate(days=days)
            .order_by()
            .values(*keys)
            .annotate(n=Count("pk"), median=PercentileCont("days", 0.5), p90=PercentileCont("days", 0.9))
        )
        return {
            (STEP_BY_EVENT[r["rule__met_by_event"]], r[group] if group else None): Lead(
                n=r["n"], median=r["median"], p90=r["p90"]
            )
            for r in rows
        }
    # Other databases (the demo's SQLite): the same figures from one query of the day pairs.
    values = defaultdict(list)
    for row in qs.order_by().values(*keys, "started_at", "met_at"):
        days = (workdays.local_date(row["met_at"]) - workdays.local_date(row["started_at"])).days
        values[(STEP_BY_EVENT[row["rule__met_by_event"]], row[group] if group else None)].append(days)
    return {key: Lead(n=len(v), median=percentile(v, 0.5), p90=percentile(v, 0.9)) for key, v in values.items()}


def _group_rows(now, scoped, settled, lead_met, waiting, group: str, names: dict) -> list[GroupRow]:
    rows: dict = {}

    def row(pk):
        if pk not in rows:
            rows[pk] = GroupRow(pk=pk, name=group_name(names, pk))
        return rows[pk]

    for r in settled.order_by().values(group).annotate(n=Count("pk"), on_time=Count("pk", filter=~late_q())):
        row(r[group]).rate = Rate(settled=r["n"], on_time=r["on_time"])
    for r in scoped.filter(overdue_q(now)).order_by().values(group).annotate(n=Count("pk")):
        row(r[group]).overdue = r["n"]
    for (step, pk), lead in _lead_stats(lead_met, group).items():
        row(pk).lead[step] = lead
    for r in waiting.order_by().values(group, "rule__met_by_event").annotate(n=Count("pk")):
        step = STEP_BY_EVENT[r["rule__met_by_event"]]
        row(r[group]).lead.setdefault(step, Lead()).waiting = r["n"]
    return ordered(rows)


def counted_figures(user: User, filters: Filters, now: datetime) -> Figures:
    """Every figure as a GROUP BY over the deadlines in scope, joined with their cases."""
    scoped = scoped_deadlines(user, filters)
    rules = list(DeadlineRule.objects.order_by("name"))
    months = filters.months

    # 1. On time per month and kind.
    settled = settled_in_period(scoped, filters, now)
    monthly, monthly_total, rule_rate = {}, defaultdict(Rate), defaultdict(Rate)
    total = Rate()
    per_month = (
        settled.annotate(month=TruncMonth("settled_at", tzinfo=workdays.AMSTERDAM))
        .order_by()
        .values("rule_id", "month")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=~late_q()))
    )
    for r in per_month:
        month = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
        rate = Rate(settled=r["n"], on_time=r["on_time"])
        monthly[(r["rule_id"], month)] = rate
        for acc in (monthly_total[month], rule_rate[r["rule_id"]], total):
            acc.add(rate.settled, rate.on_time)

    # 2. Overdue now and due this week, per kind.
    overdue_by_rule, week_by_rule = {}, {}
    for r in (
        scoped.filter(overdue_q(now) | due_this_week_q(now))
        .order_by()
        .values("rule_id")
        .annotate(overdue=Count("pk", filter=overdue_q(now)), week=Count("pk", filter=due_this_week_q(now)))
    ):
        overdue_by_rule[r["rule_id"]], week_by_rule[r["rule_id"]] = r["overdue"], r["week"]

    # 3. Lead times (not narrowed by the deadline kind: they are about the youth's wait).
    unruled = scoped_deadlines(user, filters, with_rule=False)
    lead_met = lead_times_met(unruled, filters)
    waiting = still_waiting(lead_time_deadlines(unruled))
    lead = {code: Lead() for code, _, _ in STEPS}
    for (step, _), value in _lead_stats(lead_met, None).items():
        lead[step] = value
    for r in waiting.order_by().values("rule__met_by_event").annotate(n=Count("pk")):
        lead[STEP_BY_EVENT[r["rule__met_by_event"]]].waiting = r["n"]

    # 4. By gemeente and by partner.
    gemeenten = {o.pk: o.name for o in gemeente_choices(user)}
    partners = {o.pk: o.name for o in partner_choices()}
    sets = (now, scoped, settled, lead_met, waiting)
    by_gemeente = _group_rows(*sets, group="case__gemeente_id", names=gemeenten)
    by_partner = _group_rows(*sets, group="case__regie_organisatie_id", names=partners)
    return Figures(
        filters=filters,
        rules=rules,
        months=months,
        monthly=monthly,
        monthly_total=dict(monthly_total),
        rule_rate=dict(rule_rate),
        total=total,
        overdue_by_rule=overdue_by_rule,
        week_by_rule=week_by_rule,
        overdue=sum(overdue_by_rule.values()),
        due_this_week=sum(week_by_rule.values()),
        lead=lead,
        by_gemeente=by_gemeente,
        by_partner=by_partner,
    )
