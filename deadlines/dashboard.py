"""The managers' dashboard: how well deadlines are kept, what is overdue now, and how long youths wait.

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
  PostgreSQL's percentile_cont (linear interpolation); *waiting* are those still open.

Every figure is a set-based query with GROUP BY; a page costs the same number of queries however many
deadlines there are. On PostgreSQL the figures are sums over counts kept by triggers (dashboard_tally.py,
ADR 0015); counted_figures() computes the same from the deadlines themselves.

Who sees what is decided here, in the queryset: a Crossroads manager all cases, a
gemeente manager the cases of their own gemeente; anyone else is refused.
"""

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.db.models.functions import TruncMonth

from accounts.models import Organisation, OrganisationKind, User
from accounts.roles import Role
from referrals.models import OPEN_PHASES, Case, EventKind
from referrals.selectors import visibility_q

from . import workdays
from .models import Deadline, DeadlineRule, DeadlineState, Outcome

MANAGER_ROLES = {Role.MANAGER_CROSSROADS, Role.MANAGER_GEMEENTE}
MAX_MONTHS = 24

# The lead times the region lacks a report of: from the aanmelding to each step.
STEPS = [
    ("aanmeldgesprek", EventKind.AANMELDGESPREK_GEHOUDEN, "Aanmelding tot aanmeldgesprek"),
    ("start", EventKind.ZORG_GESTART, "Aanmelding tot start jeugdhulp"),
    ("beschikking", EventKind.BESCHIKKING_AFGEGEVEN, "Aanmelding tot beschikking"),
]
STEP_BY_EVENT = {event: code for code, event, _ in STEPS}
STEP_LABELS = {code: label for code, _, label in STEPS}

MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTH_NAMES_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


# --- SQL building blocks ------------------------------------------------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(f) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


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


def percentile(values: list[float], fraction: float) -> float | None:
    """percentile_cont in Python (for databases without it): linear interpolation between ranks."""
    if not values:
        return None
    values = sorted(values)
    pos = fraction * (len(values) - 1)
    low, high = math.floor(pos), math.ceil(pos)
    return values[low] + (values[high] - values[low]) * (pos - low)


# --- Filters and scope ---------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    return workdays.add_months_to_date(day, n)


def month_label(day: date) -> str:
    return f"{MONTHS_NL[day.month - 1]} {day.year}"


def month_name(day: date) -> str:
    return f"{MONTH_NAMES_NL[day.month - 1]} {day.year}"


@dataclass
class Filters:
    start: date  # first day of the first month
    end: date  # first day of the last month
    gemeente: int | None = None
    partner: int | None = None
    rule: int | None = None

    @classmethod
    def default(cls, today: date) -> "Filters":
        end = first_of_month(today)
        return cls(start=add_months(end, -11), end=end)

    @property
    def months(self) -> list[date]:
        months, m = [], self.start
        while m <= self.end:
            months.append(m)
            m = add_months(m, 1)
        return months

    @property
    def period_start(self) -> datetime:
        return workdays.start_of_day(self.start)

    @property
    def period_end(self) -> datetime:
        return workdays.start_of_day(add_months(self.end, 1))

    def query(self, **extra) -> dict:
        """The filters as query parameters (for links to the lists and the CSV)."""
        params = {"van": self.start.strftime("%Y-%m"), "tot": self.end.strftime("%Y-%m")}
        for name, value in (("gemeente", self.gemeente), ("partner", self.partner), ("regel", self.rule)):
            if value:
                params[name] = value
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return params


def require_manager(user: User) -> None:
    if not user.is_authenticated or user.role not in MANAGER_ROLES or user.organisation_id is None:
        raise PermissionDenied("Het dashboard is er voor managers van Crossroads en van de gemeenten.")


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


def gemeente_choices(user: User) -> QuerySet[Organisation]:
    require_manager(user)
    qs = Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).order_by("name")
    if user.role == Role.MANAGER_GEMEENTE:
        qs = qs.filter(pk=user.organisation_id)
    return qs


def partner_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name")


# --- The sets behind the figures ---------------------------------------------------------------------------


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


def end_of_week(now: datetime) -> datetime:
    today = workdays.local_date(now)
    return workdays.end_of_day(today + timedelta(days=6 - today.weekday()))


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


# --- Figures -----------------------------------------------------------------------------------------------


@dataclass
class Rate:
    settled: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.settled - self.on_time

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.settled, 1) if self.settled else None


@dataclass
class Lead:
    n: int = 0
    median: float | None = None
    p90: float | None = None
    waiting: int = 0


@dataclass
class GroupRow:
    pk: int | None
    name: str
    rate: Rate = field(default_factory=Rate)
    overdue: int = 0
    lead: dict = field(default_factory=dict)  # step -> Lead


@dataclass
class Figures:
    filters: Filters
    rules: list
    months: list[date]
    monthly: dict  # (rule_id, month) -> Rate
    monthly_total: dict  # month -> Rate
    rule_rate: dict  # rule_id -> Rate over the period
    total: Rate
    overdue_by_rule: dict  # rule_id -> int
    week_by_rule: dict
    overdue: int
    due_this_week: int
    lead: dict  # step -> Lead
    by_gemeente: list[GroupRow]
    by_partner: list[GroupRow]
    # Set by cached_figures: what else is derived from these figures may be kept under the same key.
    cache_key: str | None = None


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


def _group_rows(user, filters, now, scoped, settled, lead_met, waiting, group: str, names: dict) -> list[GroupRow]:
    rows: dict = {}

    def row(pk):
        if pk not in rows:
            rows[pk] = GroupRow(pk=pk, name=names.get(pk, "geen regievoerder" if pk is None else "?"))
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
    return sorted(rows.values(), key=lambda g: (g.pk is None, g.name))


def figures(user: User, filters: Filters, now: datetime) -> Figures:
    """The figures: on PostgreSQL from the counts its triggers keep (dashboard_tally, ADR 0015); elsewhere
    (the demo's SQLite) by counting the deadlines."""
    if connection.vendor == "postgresql":
        from .dashboard_tally import tallied_figures  # builds on this module's definitions

        return tallied_figures(user, filters, now)
    return counted_figures(user, filters, now)


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
            acc.settled += rate.settled
            acc.on_time += rate.on_time

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
    waiting = lead_time_deadlines(unruled).filter(
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED], case__phase__in=OPEN_PHASES
    )
    lead = {code: Lead() for code, _, _ in STEPS}
    for (step, _), value in _lead_stats(lead_met, None).items():
        lead[step] = value
    for r in waiting.order_by().values("rule__met_by_event").annotate(n=Count("pk")):
        lead[STEP_BY_EVENT[r["rule__met_by_event"]]].waiting = r["n"]

    # 4. By gemeente and by partner.
    gemeenten = {o.pk: o.name for o in gemeente_choices(user)}
    partners = {o.pk: o.name for o in partner_choices()}
    group_args = (user, filters, now)
    by_gemeente = _group_rows(
        *group_args, scoped, settled, lead_met, waiting, group="case__gemeente_id", names=gemeenten
    )
    by_partner = _group_rows(
        *group_args, scoped, settled, lead_met, waiting, group="case__regie_organisatie_id", names=partners
    )
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


# --- Keeping the figures -------------------------------------------------------------------------------------


def generation() -> int | None:
    """The number every write to deadlines, rules or cases moves on (migration 0007); None without it."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM deadlines_dashboard_generation")
        return cursor.fetchone()[0]


def cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 60)


def cached_figures(user: User, filters: Filters, now: datetime) -> Figures:
    """figures(), kept for at most DASHBOARD_CACHE_SECONDS (60) and only until the next write.

    The key holds the write generation, so a deadline met, breached, paused or a case moved on makes the
    next page compute anew in every process; and the time window, so figures that change with the clock
    alone (open past its due moment counts as overdue) are at most one window old. The scope is the
    manager's role and organisation (what scoped_deadlines() depends on)."""
    require_manager(user)
    seconds = cache_seconds()
    gen = generation()
    if gen is None or seconds <= 0:
        return figures(user, filters, now)
    window = int(now.timestamp()) // seconds
    scope = f"{gen}:{window}:{user.role}:{user.organisation_id}:{sorted(filters.query().items())}"
    key = "dashboard:" + hashlib.sha256(scope.encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = figures(user, filters, now)
        cache.set(key, result, seconds)
    result.cache_key = key
    return result


# --- The lists behind the figures --------------------------------------------------------------------------

LISTS = {
    "verstreken": "Nu verstreken termijnen",
    "deze-week": "Termijnen die deze week aflopen",
    "afgehandeld": "Afgehandelde termijnen",
    "te-laat": "Te laat afgehandelde termijnen",
    "doorlooptijd": "Doorlooptijden",
    "wachtend": "Nog wachtend",
}


@dataclass
class ListSpec:
    kind: str
    month: date | None = None
    step: str = ""


def deadline_list(user: User, filters: Filters, spec: ListSpec, now: datetime) -> QuerySet[Deadline]:
    """The deadlines behind one figure (one query, whatever its length)."""
    if spec.kind in ("doorlooptijd", "wachtend"):
        qs = lead_time_deadlines(scoped_deadlines(user, filters, with_rule=False))
        if spec.step:
            event = next((e for code, e, _ in STEPS if code == spec.step), None)
            qs = qs.filter(rule__met_by_event=event)
        if spec.kind == "doorlooptijd":
            qs = lead_times_met(qs, filters).order_by("-met_at")
        else:
            qs = qs.filter(
                state__in=[DeadlineState.OPEN, DeadlineState.BREACHED], case__phase__in=OPEN_PHASES
            ).order_by("started_at")
    else:
        scoped = scoped_deadlines(user, filters)
        if spec.kind == "verstreken":
            qs = scoped.filter(overdue_q(now)).order_by("due_at")
        elif spec.kind == "deze-week":
            qs = scoped.filter(due_this_week_q(now)).order_by("due_at")
        else:
            qs = settled_in_period(scoped, filters, now)
            if spec.month:
                qs = qs.filter(
                    settled_at__gte=workdays.start_of_day(spec.month),
                    settled_at__lt=workdays.start_of_day(add_months(spec.month, 1)),
                )
            if spec.kind == "te-laat":
                qs = qs.filter(late_q())
            qs = qs.order_by("-settled_at")
    return qs.select_related("rule", "case__gemeente", "case__regie_organisatie").annotate(
        days_taken=Value(None, output_field=IntegerField())
        if connection.vendor != "postgresql"
        else LocalDaysBetween("started_at", "met_at")
    )


def list_title(spec: ListSpec) -> str:
    title = LISTS[spec.kind]
    if spec.step:
        title += f": {STEP_LABELS.get(spec.step, '').lower()}"
    if spec.month:
        title += f" in {month_name(spec.month)}"
    return title


def list_row(d: Deadline, now: datetime) -> dict:
    """One row as the page and the CSV show it."""
    if d.state == DeadlineState.MET:
        status = f"voldaan {d.get_outcome_display()}"
    elif d.state == DeadlineState.BREACHED or (d.state == DeadlineState.OPEN and d.due_at < now and not d.paused_at):
        status = "verstreken"
    elif d.paused_at:
        status = "opgeschort"
    else:
        status = d.get_state_display().lower()
    days = d.days_taken
    if days is None and d.met_at:
        days = (workdays.local_date(d.met_at) - workdays.local_date(d.started_at)).days
    late_days = None
    if d.state != DeadlineState.MET and d.due_at < now:
        late_days = (workdays.local_date(now) - workdays.local_date(d.due_at)).days
    elif d.state == DeadlineState.MET and d.outcome == Outcome.LATE:
        late_days = (workdays.local_date(d.met_at) - workdays.local_date(d.due_at)).days
    return {
        "deadline": d,
        "case": d.case,
        "reference": d.case.reference,
        "gemeente": d.case.gemeente.name,
        "partner": d.case.regie_organisatie.name if d.case.regie_organisatie else "",
        "rule": d.rule.name,
        "started": workdays.local_date(d.started_at),
        "due": workdays.local_date(d.due_at),
        "met": workdays.local_date(d.met_at) if d.met_at else None,
        "status": status,
        "days": days,
        "late_days": late_days,
    }
