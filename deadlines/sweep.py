"""The sweep: mark breaches and warn, once, however often and on however many workers it runs.

Set-based, so its number of queries does not grow with the number of deadlines:

1. one UPDATE marks every running deadline whose due moment has passed as breached; the rows are picked
   in a subquery with FOR UPDATE SKIP LOCKED (where the database has it), so a concurrent sweep skips
   them instead of waiting, and the outer UPDATE re-checks the state;
2. reminder and breach warnings are inserted with INSERT ... ON CONFLICT DO NOTHING (bulk_create with
   ignore_conflicts) against the unique constraint on (deadline, kind), tagged with this run's id;
3. the rows carrying this run's id, and only those, become in-app notifications, and after the commit
   e-mails (at most once: a failing mail server does not bring a warning back).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction

from accounts.models import User, gastheergemeente_id, is_gastheergemeente
from accounts.roles import Role
from referrals.models import Case

from .models import (
    PERSON_TARGETS,
    Deadline,
    DeadlineRule,
    DeadlineState,
    DeadlineWarning,
    Notification,
    WarningKind,
)
from .workdays import day_text

# Roles whose people work for one gemeente: warned only about that gemeente's cases.
TOEGANG_ROLES = {Role.TOEGANG_MEDEWERKER, Role.GEDRAGSWETENSCHAPPER}  # organisation is a team of the gemeente
GEMEENTE_ROLES = {Role.MANAGER_GEMEENTE, Role.BACKOFFICE}  # organisation is the gemeente itself


@dataclass
class SweepResult:
    breached: int = 0
    reminders: int = 0
    breach_warnings: int = 0
    notifications: int = 0
    emails: int = 0
    messages: list = field(default_factory=list, repr=False)


# Warnings are turned into notifications a chunk at a time, so a sweep's memory does not grow with the
# number of deadlines it warns about (a first sweep over a large backlog warns about tens of thousands).
CHUNK = 2000


def run_sweep(now: datetime) -> SweepResult:
    result = SweepResult()
    run_id = uuid.uuid4()
    with transaction.atomic():
        result.breached = _mark_breached(now)
        _insert_warnings(now, run_id)
        # The ids first (by the sweep_run index), then their details a chunk at a time.
        won = list(DeadlineWarning.objects.filter(sweep_run=run_id).order_by("pk").values_list("pk", flat=True))
        recipients = None
        for start in range(0, len(won), CHUNK):
            rows = DeadlineWarning.objects.filter(pk__in=won[start : start + CHUNK]).order_by("pk")
            warnings = [_Warned(*row) for row in rows.values_list(*_WARNED_LOOKUPS)]
            result.reminders += sum(w.kind == WarningKind.REMINDER for w in warnings)
            result.breach_warnings += sum(w.kind == WarningKind.BREACH for w in warnings)
            if recipients is None:
                recipients = _Recipients()
            notifications, messages = _notify(warnings, now, recipients)
            result.notifications += notifications
            result.messages += messages
    if result.messages:
        result.emails = get_connection().send_messages(result.messages) or 0
    return result


class _Warned(NamedTuple):
    """A warning this run gave, with what its text and its recipients depend on (values, not model
    instances: a first sweep over a large backlog gives tens of thousands)."""

    pk: int
    kind: str
    due_at: datetime
    rule_name: str
    rule_id: int
    case_id: int
    verwijzer_user_id: int | None
    coordinator_id: int | None
    regie_organisatie_id: int | None
    gemeente_id: int | None

    @property
    def text(self) -> str:
        reference = Case.reference_of(self.case_id)
        if self.kind == WarningKind.BREACH:
            return f"{reference}: de termijn '{self.rule_name}' is verstreken (uiterlijk {day_text(self.due_at)})."
        return f"{reference}: de termijn '{self.rule_name}' verloopt op {day_text(self.due_at)}."


# The lookups behind _Warned's fields, in its order (values_list on DeadlineWarning).
_WARNED_LOOKUPS = (
    "pk",
    "kind",
    "deadline__due_at",
    "deadline__rule__name",
    "deadline__rule_id",
    "deadline__case_id",
    "deadline__case__verwijzer_user_id",
    "deadline__case__coordinator_id",
    "deadline__case__regie_organisatie_id",
    "deadline__case__gemeente_id",
)


def _mark_breached(now: datetime) -> int:
    overdue = Deadline.objects.running().filter(due_at__lt=now)
    if connection.features.has_select_for_update_skip_locked:
        overdue = overdue.select_for_update(skip_locked=True)
    return Deadline.objects.filter(pk__in=overdue.values("pk"), state=DeadlineState.OPEN).update(
        state=DeadlineState.BREACHED, breached_at=now
    )


def _insert_warnings(now: datetime, run_id: uuid.UUID) -> None:
    reminder_due = (
        Deadline.objects.running()
        .filter(remind_at__lte=now, due_at__gte=now)
        .exclude(warnings__kind=WarningKind.REMINDER)
        .values_list("pk", flat=True)
    )
    breach_due = (
        Deadline.objects.filter(state=DeadlineState.BREACHED)
        .exclude(warnings__kind=WarningKind.BREACH)
        .values_list("pk", flat=True)
    )
    rows = [
        DeadlineWarning(deadline_id=pk, kind=WarningKind.REMINDER, created_at=now, sweep_run=run_id)
        for pk in reminder_due
    ] + [
        DeadlineWarning(deadline_id=pk, kind=WarningKind.BREACH, created_at=now, sweep_run=run_id) for pk in breach_due
    ]
    if rows:
        DeadlineWarning.objects.bulk_create(rows, ignore_conflicts=True)


class _Recipients:
    """Who is warned, looked up by the deadline's rule and case instead of by a query per deadline: the
    active people of the warned roles, indexed once per sweep by what decides whether they are warned."""

    def __init__(self):
        self.rules = {rule.pk: rule for rule in DeadlineRule.objects.all()}
        roles = {t for rule in self.rules.values() for t in rule.targets()} - set(PERSON_TARGETS)
        users = User.objects.filter(is_active=True, role__in=roles).select_related("organisation")
        self.by_role: dict[str, list[User]] = defaultdict(list)
        self.by_role_org: dict[tuple, list[User]] = defaultdict(list)
        self.by_role_gemeente: dict[tuple, list[User]] = defaultdict(list)
        for user in users.only("pk", "email", "role", "organisation_id", "organisation__gemeente_id"):
            self.by_role[user.role].append(user)
            self.by_role_org[(user.role, user.organisation_id)].append(user)
            gemeente = user.organisation.gemeente_id if user.organisation else None
            self.by_role_gemeente[(user.role, gemeente)].append(user)
        self.gastheer_id = gastheergemeente_id()
        self.people: dict[int, User] = {}  # the verwijzers and coördinatoren warned by name

    def load_people(self, warnings: list[_Warned]) -> None:
        wanted = {
            getattr(w, field)
            for w in warnings
            for target, field in PERSON_TARGETS.items()
            if target in self.rules[w.rule_id].warned(w.kind)
        } - {None}
        wanted -= self.people.keys()
        if wanted:
            for user in User.objects.filter(pk__in=wanted, is_active=True).only("pk", "email"):
                self.people[user.pk] = user

    def of(self, warned: _Warned) -> list[User]:
        people = {}
        for target in self.rules[warned.rule_id].warned(warned.kind):
            for user in self._of_target(target, warned):
                people.setdefault(user.pk, user)
        return list(people.values())

    def _of_target(self, target: str, warned: _Warned) -> list[User]:
        if target in PERSON_TARGETS:
            user = self.people.get(getattr(warned, PERSON_TARGETS[target]))
            return [user] if user else []
        if target == Role.REGIEVOERDER:
            org = warned.regie_organisatie_id
            return self.by_role_org.get((target, org), []) if org else []
        if target in TOEGANG_ROLES:
            return self.by_role_gemeente.get((target, warned.gemeente_id), [])
        if target == Role.BACKOFFICE:
            # The gemeente's own backoffice and the gastheergemeente's, through which its messages run.
            own = self.by_role_org.get((target, warned.gemeente_id), [])
            return own + self.by_role_org.get((target, self.gastheer_id), [])
        if target in GEMEENTE_ROLES:
            return self.by_role_org.get((target, warned.gemeente_id), [])
        return self.by_role.get(target, [])


def is_warned(user: User, target: str, case: Case) -> bool:
    """Whether `user` is one of the people `target` names on `case`: the same answer as _Recipients.of,
    for one person (who may pause or extend a deadline is who is warned about it)."""
    if target in PERSON_TARGETS:
        # The named person, or whoever stands in for them is not warned by name: they see the case's list.
        return getattr(case, PERSON_TARGETS[target]) == user.pk
    if user.role != target:
        return False
    if target == Role.REGIEVOERDER:
        return case.regie_organisatie_id is not None and user.organisation_id == case.regie_organisatie_id
    if target in TOEGANG_ROLES:
        return user.organisation is not None and user.organisation.gemeente_id == case.gemeente_id
    if target == Role.BACKOFFICE:
        return user.organisation_id == case.gemeente_id or is_gastheergemeente(user.organisation)
    if target in GEMEENTE_ROLES:
        return user.organisation_id == case.gemeente_id
    return True


def _notify(warnings: list[_Warned], now: datetime, recipients: _Recipients) -> tuple[int, list[EmailMessage]]:
    """In-app notifications (inserted as plain rows) and the e-mails to send after the commit."""
    recipients.load_people(warnings)
    created_at = Notification._meta.get_field("created_at").get_db_prep_value(now, connection)
    rows, messages = [], []
    for warning in warnings:
        text = warning.text
        for user in recipients.of(warning):
            rows.append((user.pk, warning.case_id, text, created_at))
            if user.email:
                subject = "Termijn verstreken" if warning.kind == WarningKind.BREACH else "Herinnering termijn"
                messages.append(
                    EmailMessage(
                        subject=f"{subject}: {Case.reference_of(warning.case_id)}",
                        body=text + "\n\nBekijk de casus in het casussysteem segment 1.",
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[user.email],
                    )
                )
    _insert_notifications(rows)
    return len(rows), messages


def _insert_notifications(rows: list[tuple]) -> None:
    """One multi-row INSERT per chunk of plain tuples: no model instance per notification."""
    sql = f"INSERT INTO {Notification._meta.db_table} (user_id, case_id, text, created_at) VALUES "
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(sql + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)), [v for row in chunk for v in row])
