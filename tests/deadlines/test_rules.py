"""The default rules of DOMAIN.md section 6, each driven by its real timeline events: due moments over
weekends, Dutch holidays, a 29 February birthday and a daylight-saving change; the age condition of the
perspectiefplan; refs that pair several escalations or messages; light help that outlives the case."""

from datetime import date, datetime

import pytest

from deadlines.models import Deadline, DeadlineRule, DeadlineState, Outcome
from deadlines.workdays import AMSTERDAM, end_of_day
from referrals import services as case_services
from referrals.models import EventKind
from referrals.services import record_event
from tests.factories import build_case

from .conftest import ams

pytestmark = pytest.mark.django_db


def deadlines(case, code):
    return list(Deadline.objects.filter(case=case, rule__code=code).order_by("pk"))


def the_deadline(case, code) -> Deadline:
    (d,) = deadlines(case, code)
    return d


@pytest.fixture
def in_care(clock, sanne, aanmeldpunt):
    """A 12-year-old in care since NOW (Tuesday 10 March 2026)."""
    return build_case(stage="hulpverlenend", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)


def happens(case, kind, moment: datetime, time_machine, *, actor=None, **payload):
    time_machine.move_to(moment, tick=False)
    return record_event(case, kind, actor, payload=payload)


def test_every_default_rule_is_data():
    rules = {r.code: r for r in DeadlineRule.objects.all()}
    expected = {
        "aanmeldgesprek": ("aangemeld", "aanmeldgesprek_gehouden", 2, "weeks"),
        "start-jeugdhulp": ("aangemeld", "zorg_gestart", 6, "weeks"),
        "beschikking": ("aangemeld", "beschikking_afgegeven", 8, "weeks"),
        "perspectiefplan-start": ("hulpverlening_gestart", "perspectiefplan_gestart", 192, "age_years"),
        "perspectiefplan-gereed": ("hulpverlening_gestart", "perspectiefplan_gereed", 210, "age_years"),
        "escalatie-gesprek": ("escalatie_geopend", "escalatie_gesprek", 2, "weeks"),
        "escalatie-commitment": ("escalatie_gesprek", "escalatie_commitment", 5, "working_days"),
        "lichte-hulp-na-afsluiting": ("lichte_hulp_doorlopend", "lichte_hulp_gestopt", 3, "months"),
        "antwoord-jw315": ("jw315_ontvangen", "jw315_beantwoord", 5, "working_days"),
        "definitief-antwoord-jw315": ("jw315_in_onderzoek", "jw315_beantwoord", 8, "weeks"),
        "antwoord-jw317": ("jw317_ontvangen", "jw317_beantwoord", 5, "working_days"),
        "definitief-antwoord-jw317": ("jw317_in_onderzoek", "jw317_beantwoord", 8, "weeks"),
        "retourbericht": ("bericht_ontvangen", "retour_verzonden", 3, "working_days"),
        "start-melden": ("zorg_gestart", "jw305_verzonden", 5, "working_days"),
        "stop-melden": ("zorg_gestopt", "jw307_verzonden", 5, "working_days"),
    }
    assert {code: (r.start_event, r.met_by_event, r.amount, r.unit) for code, r in rules.items()} == expected
    assert rules["perspectiefplan-start"].max_age_at_start == 192
    assert {code for code, r in rules.items() if r.survives_case_end} == {
        "lichte-hulp-na-afsluiting",
        "retourbericht",
        "stop-melden",
    }
    assert all(r.warn for r in rules.values())


@pytest.mark.parametrize(
    "code, kind, start, due",
    [
        # 2 calendar weeks: holidays do not matter.
        ("escalatie-gesprek", EventKind.ESCALATIE_GEOPEND, ams(2026, 4, 24), date(2026, 5, 8)),
        # Friday 24 April + 5 working days skips the weekend and Koningsdag (Monday 27 April).
        ("escalatie-commitment", EventKind.ESCALATIE_GESPREK, ams(2026, 4, 24), date(2026, 5, 4)),
        # Wednesday 13 May + 5 working days skips Hemelvaart (14 May) and the weekend.
        ("antwoord-jw315", EventKind.JW315_ONTVANGEN, ams(2026, 5, 13), date(2026, 5, 21)),
        # Friday 22 May + 3 working days skips the weekend and Pinkstermaandag (25 May).
        ("retourbericht", EventKind.BERICHT_ONTVANGEN, ams(2026, 5, 22), date(2026, 5, 28)),
        # Wednesday 23 December + 5 working days skips both Christmas days and the weekend.
        ("start-melden", EventKind.ZORG_GESTART, ams(2026, 12, 23), date(2026, 12, 31)),
        # Thursday 2 April + 5 working days skips Goede Vrijdag, the weekend and Paasmaandag.
        ("stop-melden", EventKind.ZORG_GESTOPT, ams(2026, 4, 2), date(2026, 4, 13)),
        # 3 months from 30 November: the end of February (clamped), in the next year.
        ("lichte-hulp-na-afsluiting", EventKind.LICHTE_HULP_DOORLOPEND, ams(2026, 11, 30), date(2027, 2, 28)),
    ],
)
def test_due_moment_of_each_rule(in_care, time_machine, code, kind, start, due):
    happens(in_care, kind, start, time_machine)
    d = the_deadline(in_care, code)
    assert d.due_at == end_of_day(due)
    assert d.started_at == start


def test_a_due_day_across_the_dst_change_ends_at_midnight_local_time(in_care, time_machine):
    # Saturday 21 March 2026, 23:30 (winter time); summer time starts Sunday 29 March.
    happens(in_care, EventKind.ESCALATIE_GEOPEND, ams(2026, 3, 21, 23, 30), time_machine)
    due = the_deadline(in_care, "escalatie-gesprek").due_at.astimezone(AMSTERDAM)
    assert (due.date(), due.hour, due.minute, due.utcoffset().total_seconds()) == (date(2026, 4, 4), 23, 59, 7200)


def test_the_perspectiefplan_counts_from_the_birthdays(clock, sanne, aanmeldpunt):
    case = build_case(
        stage="hulpverlenend", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, geboortedatum=date(2012, 2, 29)
    )
    # Born 29 February 2012: 16 on 29 February 2028 (a leap year), 17.5 on 29 August 2029.
    assert the_deadline(case, "perspectiefplan-start").due_at == end_of_day(date(2028, 2, 29))
    assert the_deadline(case, "perspectiefplan-gereed").due_at == end_of_day(date(2029, 8, 29))


def test_a_half_year_age_that_lands_on_a_missing_day_moves_to_the_first(clock, sanne, aanmeldpunt):
    case = build_case(
        stage="hulpverlenend", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, geboortedatum=date(2011, 8, 31)
    )
    # 17.5 years after 31 August 2011 is "31 February 2029": 1 March 2029.
    assert the_deadline(case, "perspectiefplan-gereed").due_at == end_of_day(date(2029, 3, 1))


@pytest.mark.parametrize(
    "born, opened",
    [
        (date(2010, 3, 11), True),  # 16 tomorrow: in care before the 16th birthday
        (date(2010, 3, 10), False),  # 16 today
        (date(2009, 6, 1), False),  # 16 already
    ],
)
def test_the_perspectiefplan_only_for_youths_in_care_before_their_16th_birthday(
    clock, sanne, aanmeldpunt, born, opened
):
    case = build_case(stage="hulpverlenend", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, geboortedatum=born)
    assert bool(deadlines(case, "perspectiefplan-start")) is opened
    assert bool(deadlines(case, "perspectiefplan-gereed")) is opened


def test_the_plan_events_meet_the_perspectiefplan_deadlines(in_care, time_machine):
    happens(in_care, EventKind.PERSPECTIEFPLAN_GESTART, ams(2026, 9, 1), time_machine)
    start, gereed = the_deadline(in_care, "perspectiefplan-start"), the_deadline(in_care, "perspectiefplan-gereed")
    assert (start.state, start.outcome, gereed.state) == (DeadlineState.MET, Outcome.ON_TIME, DeadlineState.OPEN)
    happens(in_care, EventKind.PERSPECTIEFPLAN_GEREED, ams(2027, 1, 5), time_machine)
    assert the_deadline(in_care, "perspectiefplan-gereed").state == DeadlineState.MET


def test_several_escalations_at_once_each_met_by_its_own_talk(in_care, time_machine):
    happens(in_care, EventKind.ESCALATIE_GEOPEND, ams(2026, 3, 11), time_machine, ref="esc-1")
    happens(in_care, EventKind.ESCALATIE_GEOPEND, ams(2026, 3, 12), time_machine, ref="esc-2")
    happens(in_care, EventKind.ESCALATIE_GESPREK, ams(2026, 3, 16), time_machine, ref="esc-2")
    first, second = deadlines(in_care, "escalatie-gesprek")
    assert (first.ref, first.state) == ("esc-1", DeadlineState.OPEN)
    assert (second.ref, second.state, second.outcome) == ("esc-2", DeadlineState.MET, Outcome.ON_TIME)
    # The talk opens the commitment deadline of the same escalation.
    (commitment,) = deadlines(in_care, "escalatie-commitment")
    assert (commitment.ref, commitment.due_at) == ("esc-2", end_of_day(date(2026, 3, 23)))
    assert (
        "kenmerk esc-2"
        in Deadline.objects.select_related("rule", "start_event__actor").get(pk=commitment.pk).explanation()
    )
    # A talk without a ref does not meet an escalation that has one.
    happens(in_care, EventKind.ESCALATIE_GESPREK, ams(2026, 3, 17), time_machine)
    assert deadlines(in_care, "escalatie-gesprek")[0].state == DeadlineState.OPEN
    happens(in_care, EventKind.ESCALATIE_GESPREK, ams(2026, 3, 18), time_machine, ref="esc-1")
    assert deadlines(in_care, "escalatie-gesprek")[0].state == DeadlineState.MET


def test_messages_without_ref_keep_the_plain_behaviour(in_care, time_machine):
    happens(in_care, EventKind.BERICHT_ONTVANGEN, ams(2026, 3, 11), time_machine)
    happens(in_care, EventKind.RETOUR_VERZONDEN, ams(2026, 3, 12), time_machine)
    assert the_deadline(in_care, "retourbericht").state == DeadlineState.MET


def test_light_help_after_closing_outlives_the_case(in_care, time_machine, aanmeldpunt):
    happens(in_care, EventKind.LICHTE_HULP_DOORLOPEND, ams(2026, 3, 11), time_machine)
    time_machine.move_to(ams(2026, 3, 12), tick=False)
    in_care.refresh_from_db()
    case_services.voortijdig_beeindigen(
        actor=aanmeldpunt,
        case=in_care,
        expected_phase=in_care.phase,
        reden="geen_hulpvraag",
        toelichting="Het gezin heeft geen hulpvraag meer.",
    )
    assert the_deadline(in_care, "lichte-hulp-na-afsluiting").state == DeadlineState.OPEN
    assert the_deadline(in_care, "beschikking").state == DeadlineState.LAPSED
    assert the_deadline(in_care, "perspectiefplan-start").state == DeadlineState.LAPSED
    happens(in_care, EventKind.LICHTE_HULP_GESTOPT, ams(2026, 5, 1), time_machine)
    light = the_deadline(in_care, "lichte-hulp-na-afsluiting")
    assert (light.state, light.outcome) == (DeadlineState.MET, Outcome.ON_TIME)


def test_the_new_rules_warn_the_people_domain_md_names(in_care, time_machine, sanne):
    from deadlines.models import Notification
    from deadlines.sweep import run_sweep
    from tests import factories
    from tests.helpers import make_user

    manager = make_user("manager_crossroads")
    backoffice = factories.UserFactory(role="backoffice", organisation=in_care.gemeente)
    other_backoffice = make_user("backoffice", gem=factories.gemeente("Waalwijk", "0867"))
    happens(in_care, EventKind.ESCALATIE_GEOPEND, ams(2026, 3, 11), time_machine, ref="esc-1")
    happens(in_care, EventKind.JW315_ONTVANGEN, ams(2026, 3, 11), time_machine, ref="msg-7")
    time_machine.move_to(ams(2026, 4, 1), tick=False)
    run_sweep(ams(2026, 4, 1))
    texts = {u: list(Notification.objects.filter(user=u).values_list("text", flat=True)) for u in (manager, backoffice)}
    assert any("Escalatiegesprek binnen 2 weken" in t and "verstreken" in t for t in texts[manager])
    assert any("JW315" in t and "verstreken" in t for t in texts[backoffice])
    assert not Notification.objects.filter(user=other_backoffice).exists()
