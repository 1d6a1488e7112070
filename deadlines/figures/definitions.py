"""What the dashboard's figures are made of, whichever way they are computed: the filters, the manager's
scope, the steps of the lead times, the months, and the result types (ADR 0010)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.models import Organisation, OrganisationKind, User
from accounts.roles import Role
from referrals.models import EventKind

from .. import workdays

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


# --- Months and filters ----------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    return workdays.add_months_to_date(day, n)


def month_label(day: date) -> str:
    return f"{MONTHS_NL[day.month - 1]} {day.year}"


def month_name(day: date) -> str:
    return f"{MONTH_NAMES_NL[day.month - 1]} {day.year}"


def end_of_week(now: datetime) -> datetime:
    today = workdays.local_date(now)
    return workdays.end_of_day(today + timedelta(days=6 - today.weekday()))


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


# --- Who may see what ------------------------------------------------------------------------------------


def require_manager(user: User) -> None:
    if not user.is_authenticated or user.role not in MANAGER_ROLES or user.organisation_id is None:
        raise PermissionDenied("Het dashboard is er voor managers van Crossroads en van de gemeenten.")


def gemeente_choices(user: User) -> QuerySet[Organisation]:
    require_manager(user)
    qs = Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).order_by("name")
    if user.role == Role.MANAGER_GEMEENTE:
        qs = qs.filter(pk=user.organisation_id)
    return qs


def partner_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name")


def group_name(names: dict, pk) -> str:
    """The name of a gemeente or partner row; cases without a regievoerder have no partner."""
    return names.get(pk, "geen regievoerder" if pk is None else "?")


# --- The figures -----------------------------------------------------------------------------------------


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

    def add(self, settled: int, on_time: int) -> None:
        self.settled += settled
        self.on_time += on_time


@dataclass
class Lead:
    n: int = 0
    median: float | None = None
    p90: float | None = None
    waiting: int = 0
    bridged: int = 0  # of those waiting for the start of care: with overbruggingszorg recorded


@dataclass
class GroupRow:
    pk: int | None
    name: str
    rate: Rate = field(default_factory=Rate)
    overdue: int = 0
    lead: dict = field(default_factory=dict)  # step -> Lead


def ordered(rows: dict) -> list[GroupRow]:
    """Group rows by name, the row without a partner last."""
    return sorted(rows.values(), key=lambda g: (g.pk is None, g.name))


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
