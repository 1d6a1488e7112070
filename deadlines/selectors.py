"""Read queries of the deadline engine, narrowed to what the user may see (referrals.selectors.visibility_q).

The managers' dashboard has its own modules (deadlines.figures, deadlines.dashboard)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User, is_gastheergemeente
from accounts.roles import Role
from accounts.services import log_access
from referrals.models import Case, CaseEvent, EventKind
from referrals.selectors import log_case_list, references_text, visible_cases

from . import workdays
from .models import Deadline, DeadlineRule, DeadlineState, Notification

# A youth turning 18 within this many months without a finished perspectiefplan is flagged [HvB-QA 3].
TURNING_18_MONTHS = 6
ADULT_MONTHS = 18 * 12


def _warned_message_deadlines(user: User) -> Q:
    """The backoffice handles the messages of its gemeente (the gastheergemeente's: of every gemeente)
    [HvB-STAP]: it sees the deadlines it is warned about, also on a case whose file it does not see."""
    if user.role != Role.BACKOFFICE or user.organisation is None:
        return Q(pk__in=[])
    rule_ids = [rule.pk for rule in DeadlineRule.objects.all() if Role.BACKOFFICE in rule.targets()]
    q = Q(rule_id__in=rule_ids)
    return q if is_gastheergemeente(user.organisation) else q & Q(case__gemeente_id=user.organisation_id)


def visible_deadline(user: User, pk: int) -> Deadline:
    """One deadline of a case the user may see (or, for the backoffice, a message deadline it handles), its
    read logged; one of a case the user may not see is a refused attempt, logged as such, and 404 as for one
    that does not exist."""
    qs = Deadline.objects.filter(
        Q(case__in=visible_cases(user).values("pk")) | _warned_message_deadlines(user)
    ).select_related("rule", "case__jeugdige", "case__gemeente", "start_event__actor", "case__verwijzer_user")
    try:
        deadline = qs.get(pk=pk)
    except Deadline.DoesNotExist:
        found = Deadline.objects.filter(pk=pk).values_list("case__public_id", "case_id").first()
        if found is not None:  # the case exists, but not for this user: a refused attempt on it
            case_id, case_pk = found
            description = f"{Case.reference_of(case_pk)}: geen toegang (termijn {pk})"
            log_access(user=user, action="geweigerd", object_type="casus", object_id=case_id, description=description)
        raise Http404("Deze termijn bestaat niet of u heeft er geen toegang toe.") from None
    log_access(
        user=user,
        action="inzien",
        object_type="termijn",
        object_id=deadline.pk,
        description=f"{deadline.case.reference}: {deadline.rule.name}",
    )
    return deadline


# The work lists show deadlines that are overdue or due within this many days.
PRESSING_DAYS = 14


def pressing_deadlines(user: User, limit: int = 15) -> QuerySet[Deadline]:
    """Overdue deadlines and those due within PRESSING_DAYS on the cases the user sees, most pressing
    (earliest due) first; paused ones wait."""
    # A rule that outlives the case (light help after closing, the JW307) stays pressing on a closed case.
    return (
        Deadline.objects.filter(
            Q(case__in=visible_cases(user).open().values("pk"))
            | Q(rule__survives_case_end=True, case__in=visible_cases(user).values("pk")),
            state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
            paused_at__isnull=True,
            due_at__lte=timezone.now() + timedelta(days=PRESSING_DAYS),
        )
        .select_related("rule", "case")
        .order_by("due_at")[:limit]
    )


@dataclass
class Turning18:
    case: Case
    turns_18_on: date
    already_18: bool


def _no_plan_finished():
    return ~Exists(CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.PERSPECTIEFPLAN_GEREED))


def turning_18_without_plan(
    user: User, *, months: int = TURNING_18_MONTHS, today: date | None = None
) -> list[Turning18]:
    """Open cases whose youth turns 18 within `months` months (or already is 18) while no perspectiefplan
    18-/18+ has been recorded as finished: coördinator and Crossroads must align on verlengde jeugdhulp."""
    today = today or timezone.localdate()
    limit = workdays.add_months_to_date(today, months)
    born_by = workdays.add_months_to_date(limit, -ADULT_MONTHS)
    cases = (
        visible_cases(user)
        .open()
        .filter(jeugdige__geboortedatum__lte=born_by)
        .filter(_no_plan_finished())
        .select_related("jeugdige", "gemeente", "regie_organisatie")
        .order_by("jeugdige__geboortedatum", "pk")
    )
    rows = []
    for case in cases:
        turns = workdays.date_at_age(case.jeugdige.geboortedatum, ADULT_MONTHS)
        if turns <= limit:  # the query's cut-off is a day wide around 29 February
            rows.append(Turning18(case=case, turns_18_on=turns, already_18=turns <= today))
    return rows


def turning_18_flag(case: Case, *, months: int = TURNING_18_MONTHS, today: date | None = None) -> Turning18 | None:
    """The same flag for one case (the case page)."""
    if not case.is_open:
        return None
    today = today or timezone.localdate()
    turns = workdays.date_at_age(case.jeugdige.geboortedatum, ADULT_MONTHS)
    if turns > workdays.add_months_to_date(today, months):
        return None
    if CaseEvent.objects.filter(case_id=case.pk, kind=EventKind.PERSPECTIEFPLAN_GEREED).exists():
        return None
    return Turning18(case=case, turns_18_on=turns, already_18=turns <= today)


# Roles whose start page (work list) shows the deadline signals.
WORK_LIST_ROLES = {"aanmeldpunt", "regievoerder", "toegang_medewerker"}


def work_list_signals(user: User) -> dict:
    """What the start page shows of deadlines: the most pressing ones and the youths turning 18 without a
    perspectiefplan. `signal_cases` are the cases shown by name (for the access log)."""
    if user.role not in WORK_LIST_ROLES:
        return {}
    turning = turning_18_without_plan(user)
    return {
        "pressing_deadlines": list(pressing_deadlines(user)),
        "turning_18": turning,
        "signal_cases": [t.case for t in turning],
    }


def notifications_of(user: User, limit: int = 100) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("case").order_by("-created_at", "-pk")[:limit]


def unread_notifications(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


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


def case_deadlines(case: Case, now=None) -> list[dict]:
    """The case's deadlines, most pressing first, in one query, each with its due day, time left and why."""
    now = now or timezone.now()
    deadlines = sorted(
        Deadline.objects.filter(case_id=case.pk).select_related("rule", "start_event__actor"),
        key=lambda d: (_ORDER[d.state], d.paused_at is not None, d.due_at),
    )
    return [
        {
            "deadline": d,
            "due": workdays.day_text(d.due_at),
            "left": time_left(d, now),
            "overdue": d.state == DeadlineState.BREACHED and not d.met_at,
            "explanation": d.explanation(),
        }
        for d in deadlines
    ]


def log_dashboard_list(user: User, title: str, cases, *, export: bool = False) -> None:
    """The cases behind a figure of the dashboard, shown as a list or exported as CSV: logged by reference."""
    if not export:
        log_case_list(user=user, where=f"Dashboard: {title}", cases=cases)
        return
    listed = references_text([c.reference for c in cases], limit=240)
    description = f"Dashboard CSV {title}: {listed}"
    log_access(user=user, action="export", object_type="casussen", object_id="-", description=description)
