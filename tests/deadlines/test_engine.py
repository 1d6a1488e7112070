"""The event hook: the timeline event that starts a rule opens its deadline, and the one that meets it
closes it, in the same transaction as the event."""

from datetime import date
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deadlines.models import Deadline, DeadlineRule, DeadlineState, Outcome
from deadlines.templatetags.deadlines import case_deadlines
from deadlines.workdays import AMSTERDAM, end_of_day, start_of_day
from referrals import services
from referrals.models import Case, CaseEvent, Phase
from tests.factories import build_case

from .conftest import AANMELDDATUM, DUE, ams, hold_gesprek

pytestmark = pytest.mark.django_db


def deadlines_of(case) -> dict[str, Deadline]:
    return {d.rule.code: d for d in Deadline.objects.filter(case=case).select_related("rule", "start_event__actor")}


def test_the_default_rules_are_there():
    rules = {r.code: r for r in DeadlineRule.objects.all()}
    assert {"aanmeldgesprek", "start-jeugdhulp", "beschikking"} <= set(rules)
    assert (rules["aanmeldgesprek"].amount, rules["aanmeldgesprek"].unit) == (2, "weeks")
    assert rules["start-jeugdhulp"].met_by_event == "zorg_gestart"
    assert rules["beschikking"].met_by_event == "beschikking_afgegeven"


def test_aanmelden_opens_the_three_deadlines_from_the_aanmelddatum(aangemeld_case):
    found = deadlines_of(aangemeld_case)
    assert set(found) == set(DUE)
    event = CaseEvent.objects.get(case=aangemeld_case, kind="aangemeld")
    for code, day in DUE.items():
        d = found[code]
        assert d.state == DeadlineState.OPEN
        assert d.start_event == event
        assert d.started_at == start_of_day(AANMELDDATUM)
        assert d.due_at == end_of_day(day) == d.original_due_at
        assert d.due_at.astimezone(AMSTERDAM).date() == day


def test_concept_cases_have_no_deadlines(clock, sanne):
    case = build_case(stage="voorbereid", toegang_user=sanne)
    assert not Deadline.objects.filter(case=case).exists()


def test_the_deadlines_are_written_in_the_transaction_of_the_event(clock, sanne, aanmeldpunt):
    case = build_case(stage="voorbereid", toegang_user=sanne)
    with transaction.atomic():
        services.aanmelden(actor=sanne, case=case, aanmelddatum=AANMELDDATUM)
        assert Deadline.objects.filter(case=case).count() == 3
        transaction.set_rollback(True)
    assert not Deadline.objects.filter(case=case).exists()

    # and a failing deadline engine takes the step with it: no half-done aanmelding
    case = Case.objects.get(pk=case.pk)
    with (
        mock.patch("deadlines.engine.workdays.due_moment", side_effect=RuntimeError("kapot")),
        pytest.raises(RuntimeError),
    ):
        services.aanmelden(actor=sanne, case=case, aanmelddatum=AANMELDDATUM)
    case = Case.objects.get(pk=case.pk)
    assert case.phase == Phase.CONCEPT
    assert not CaseEvent.objects.filter(case=case, kind="aangemeld").exists()


def test_the_aanmeldgesprek_meets_its_deadline_on_time(aangemeld_case, aanmeldpunt):
    hold_gesprek(aangemeld_case, aanmeldpunt, date(2026, 3, 9))
    found = deadlines_of(aangemeld_case)
    d = found["aanmeldgesprek"]
    assert (d.state, d.outcome) == (DeadlineState.MET, Outcome.ON_TIME)
    assert d.met_at == ams(2026, 3, 9, 10)  # when it was held, not when it was typed in
    assert d.met_event.kind == "aanmeldgesprek_gehouden"
    assert found["start-jeugdhulp"].state == DeadlineState.OPEN
    assert found["beschikking"].state == DeadlineState.OPEN


def test_an_aanmeldgesprek_after_the_due_day_is_late(aangemeld_case, aanmeldpunt, clock):
    clock.move_to(ams(2026, 3, 25, 9), tick=False)
    hold_gesprek(aangemeld_case, aanmeldpunt, date(2026, 3, 24))
    d = deadlines_of(aangemeld_case)["aanmeldgesprek"]
    assert (d.state, d.outcome, d.breached_at) == (DeadlineState.MET, Outcome.LATE, None)


def test_held_on_the_last_day_is_on_time(aangemeld_case, aanmeldpunt, clock):
    clock.move_to(ams(2026, 3, 22, 9), tick=False)
    hold_gesprek(aangemeld_case, aanmeldpunt, DUE["aanmeldgesprek"])  # Saturday 21 March, 10:00
    assert deadlines_of(aangemeld_case)["aanmeldgesprek"].outcome == Outcome.ON_TIME


def test_a_breached_deadline_met_later_is_met_late_and_keeps_its_breach(aangemeld_case, aanmeldpunt, clock):
    from deadlines.sweep import run_sweep

    clock.move_to(ams(2026, 3, 23, 11), tick=False)
    assert run_sweep(ams(2026, 3, 23, 11)).breached == 1
    hold_gesprek(aangemeld_case, aanmeldpunt, date(2026, 3, 23))
    d = deadlines_of(aangemeld_case)["aanmeldgesprek"]
    assert (d.state, d.outcome) == (DeadlineState.MET, Outcome.LATE)
    assert d.breached_at == ams(2026, 3, 23, 11)


def test_an_inactive_rule_opens_nothing(clock, sanne):
    DeadlineRule.objects.filter(code="beschikking").update(active=False)
    case = build_case(stage="aanmeld", toegang_user=sanne)
    assert set(deadlines_of(case)) == {"aanmeldgesprek", "start-jeugdhulp"}


def test_a_new_rule_is_data_an_age_rule_counts_from_the_birthday(clock, sanne):
    DeadlineRule.objects.create(
        code="leeftijd-16",
        name="Perspectiefplan gestart voor 16e verjaardag",
        start_event="aangemeld",
        met_by_event="hulpverlening_gestart",
        amount=192,
        unit="age_years",
        warn="regievoerder",
    )
    case = build_case(stage="aanmeld", toegang_user=sanne, geboortedatum=date(2012, 2, 29))
    assert deadlines_of(case)["leeftijd-16"].due_at == end_of_day(date(2028, 2, 29))


def test_explanation_in_dutch(aangemeld_case):
    d = deadlines_of(aangemeld_case)["aanmeldgesprek"]
    assert d.explanation() == (
        "Gestart door aanmelding op 7 maart 2026 door Sanne de Vries; voldaan door: aanmeldgesprek gehouden"
    )
    assert (
        deadlines_of(aangemeld_case)["start-jeugdhulp"]
        .explanation()
        .endswith("voldaan door: start jeugdhulp vastgelegd")
    )


def test_the_case_page_shows_the_deadlines_most_pressing_first(client, aangemeld_case, aanmeldpunt, clock):
    clock.move_to(ams(2026, 3, 19, 9), tick=False)  # Thursday: 2 days to the aanmeldgesprek deadline
    client.force_login(aanmeldpunt)
    page = client.get(f"/casussen/{aangemeld_case.public_id}/").content.decode()
    block = page[page.index('id="h-termijnen"') :]
    assert block.index("Aanmeldgesprek binnen 2 weken") < block.index("Start jeugdhulp") < block.index("Beschikking")
    assert "uiterlijk 21 maart 2026, <span>nog 2 dagen</span>" in block
    assert "uiterlijk 18 april 2026" in block
    assert "Gestart door aanmelding op 7 maart 2026 door Sanne de Vries" in block


def test_working_day_rules_show_working_days_left(aangemeld_case, clock):
    DeadlineRule.objects.filter(code="aanmeldgesprek").update(unit="working_days", amount=5)
    Deadline.objects.filter(rule__code="aanmeldgesprek").update(due_at=end_of_day(date(2026, 3, 16)))
    clock.move_to(ams(2026, 3, 12, 9), tick=False)  # Thursday -> Monday: Friday and Monday left
    rows = case_deadlines({}, aangemeld_case)["rows"]
    assert rows[0]["left"] == "nog 2 werkdagen"
    clock.move_to(ams(2026, 3, 18, 9), tick=False)
    Deadline.objects.filter(rule__code="aanmeldgesprek").update(state="breached", breached_at=ams(2026, 3, 17, 0))
    rows = case_deadlines({}, aangemeld_case)["rows"]
    assert (rows[0]["left"], rows[0]["overdue"]) == ("2 werkdagen te laat", True)


def test_the_case_deadlines_block_costs_one_query(aangemeld_case, aanmeldpunt):
    hold_gesprek(aangemeld_case, aanmeldpunt, date(2026, 3, 9))
    with CaptureQueriesContext(connection) as ctx:
        rows = case_deadlines({}, aangemeld_case)["rows"]
        [r["explanation"] for r in rows]
    assert len(rows) == 3
    assert rows[-1]["left"] == "voldaan op 9 maart 2026 (op tijd)"
    assert len(ctx.captured_queries) == 1


def test_a_case_that_ends_takes_its_open_deadlines_with_it(clock, sanne, aanmeldpunt):
    case = build_case(stage="advies", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, segment1=False)
    assert deadlines_of(case)["aanmeldgesprek"].state == DeadlineState.MET
    services.terugverwijzen(actor=aanmeldpunt, case=case)
    found = deadlines_of(case)
    assert found["aanmeldgesprek"].state == DeadlineState.MET  # what was met stays met
    assert found["start-jeugdhulp"].state == found["beschikking"].state == DeadlineState.LAPSED
    # and the sweep, however late, warns nobody about a closed file
    clock.shift(365 * 24 * 3600)
    from deadlines.sweep import run_sweep

    run_sweep(timezone.now())
    assert not Deadline.objects.filter(case=case, state=DeadlineState.BREACHED).exists()
