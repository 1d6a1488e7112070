"""The dashboard's figures from the kept counts (deadlines_dashboardtally, ADR 0015): PostgreSQL.

The same figures as counted.counted_figures(), which counts the deadlines themselves, but read from the
counts the triggers of migration 0008 keep per rule, month, gemeente, partner and stage: sums over a few
hundred thousand short rows at national size instead of joins over millions of deadlines with their cases.
What moves with the clock alone (open and past its due moment but not swept yet, due this week) is read
live from the partial covering index deadline_running_due: a narrow range, without visiting the rows.
Medians and 90th percentiles come from the kept distribution of days, computed as percentile_cont does
(linear interpolation between ranks). Seven queries, whatever the number of deadlines.
"""

import math
from collections import defaultdict
from datetime import datetime

from django.db import connection

from accounts.models import User
from accounts.roles import Role
from referrals.models import EventKind

from .. import workdays
from ..models import DashboardTally, DeadlineRule
from .definitions import (
    STEP_BY_EVENT,
    STEPS,
    Figures,
    Filters,
    GroupRow,
    Lead,
    Rate,
    end_of_week,
    gemeente_choices,
    group_name,
    ordered,
    partner_choices,
    require_manager,
)

TALLY = DashboardTally._meta.db_table
AMS = workdays.AMSTERDAM.key
OPEN_STAGE = 1  # deadlines_case_stage(): 0 concept, 1 open, 2 ended

# GROUPING(rule_id, month, gemeente_id, partner_id) of each grouping set: a bit is set where the column is
# summed over.
BY_RULE_MONTH, BY_GEMEENTE, BY_PARTNER = 0b0011, 0b1101, 0b1110
# The lead-time histograms: over all, per gemeente, per partner.
LEAD_TOTAL, LEAD_GEMEENTE, LEAD_PARTNER = 0, 1, 2


class _Scope:
    """The manager's scope and the filters as one WHERE clause, on the tally's or the deadlines' columns."""

    def __init__(self, user: User, filters: Filters, *, with_rule: bool, with_stage: bool = False, prefix: str = ""):
        self.sql, self.params = ["TRUE"], []
        if with_stage:  # concept cases are not counted (they have no deadlines: the aanmelding opens the first)
            self.add(f"{prefix}stage <> %s", 0)
        self.narrowed = bool(user.role == Role.MANAGER_GEMEENTE or filters.gemeente or filters.partner)
        if user.role == Role.MANAGER_GEMEENTE:  # never another gemeente, whatever the filter
            self.add(f"{prefix}gemeente_id = %s", user.organisation_id)
        if filters.gemeente:
            self.add(f"{prefix}gemeente_id = %s", filters.gemeente)
        if filters.partner:
            self.add(f"{prefix}partner_id = %s", filters.partner)
        if with_rule and filters.rule:
            self.add("rule_id = %s", filters.rule)

    def add(self, sql: str, value) -> None:
        self.sql.append(sql)
        self.params.append(value)

    @property
    def where(self) -> str:
        return " AND ".join(self.sql)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Tally:
    """The figures added up from the kept counts, one query per part."""

    def __init__(self, user: User, filters: Filters, now: datetime):
        self.user, self.filters, self.now = user, filters, now
        self.rules = list(DeadlineRule.objects.order_by("name"))
        self.survives = {r.pk for r in self.rules if r.survives_case_end}
        self.lead_steps = {
            r.pk: STEP_BY_EVENT[r.met_by_event]
            for r in self.rules
            if r.start_event == EventKind.AANGEMELD and r.met_by_event in STEP_BY_EVENT
        }
        self.monthly, self.monthly_total, self.rule_rate = defaultdict(Rate), defaultdict(Rate), defaultdict(Rate)
        self.total = Rate()
        self.overdue_by_rule, self.week_by_rule = defaultdict(int), defaultdict(int)
        self.lead = {code: Lead() for code, _, _ in STEPS}
        self.groups: dict = {"gemeente": {}, "partner": {}}
        self.names = {
            "gemeente": {o.pk: o.name for o in gemeente_choices(user)},
            "partner": {o.pk: o.name for o in partner_choices()},
        }

    def group(self, kind: str, pk) -> GroupRow:
        rows = self.groups[kind]
        if pk not in rows:
            rows[pk] = GroupRow(pk=pk, name=group_name(self.names[kind], pk))
        return rows[pk]

    def settle(self, grouping: int, rule_id, month, gemeente_id, partner_id, n: int, on_time: int) -> None:
        if grouping == BY_RULE_MONTH:
            rates = (self.monthly[(rule_id, month)], self.monthly_total[month], self.rule_rate[rule_id], self.total)
        elif grouping == BY_GEMEENTE:
            rates = (self.group("gemeente", gemeente_id).rate,)
        else:
            rates = (self.group("partner", partner_id).rate,)
        for rate in rates:
            rate.add(n, on_time)

    def overdue(self, rule_id, gemeente_id, partner_id, n: int) -> None:
        self.overdue_by_rule[rule_id] += n
        self.group("gemeente", gemeente_id).overdue += n
        self.group("partner", partner_id).overdue += n

    def count_settled(self) -> None:
        """Settled per month and kind, per gemeente, per partner (the kept part: met and breached)."""
        ruled = _Scope(self.user, self.filters, with_rule=True)
        for grouping, *key, n, on_time in _rows(
            f"SELECT GROUPING(rule_id, month, gemeente_id, partner_id), rule_id, month, gemeente_id, partner_id, "
            f"sum(n), sum(on_time) FROM {TALLY} WHERE kind = 'settled' AND month >= %s AND month <= %s "
            f"AND {ruled.where} "
            "GROUP BY GROUPING SETS ((rule_id, month), (gemeente_id), (partner_id)) HAVING sum(n) <> 0",
            [self.filters.start, self.filters.end, *ruled.params],
        ):
            self.settle(grouping, *key, n, on_time)

    def count_live(self) -> None:
        """What the clock alone moves: running deadlines past their due moment that the sweep has not marked
        yet (late, and overdue) and those due this week. A narrow range of the index deadline_running_due."""
        live = _Scope(self.user, self.filters, with_rule=True, with_stage=True, prefix="dash_")
        for rule_id, stage, gemeente_id, partner_id, month, past, n in _rows(
            f"SELECT rule_id, dash_stage, dash_gemeente_id, dash_partner_id, "
            f"date_trunc('month', due_at AT TIME ZONE '{AMS}')::date, due_at < %s, count(*) "
            f"FROM deadlines_deadline WHERE state = 'open' AND paused_at IS NULL AND due_at <= %s AND {live.where} "
            "GROUP BY 1, 2, 3, 4, 5, 6",
            [self.now, end_of_week(self.now), *live.params],
        ):
            if not past:
                self.week_by_rule[rule_id] += n
                continue
            if self.filters.start <= month <= self.filters.end:
                for grouping in (BY_RULE_MONTH, BY_GEMEENTE, BY_PARTNER):
                    self.settle(grouping, rule_id, month, gemeente_id, partner_id, n, 0)
            if stage == OPEN_STAGE or rule_id in self.survives:
                self.overdue(rule_id, gemeente_id, partner_id, n)

    def count_states(self) -> None:
        """Breached now (overdue while the case is open, or its rule outlives the case) and still waiting for
        a step, from the kept state counts."""
        current = _Scope(self.user, self.filters, with_rule=False, with_stage=True)
        rule_filter = self.filters.rule
        for kind, rule_id, stage, gemeente_id, partner_id, n in _rows(
            f"SELECT kind, rule_id, stage, gemeente_id, partner_id, sum(n) FROM {TALLY} "
            f"WHERE kind IN ('open', 'breached') AND {current.where} "
            "GROUP BY kind, rule_id, stage, gemeente_id, partner_id HAVING sum(n) <> 0",
            current.params,
        ):
            actionable = stage == OPEN_STAGE or rule_id in self.survives
            if kind == "breached" and actionable and (not rule_filter or rule_id == rule_filter):
                self.overdue(rule_id, gemeente_id, partner_id, n)
            if stage == OPEN_STAGE and rule_id in self.lead_steps:
                step = self.lead_steps[rule_id]
                self.lead[step].waiting += n
                self.group("gemeente", gemeente_id).lead.setdefault(step, Lead()).waiting += n
                self.group("partner", partner_id).lead.setdefault(step, Lead()).waiting += n

    def count_lead_times(self) -> None:
        """Lead times met in the period: count, median and p90 from the kept distribution of days."""
        unruled = _Scope(self.user, self.filters, with_rule=False)
        for grouping, gemeente_id, partner_id, step, stats in _lead_times(unruled, self.filters, self.lead_steps):
            if grouping == LEAD_TOTAL:
                waiting = self.lead[step].waiting
                self.lead[step] = Lead(n=stats.n, median=stats.median, p90=stats.p90, waiting=waiting)
                continue
            kind, pk = ("gemeente", gemeente_id) if grouping == LEAD_GEMEENTE else ("partner", partner_id)
            row = self.group(kind, pk)
            waiting = row.lead[step].waiting if step in row.lead else 0
            row.lead[step] = Lead(n=stats.n, median=stats.median, p90=stats.p90, waiting=waiting)

    def figures(self) -> Figures:
        return Figures(
            filters=self.filters,
            rules=self.rules,
            months=self.filters.months,
            monthly=dict(self.monthly),
            monthly_total=dict(self.monthly_total),
            rule_rate=dict(self.rule_rate),
            total=self.total,
            overdue_by_rule={k: v for k, v in self.overdue_by_rule.items() if v},
            week_by_rule={k: v for k, v in self.week_by_rule.items() if v},
            overdue=sum(self.overdue_by_rule.values()),
            due_this_week=sum(self.week_by_rule.values()),
            lead=self.lead,
            by_gemeente=ordered(self.groups["gemeente"]),
            by_partner=ordered(self.groups["partner"]),
        )


def kept_figures(user: User, filters: Filters, now: datetime) -> Figures:
    require_manager(user)
    tally = _Tally(user, filters, now)
    tally.count_settled()
    tally.count_live()
    tally.count_states()
    tally.count_lead_times()
    return tally.figures()


def _lead_times(scope: _Scope, filters: Filters, lead_steps: dict) -> list[tuple]:
    """(grouping, gemeente, partner, step, Lead) over all, per gemeente and per partner. Narrowed to a
    gemeente or partner, from the counts per gemeente and partner ('lead'); for all of them, from the
    counts per gemeente ('lead_g') and per partner ('lead_p'), a third as many rows. Per group the
    histogram of days is walked once (window sums); the values at the two ranks around each percentile's
    position are interpolated in Python, as percentile_cont does."""
    if not lead_steps:
        return []
    total_kind, gemeente_kind, partner_kind = ("lead",) * 3 if scope.narrowed else ("lead_p", "lead_g", "lead_p")
    step_of = " ".join(f"WHEN {int(pk)} THEN '{step}'" for pk, step in lead_steps.items())
    where = f"month >= %s AND month <= %s AND rule_id IN ({', '.join(['%s'] * len(lead_steps))}) AND {scope.where}"
    where_params = [filters.start, filters.end, *lead_steps, *scope.params]
    rows = _rows(
        f"""
        WITH histogram AS (
            SELECT {LEAD_TOTAL} AS grouping, NULL::integer AS gemeente_id, NULL::integer AS partner_id,
                   CASE rule_id {step_of} END AS step, days, sum(n) AS c
              FROM {TALLY} WHERE kind = %s AND {where}
             GROUP BY step, days HAVING sum(n) <> 0
            UNION ALL
            SELECT {LEAD_GEMEENTE}, gemeente_id, NULL, CASE rule_id {step_of} END AS step, days, sum(n)
              FROM {TALLY} WHERE kind = %s AND {where}
             GROUP BY gemeente_id, step, days HAVING sum(n) <> 0
            UNION ALL
            SELECT {LEAD_PARTNER}, NULL, partner_id, CASE rule_id {step_of} END AS step, days, sum(n)
              FROM {TALLY} WHERE kind = %s AND {where}
             GROUP BY partner_id, step, days HAVING sum(n) <> 0
        ), ranked AS (
            SELECT grouping, gemeente_id, partner_id, step, days,
                   sum(c) OVER (PARTITION BY grouping, gemeente_id, partner_id, step ORDER BY days) AS upto,
                   sum(c) OVER (PARTITION BY grouping, gemeente_id, partner_id, step) AS total
              FROM histogram
        )
        SELECT grouping, gemeente_id, partner_id, step, max(total),
               min(days) FILTER (WHERE upto > floor(0.5 * (total - 1))),
               min(days) FILTER (WHERE upto > ceil(0.5 * (total - 1))),
               min(days) FILTER (WHERE upto > floor(0.9 * (total - 1))),
               min(days) FILTER (WHERE upto > ceil(0.9 * (total - 1)))
          FROM ranked GROUP BY grouping, gemeente_id, partner_id, step
        """,
        [param for kind in (total_kind, gemeente_kind, partner_kind) for param in (kind, *where_params)],
    )
    return [
        (
            grouping,
            gemeente_id,
            partner_id,
            step,
            Lead(n=int(n), median=_between(lo50, hi50, n, 0.5), p90=_between(lo90, hi90, n, 0.9)),
        )
        for grouping, gemeente_id, partner_id, step, n, lo50, hi50, lo90, hi90 in rows
    ]


def _between(low: int, high: int, n: int, fraction: float) -> float:
    position = fraction * (int(n) - 1)
    return float(low + (high - low) * (position - math.floor(position)))


def compact() -> None:
    """Fold the kept counts into one row per key (a nightly task; any number may run at once)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT deadlines_dashboard_compact()")
