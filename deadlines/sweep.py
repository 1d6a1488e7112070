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
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role

from .models import (
    VERWIJZER,
    Deadline,
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


def run_sweep(now: datetime) -> SweepResult:
    result = SweepResult()
    run_id = uuid.uuid4()
    with transaction.atomic():
        result.breached = _mark_breached(now)
        _insert_warnings(now, run_id)
        warnings = list(
            DeadlineWarning.objects.filter(sweep_run=run_id).select_related("deadline__rule", "deadline__case")
        )
        result.reminders = sum(w.kind == WarningKind.REMINDER for w in warnings)
        result.breach_warnings = sum(w.kind == WarningKind.BREACH for w in warnings)
        if warnings:
            notifications, result.messages = _notify(warnings, now)
            result.notifications = len(notifications)
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


def _recipients_q(deadlines: list[Deadline]) -> Q:
    q = Q(pk__in=[])
    for d in deadlines:
        warn, case = d.rule.warn, d.case
        if warn == VERWIJZER:
            if case.verwijzer_user_id:
                q |= Q(pk=case.verwijzer_user_id)
        elif warn == Role.REGIEVOERDER:
            if case.regie_organisatie_id:
                q |= Q(role=warn, organisation_id=case.regie_organisatie_id)
        elif warn in TOEGANG_ROLES:
            q |= Q(role=warn, organisation__gemeente_id=case.gemeente_id)
        elif warn in GEMEENTE_ROLES:
            q |= Q(role=warn, organisation_id=case.gemeente_id)
        else:
            q |= Q(role=warn)
    return q


def _is_recipient(user: User, deadline: Deadline, team_gemeente: dict[int, int | None]) -> bool:
    warn, case = deadline.rule.warn, deadline.case
    if warn == VERWIJZER:
        return user.pk == case.verwijzer_user_id
    if user.role != warn:
        return False
    if warn == Role.REGIEVOERDER:
        return user.organisation_id == case.regie_organisatie_id
    if warn in TOEGANG_ROLES:
        return team_gemeente.get(user.pk) == case.gemeente_id
    if warn in GEMEENTE_ROLES:
        return user.organisation_id == case.gemeente_id
    return True


def _text(warning: DeadlineWarning) -> str:
    d = warning.deadline
    if warning.kind == WarningKind.BREACH:
        return f"{d.case.reference}: de termijn '{d.rule.name}' is verstreken (uiterlijk {day_text(d.due_at)})."
    return f"{d.case.reference}: de termijn '{d.rule.name}' verloopt op {day_text(d.due_at)}."


def _notify(warnings: list[DeadlineWarning], now: datetime) -> tuple[list[Notification], list[EmailMessage]]:
    deadlines = [w.deadline for w in warnings]
    users = list(
        User.objects.filter(_recipients_q(deadlines), is_active=True)
        .only("pk", "email", "role", "organisation_id", "organisation__gemeente_id")
        .select_related("organisation")
    )
    team_gemeente = {u.pk: u.organisation.gemeente_id if u.organisation else None for u in users}
    notifications, messages = [], []
    for warning in warnings:
        text = _text(warning)
        for user in users:
            if not _is_recipient(user, warning.deadline, team_gemeente):
                continue
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
    Notification.objects.bulk_create(notifications)
    return notifications, messages
