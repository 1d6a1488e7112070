"""Pausing (opschorten), resuming and extending (verlengen) a deadline: on the timeline, by the warned role."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deadlines import services
from deadlines.models import Deadline, DeadlineState
from deadlines.sweep import run_sweep
from deadlines.workdays import end_of_day
from referrals.models import CaseEvent
from tests.helpers import NOW

from .conftest import ams, hold_gesprek

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadline(aangemeld_case):
    return Deadline.objects.get(case=aangemeld_case, rule__code="aanmeldgesprek")


def events(case, kind):
    return list(CaseEvent.objects.filter(case=case, kind=kind))


def test_a_pause_moves_the_due_moment_by_its_length(deadline, aanmeldpunt, clock):
    services.pause_deadline(actor=aanmeldpunt, deadline=deadline, reason="Gezin op vakantie")
    deadline.refresh_from_db()
    assert deadline.paused_at == NOW
    (paused,) = events(deadline.case, "termijn_opgeschort")
    assert paused.actor == aanmeldpunt and "Gezin op vakantie" in paused.reason

    clock.move_to(NOW + timedelta(days=3), tick=False)
    services.resume_deadline(actor=aanmeldpunt, deadline=deadline)
    deadline.refresh_from_db()
    assert deadline.paused_at is None
    assert deadline.paused_total == timedelta(days=3)
    assert deadline.due_at == end_of_day(date(2026, 3, 24))
    assert deadline.original_due_at == end_of_day(date(2026, 3, 21))
    (resumed,) = events(deadline.case, "termijn_hervat")
    assert "24 maart 2026" in resumed.reason


def test_a_paused_deadline_does_not_breach(deadline, aanmeldpunt, clock):
    services.pause_deadline(actor=aanmeldpunt, deadline=deadline, reason="Wachten op toestemming")
    assert run_sweep(ams(2026, 3, 23, 9)).breached == 0
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.OPEN


def test_extend_by_working_days_with_a_reason(deadline, aanmeldpunt):
    services.extend_deadline(actor=aanmeldpunt, deadline=deadline, amount=5, unit="working_days", reason="Tolk nodig")
    deadline.refresh_from_db()
    # Saturday 21 March + 5 working days = Friday 27 March
    assert deadline.due_at == end_of_day(date(2026, 3, 27))
    assert deadline.extended and deadline.extension_reason == "Tolk nodig"
    (extended,) = events(deadline.case, "termijn_verlengd")
    assert extended.reason == "Aanmeldgesprek binnen 2 weken: van 21 maart 2026 naar 27 maart 2026. Tolk nodig"
    assert extended.payload["previous_due_at"] == end_of_day(date(2026, 3, 21)).isoformat()
    assert (
        "Verlengd tot 27 maart 2026: Tolk nodig"
        in Deadline.objects.select_related("start_event__actor", "rule").get(pk=deadline.pk).explanation()
    )


def test_only_the_role_the_rule_names_may_pause_or_extend(deadline, sanne):
    with pytest.raises(PermissionDenied):
        services.pause_deadline(actor=sanne, deadline=deadline, reason="x")
    with pytest.raises(PermissionDenied):
        services.extend_deadline(actor=sanne, deadline=deadline, amount=1, unit="days", reason="x")
    assert not events(deadline.case, "termijn_opgeschort")


def test_a_reason_is_required(deadline, aanmeldpunt):
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(actor=aanmeldpunt, deadline=deadline, amount=0, unit="days", reason=" ")
    assert set(e.value.message_dict) == {"amount", "reason"}
    with pytest.raises(ValidationError):
        services.pause_deadline(actor=aanmeldpunt, deadline=deadline, reason="")


def test_a_met_deadline_cannot_be_paused_or_extended(deadline, aanmeldpunt):
    hold_gesprek(deadline.case, aanmeldpunt, date(2026, 3, 9))
    with pytest.raises(ValidationError, match="voldaan"):
        services.extend_deadline(actor=aanmeldpunt, deadline=deadline, amount=1, unit="days", reason="x")
    with pytest.raises(ValidationError, match="voldaan"):
        services.pause_deadline(actor=aanmeldpunt, deadline=deadline, reason="x")


def test_resume_needs_a_pause(deadline, aanmeldpunt):
    with pytest.raises(ValidationError, match="niet opgeschort"):
        services.resume_deadline(actor=aanmeldpunt, deadline=deadline)


def test_a_pause_within_one_day_moves_nothing(deadline, aanmeldpunt, clock):
    services.pause_deadline(actor=aanmeldpunt, deadline=deadline, reason="Even navragen")
    clock.move_to(NOW + timedelta(hours=5), tick=False)
    services.resume_deadline(actor=aanmeldpunt, deadline=deadline)
    deadline.refresh_from_db()
    assert deadline.due_at == end_of_day(date(2026, 3, 21))
    assert "Opgeschort geweest: minder dan een dag" in (
        Deadline.objects.select_related("start_event__actor", "rule").get(pk=deadline.pk).explanation()
    )
