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

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction

from accounts.models import User
from accounts.roles import Role

from .models import (
    VERWIJZER,
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
        won = DeadlineWarning.objects.filter(sweep_run=run_id)
        recipients = None
        last = 0
        while True:
            warnings = list(
                won.filter(pk__gt=last).select_related("deadline__rule", "deadline__case").order_by("pk")[:CHUNK]
            )
            if not warnings:
                break
            last = warnings[-1].pk
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
        roles = set(DeadlineRule.objects.exclude(warn=VERWIJZER).values_list("warn", flat=True).distinct())
        users = User.objects.filter(is_active=True, role__in=roles).select_related("organisation")
        self.by_role: dict[str, list[User]] = defaultdict(list)
        self.by_role_org: dict[tuple, list[User]] = defaultdict(list)
        self.by_role_gemeente: dict[tuple, list[User]] = defaultdict(list)
        for user in users.only("pk", "email", "role", "organisation_id", "organisation__gemeente_id"):
            self.by_role[user.role].append(user)
            self.by_role_org[(user.role, user.organisation_id)].append(user)
            gemeente = user.organisation.gemeente_id if user.organisation else None
            self.by_role_gemeente[(user.role, gemeente)].append(user)
        self.verwijzers: dict[int, User] = {}

    def load_verwijzers(self, deadlines: list[Deadline]) -> None:
        wanted = {d.case.verwijzer_user_id for d in deadlines if d.rule.warn == VERWIJZER} - {None}
        wanted -= self.verwijzers.keys()
        if wanted:
            for user in User.objects.filter(pk__in=wanted, is_active=True).only("pk", "email"):
                self.verwijzers[user.pk] = user

    def of(self, deadline: Deadline) -> list[User]:
        warn, case = deadline.rule.warn, deadline.case
        if warn == VERWIJZER:
            user = self.verwijzers.get(case.verwijzer_user_id)
            return [user] if user else []
        if warn == Role.REGIEVOERDER:
            return self.by_role_org.get((warn, case.regie_organisatie_id), []) if case.regie_organisatie_id else []
        if warn in TOEGANG_ROLES:
            return self.by_role_gemeente.get((warn, case.gemeente_id), [])
        if warn in GEMEENTE_ROLES:
            return self.by_role_org.get((warn, case.gemeente_id), [])
        return self.by_role.get(warn, [])


def _text(warning: DeadlineWarning) -> str:
    d = warning.deadline
    if warning.kind == WarningKind.BREACH:
        return f"{d.case.reference}: de termijn '{d.rule.name}' is verstreken (uiterlijk {day_text(d.due_at)})."
    return f"{d.case.reference}: de termijn '{d.rule.name}' verloopt op {day_text(d.due_at)}."


def _notify(warnings: list[DeadlineWarning], now: datetime, recipients: _Recipients) -> tuple[int, list[EmailMessage]]:
    recipients.load_verwijzers([w.deadline for w in warnings])
    notifications, messages = [], []
    for warning in warnings:
        text = _text(warning)
        for user in recipients.of(warning.deadline):
            notifications.append(Notification(user=user, case=warning.deadline.case, text=text, created_at=now))
            if user.email:
                subject = "Termijn verstreken" if warning.kind == WarningKind.BREACH else "Herinnering termijn"
                messages.append(
                    EmailMessage(
                        subject=f"{subject}: {warning.deadline.case.reference}",
                        body=text + "\n\nBekijk de casus in het casussysteem segment 1.",
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[user.email],
                    )
                )
    Notification.objects.bulk_create(notifications, batch_size=CHUNK)
    return len(notifications), messages
