"""Pausing (opschorten), resuming (hervatten) and extending (verlengen) a deadline.

Each runs in one transaction, locks the deadline row and writes a timeline event through
referrals.services.record_event. Who may: the people the rule warns, before or after the due day (DOMAIN.md
section 6: "by the role the rule names"; for a gemeente role only on that gemeente's cases, for the backoffice
also the gastheergemeente's), and Crossroads' aanmeldpunt and
manager, who oversee all deadlines of the coalition (ADR 0005).
"""

import hashlib
import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from referrals.models import EventKind
from referrals.services import record_event

from . import workdays
from .engine import reminder_moment
from .models import Deadline, DeadlineRule, DeadlineRuleChange, DeadlineState, Notification, ReminderUnit
from .sweep import is_warned

# Besides the people the rule warns: Crossroads' intake desk and management oversee every deadline.
OVERSEERS = {Role.AANMELDPUNT, Role.MANAGER_CROSSROADS}


def may_manage(actor: User, deadline: Deadline) -> bool:
    if not actor.role:
        return False
    if actor.role in OVERSEERS:
        return True
    return any(is_warned(actor, target, deadline.case) for target in deadline.rule.targets())


# What the functioneel beheerder edits of a rule; each change is kept with its reason.
RULE_FIELDS = [
    "name",
    "start_event",
    "met_by_event",
    "also_met_by",
    "amount",
    "unit",
    "remind_amount",
    "remind_unit",
    "warn",
    "also_remind",
    "also_warn_on_breach",
    "routes",
    "excluded_hulpvormen",
    "max_age_at_start",
    "survives_case_end",
    "active",
    "source",
]


STALE = "Iemand anders heeft deze regel intussen gewijzigd. Open de regel opnieuw en breng uw wijziging dan aan."


def rule_version(rule: DeadlineRule) -> str:
    """A fingerprint of what the beheerder edits of a rule: a form carries it, to notice a change meanwhile."""
    values = json.dumps([getattr(rule, field) for field in RULE_FIELDS], sort_keys=True, default=str)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def save_rule(*, actor: User, rule: DeadlineRule, before: dict, reason: str) -> DeadlineRuleChange | None:
    """Save a new or changed rule and keep what changed (field: [old, new]), why and by whom. The period
    counts for deadlines opened after the change (a running deadline keeps the due moment it was given);
    who is warned and what meets it count at once, also for running deadlines. `before` may carry the
    `_version` the form was opened with."""
    if not actor.has_perm("deadlines.change_deadlinerule"):
        raise PermissionDenied("U mag termijnregels niet wijzigen.")
    if not reason.strip():
        raise ValidationError({"change_reason": "Geef de reden van de wijziging."})
    is_new = rule.pk is None
    with transaction.atomic():
        if not is_new:
            # What the rule was is read from the locked row, not from the form: a colleague's change saved
            # meanwhile is refused by the form (its version), and never recorded as this change.
            locked = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
            if rule_version(locked) != before.get("_version", rule_version(locked)):
                raise ValidationError(STALE)
            before = {field: getattr(locked, field) for field in RULE_FIELDS}
        changes = {
            field: [before.get(field), getattr(rule, field)]
            for field in RULE_FIELDS
            if is_new or before.get(field) != getattr(rule, field)
        }
        if not changes:
            return None
        rule.save()
        return DeadlineRuleChange.objects.create(
            rule=rule, changed_by=actor, changed_at=timezone.now(), reason=reason.strip(), changes=changes
        )


def _locked(deadline: Deadline, actor: User) -> Deadline:
    locked = Deadline.objects.select_for_update().select_related("rule", "case").get(pk=deadline.pk)
    if not may_manage(actor, locked):
        raise PermissionDenied("U mag deze termijn niet opschorten of verlengen.")
    if locked.state != DeadlineState.OPEN:
        raise ValidationError(f"Deze termijn is al {locked.get_state_display().lower()}.")
    return locked


def _payload(deadline: Deadline, **extra) -> dict:
    return {"deadline": deadline.pk, "rule": deadline.rule.code, "due_at": deadline.due_at.isoformat(), **extra}


def pause_deadline(*, actor: User, deadline: Deadline, reason: str) -> Deadline:
    if not reason.strip():
        raise ValidationError({"reason": "Geef de reden van de opschorting."})
    with transaction.atomic():
        deadline = _locked(deadline, actor)
        if deadline.paused_at is not None:
            raise ValidationError(
                f"Deze termijn is al opgeschort sinds {workdays.day_text(deadline.paused_at)}. "
                "Hervat hem eerst voordat u hem opnieuw opschort."
            )
        deadline.paused_at = timezone.now()
        deadline.pause_reason = reason.strip()
        deadline.save(update_fields=["paused_at", "pause_reason"])
        record_event(
            deadline.case,
            EventKind.TERMIJN_OPGESCHORT,
            actor,
            reason=f"{deadline.rule.name}: {deadline.pause_reason}",
            payload=_payload(deadline),
        )
    return deadline


def resume_deadline(*, actor: User, deadline: Deadline) -> Deadline:
    """End the pause; the due day moves by the number of days the pause lasted (Amsterdam calendar days:
    paused on Tuesday and resumed on Friday moves it three days; paused and resumed on one day, none)."""
    with transaction.atomic():
        deadline = _locked(deadline, actor)
        if deadline.paused_at is None:
            raise ValidationError("Deze termijn is niet opgeschort.")
        length = timezone.now() - deadline.paused_at
        deadline.paused_total += length
        days = workdays.local_date(timezone.now()) - workdays.local_date(deadline.paused_at)
        deadline.due_at = workdays.end_of_day(workdays.local_date(deadline.due_at) + days)
        deadline.remind_at = reminder_moment(deadline.rule, deadline.due_at)
        deadline.paused_at = None
        deadline.save(update_fields=["paused_total", "due_at", "remind_at", "paused_at"])
        record_event(
            deadline.case,
            EventKind.TERMIJN_HERVAT,
            actor,
            reason=f"{deadline.rule.name}: nieuwe uiterste datum {workdays.day_text(deadline.due_at)}",
            payload=_payload(deadline, paused_seconds=int(length.total_seconds())),
        )
    return deadline


def extend_deadline(
    *,
    actor: User,
    deadline: Deadline,
    reason: str,
    amount: int | None = None,
    unit: str = "",
    until: date | None = None,
) -> Deadline:
    """Extend by `amount` `unit`, or to the end of the day `until` (which must lie after the current due day)."""
    errors = {}
    if until is None:
        if amount is None or amount <= 0:
            errors["amount"] = "Verleng met ten minste één dag."
        if unit not in ReminderUnit.values:
            errors["unit"] = "Kies dagen, weken of werkdagen."
    if not reason.strip():
        errors["reason"] = "Geef de reden van de verlenging."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deadline = _locked(deadline, actor)
        before = deadline.due_at
        if until is not None:
            if until <= workdays.local_date(before):
                raise ValidationError(
                    {
                        "until": "Kies een datum na de huidige uiterste datum "
                        f"({workdays.day_text(before)}): verlengen maakt een termijn langer, niet korter."
                    }
                )
            deadline.due_at = workdays.end_of_day(until)
        else:
            deadline.due_at = workdays.due_moment(deadline.due_at, amount, unit)
        deadline.remind_at = reminder_moment(deadline.rule, deadline.due_at)
        deadline.extended = True
        deadline.extension_reason = reason.strip()
        deadline.save(update_fields=["due_at", "remind_at", "extended", "extension_reason"])
        record_event(
            deadline.case,
            EventKind.TERMIJN_VERLENGD,
            actor,
            reason=(
                f"{deadline.rule.name}: van {workdays.day_text(before)} naar "
                f"{workdays.day_text(deadline.due_at)}. {reason.strip()}"
            ),
            payload=_payload(
                deadline,
                previous_due_at=before.isoformat(),
                **({"until": until.isoformat()} if until else {"amount": amount, "unit": unit}),
            ),
        )
    return deadline


def mark_notifications_read(*, actor: User) -> int:
    """Mark all of the actor's unread in-app notifications as read; returns how many."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
