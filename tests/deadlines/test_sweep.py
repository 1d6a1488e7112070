"""The sweep: breach recorded once, warned once, set-based (its query count does not grow)."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deadlines.models import Deadline, DeadlineRule, DeadlineState, DeadlineWarning, Notification, WarningKind
from deadlines.sweep import run_sweep
from deadlines.workdays import end_of_day
from tests import factories
from tests.factories import build_case

from .conftest import ams

pytestmark = pytest.mark.django_db

AFTER_AANMELDGESPREK_DUE = ams(2026, 3, 22, 0, 5)  # Sunday just after midnight: 21 March has ended


def test_nothing_happens_before_anything_is_due(aangemeld_case):
    r = run_sweep(ams(2026, 3, 10, 12))
    assert (r.breached, r.reminders, r.breach_warnings, r.notifications, r.emails) == (0, 0, 0, 0, 0)


def test_on_the_last_day_itself_the_deadline_is_not_breached(aangemeld_case):
    assert run_sweep(ams(2026, 3, 21, 23, 59)).breached == 0


def test_breach_is_recorded_and_warned_once_however_often_the_sweep_runs(aangemeld_case, aanmeldpunt):
    first = run_sweep(AFTER_AANMELDGESPREK_DUE)
    assert (first.breached, first.breach_warnings) == (1, 1)
    d = Deadline.objects.get(case=aangemeld_case, rule__code="aanmeldgesprek")
    assert (d.state, d.breached_at) == (DeadlineState.BREACHED, AFTER_AANMELDGESPREK_DUE)
    assert first.notifications == Notification.objects.count() >= 1
    (note,) = Notification.objects.filter(user=aanmeldpunt)
    assert note.case == aangemeld_case
    assert note.text == f"{aangemeld_case.reference}: de termijn 'Aanmeldgesprek binnen 2 weken' is verstreken " + (
        "(uiterlijk 21 maart 2026)."
    )
    assert [m.to for m in mail.outbox] == [["ap@example.org"]]
    assert mail.outbox[0].subject == f"Termijn verstreken: {aangemeld_case.reference}"

    for _ in range(2):
        again = run_sweep(ams(2026, 3, 22, 9))
        assert (again.breached, again.reminders, again.breach_warnings, again.notifications, again.emails) == (
            0,
            0,
            0,
            0,
            0,
        )
    assert DeadlineWarning.objects.filter(kind=WarningKind.BREACH).count() == 1
    assert Notification.objects.filter(user=aanmeldpunt).count() == 1
    assert len(mail.outbox) == 1
    d.refresh_from_db()
    assert d.breached_at == AFTER_AANMELDGESPREK_DUE


def test_reminder_before_the_due_day_once(aangemeld_case, aanmeldpunt):
    # aanmeldgesprek: due Saturday 21 March, reminded 2 working days before: from Thursday 19 March.
    assert run_sweep(ams(2026, 3, 18, 23)).reminders == 0
    r = run_sweep(ams(2026, 3, 19, 8))
    assert (r.reminders, r.breached) == (1, 0)
    assert run_sweep(ams(2026, 3, 19, 9)).reminders == 0
    (note,) = Notification.objects.filter(user=aanmeldpunt)
    assert "verloopt op 21 maart 2026" in note.text
    assert mail.outbox[0].subject.startswith("Herinnering termijn")


def test_the_right_people_are_warned(clock, sanne, aanmeldpunt):
    # A rule that warns the Toegang warns the Toegang workers of the case's gemeente, not another gemeente's.
    DeadlineRule.objects.filter(code="beschikking").update(warn="toegang_medewerker", also_warn_on_breach=[])
    case = build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)
    collega = factories.UserFactory(role="toegang_medewerker", organisation=sanne.organisation)
    elders = factories.UserFactory(
        role="toegang_medewerker", organisation=factories.toegang_team(factories.gemeente("Waalwijk", "0867"))
    )
    run_sweep(end_of_day(date(2026, 5, 3)))
    beschikking = Notification.objects.filter(text__contains="Beschikking")
    assert {n.user for n in beschikking} == {sanne, collega}
    assert elders not in {n.user for n in Notification.objects.all()}
    assert {n.case for n in Notification.objects.all()} == {case}


def test_the_sweep_locks_with_skip_locked_on_postgresql(aangemeld_case):
    with CaptureQueriesContext(connection) as ctx:
        run_sweep(AFTER_AANMELDGESPREK_DUE)
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert "FOR UPDATE SKIP LOCKED" in updates[0]
    assert any("ON CONFLICT DO NOTHING" in q["sql"] for q in ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_number_of_deadlines(clock, sanne, aanmeldpunt):
    def cases(n, name):
        for i in range(n):
            build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, achternaam=f"{name}{i}")

    def measure(moment):
        with CaptureQueriesContext(connection) as ctx:
            result = run_sweep(moment)
        return len(ctx.captured_queries), result

    cases(1, "Een")
    small, small_result = measure(AFTER_AANMELDGESPREK_DUE)
    Deadline.objects.all().delete()
    cases(8, "Acht")
    large, large_result = measure(AFTER_AANMELDGESPREK_DUE)
    assert (small_result.breached, large_result.breached) == (1, 8)
    assert large_result.notifications == 8
    assert small == large


def test_check_deadlines_reports_in_dutch(aangemeld_case, capsys, clock):
    clock.move_to(AFTER_AANMELDGESPREK_DUE, tick=False)
    call_command("check_deadlines")
    out = capsys.readouterr().out
    assert out.startswith("Termijnen gecontroleerd: 1 verstreken, 0 herinneringen en 1 waarschuwingen")
    call_command("check_deadlines")
    assert "0 verstreken" in capsys.readouterr().out
