"""The lists behind the dashboard's figures: which deadlines a figure counts, one query whatever its
length, and each row as the page and the CSV show it."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Value

from accounts.models import User
from referrals.models import EventKind, Overbrugging

from .. import workdays
from ..models import Deadline, DeadlineState, Outcome
from .definitions import STEP_LABELS, STEPS, Filters, add_months, month_name
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


def _lead_time_list(user: User, filters: Filters, spec: ListSpec) -> QuerySet[Deadline]:
    qs = lead_time_deadlines(scoped_deadlines(user, filters, with_rule=False))
    if spec.step:
        event = next((e for code, e, _ in STEPS if code == spec.step), None)
        qs = qs.filter(rule__met_by_event=event)
    if spec.kind == "doorlooptijd":
        return lead_times_met(qs, filters).order_by("-met_at")
    return still_waiting(qs).order_by("started_at")


def _deadline_kind_list(user: User, filters: Filters, spec: ListSpec, now: datetime) -> QuerySet[Deadline]:
    scoped = scoped_deadlines(user, filters)
    if spec.kind == "verstreken":
        return scoped.filter(overdue_q(now)).order_by("due_at")
    if spec.kind == "deze-week":
        return scoped.filter(due_this_week_q(now)).order_by("due_at")
    qs = settled_in_period(scoped, filters, now)
    if spec.month:
        qs = qs.filter(
            settled_at__gte=workdays.start_of_day(spec.month),
            settled_at__lt=workdays.start_of_day(add_months(spec.month, 1)),
        )
    if spec.kind == "te-laat":
        qs = qs.filter(late_q())
    return qs.order_by("-settled_at")


def deadline_list(user: User, filters: Filters, spec: ListSpec, now: datetime) -> QuerySet[Deadline]:
    """The deadlines behind one figure (one query, whatever its length)."""
    if spec.kind in ("doorlooptijd", "wachtend"):
        qs = _lead_time_list(user, filters, spec)
    else:
        qs = _deadline_kind_list(user, filters, spec, now)
    return qs.select_related("rule", "case__gemeente", "case__regie_organisatie").annotate(
        bridged=Exists(Overbrugging.objects.filter(case_id=OuterRef("case_id"))),
        days_taken=Value(None, output_field=IntegerField())
        if connection.vendor != "postgresql"
        else LocalDaysBetween("started_at", "met_at"),
    )


def list_title(spec: ListSpec) -> str:
    title = LISTS[spec.kind]
    if spec.step:
        title += f": {STEP_LABELS.get(spec.step, '').lower()}"
    if spec.month:
        title += f" in {month_name(spec.month)}"
    return title


def _status(d: Deadline, now: datetime) -> str:
    if d.state == DeadlineState.MET:
        return f"voldaan {d.get_outcome_display()}"
    if d.state == DeadlineState.BREACHED or (d.state == DeadlineState.OPEN and d.due_at < now and not d.paused_at):
        return "verstreken"
    if d.paused_at:
        return "opgeschort"
    return d.get_state_display().lower()


def _late_days(d: Deadline, now: datetime) -> int | None:
    if d.state != DeadlineState.MET and d.due_at < now:
        return (workdays.local_date(now) - workdays.local_date(d.due_at)).days
    if d.state == DeadlineState.MET and d.outcome == Outcome.LATE:
        return (workdays.local_date(d.met_at) - workdays.local_date(d.due_at)).days
    return None


def _bridged(d: Deadline) -> bool:
    """Still waiting for the start of care, with overbruggingszorg recorded."""
    return (
        getattr(d, "bridged", False) and d.state != DeadlineState.MET and d.rule.met_by_event == EventKind.ZORG_GESTART
    )


def list_row(d: Deadline, now: datetime) -> dict:
    """One row as the page and the CSV show it."""
    days = d.days_taken
    if days is None and d.met_at:
        days = (workdays.local_date(d.met_at) - workdays.local_date(d.started_at)).days
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
        "status": _status(d, now) + (", met overbruggingszorg" if _bridged(d) else ""),
        "days": days,
        "late_days": _late_days(d, now),
    }
