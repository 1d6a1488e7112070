"""Pausing and extending a deadline in the browser's pages, and the 18th-birthday flag on the case page and
the work lists."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from deadlines.models import Deadline, DeadlineState
from deadlines.selectors import turning_18_without_plan
from deadlines.workdays import end_of_day
from referrals import services as case_services
from referrals.models import CaseEvent, EventKind
from referrals.services import record_event
from tests import factories
from tests.factories import build_case
from tests.helpers import NOW, field_error, make_user, read_page, text, value_of

from .conftest import ams

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadline(aangemeld_case):
    return Deadline.objects.get(case=aangemeld_case, rule__code="aanmeldgesprek")


def pause_url(d):
    return reverse("deadlines:pause", args=[d.pk])


def extend_url(d):
    return reverse("deadlines:extend", args=[d.pk])


def case_url(case):
    return reverse("referrals:case_detail", args=[case.public_id])


def timeline(case, kind):
    return list(CaseEvent.objects.filter(case=case, kind=kind))


# --- Pause and extend ---------------------------------------------------------------------------------


def test_the_case_page_links_to_pause_and_extend_for_who_may(client, deadline, aanmeldpunt, sanne):
    client.force_login(aanmeldpunt)
    links = [href for href, _ in read_page(client.get(case_url(deadline.case))).links]
    assert pause_url(deadline) in links and extend_url(deadline) in links
    # The Toegang worker is not warned by the aanmeldgesprek rule: no links, and the page is refused.
    client.force_login(sanne)
    links = [href for href, _ in read_page(client.get(case_url(deadline.case))).links]
    assert pause_url(deadline) not in links
    assert client.get(pause_url(deadline)).status_code == 403
    assert client.post(extend_url(deadline), {"until": "2026-04-01", "reason": "x"}).status_code == 403
    assert not timeline(deadline.case, EventKind.TERMIJN_VERLENGD)


def test_someone_who_cannot_see_the_case_gets_404(client, deadline):
    client.force_login(make_user("regievoerder"))
    assert client.get(pause_url(deadline)).status_code == 404


def test_pause_with_a_reason_and_resume(client, deadline, aanmeldpunt, clock):
    client.force_login(aanmeldpunt)
    response = client.post(pause_url(deadline), {"action": "opschorten", "reason": "Gezin twee weken op vakantie"})
    assert response.status_code == 302
    page = text(client.get(case_url(deadline.case)))
    assert "Opgeschort sinds 10 maart 2026: Gezin twee weken op vakantie" in page
    assert "opgeschort sinds 10 maart 2026" in page
    (event,) = timeline(deadline.case, EventKind.TERMIJN_OPGESCHORT)
    assert "Gezin twee weken op vakantie" in event.reason

    clock.move_to(NOW + timedelta(days=4), tick=False)
    client.force_login(aanmeldpunt)  # four days later: a new session (a session ends after 15 minutes idle)
    response = client.get(pause_url(deadline))
    assert "Termijn hervatten" in text(response)
    client.post(pause_url(deadline), {"action": "hervatten"})
    deadline.refresh_from_db()
    assert deadline.paused_at is None and deadline.due_at == end_of_day(date(2026, 3, 25))
    page = text(client.get(case_url(deadline.case)))
    assert "uiterlijk 25 maart 2026" in page
    assert "Opgeschort geweest: 4 dagen" in page
    assert timeline(deadline.case, EventKind.TERMIJN_HERVAT)


def test_pause_needs_a_reason(client, deadline, aanmeldpunt):
    client.force_login(aanmeldpunt)
    response = client.post(pause_url(deadline), {"action": "opschorten", "reason": "  "})
    assert response.status_code == 200
    assert field_error(response, "id_reason") == "Geef de reden van de opschorting."
    deadline.refresh_from_db()
    assert deadline.paused_at is None and not timeline(deadline.case, EventKind.TERMIJN_OPGESCHORT)


def test_pausing_a_paused_deadline_says_so(client, deadline, aanmeldpunt):
    client.force_login(aanmeldpunt)
    client.post(pause_url(deadline), {"action": "opschorten", "reason": "Wachten op toestemming"})
    # A second tab still shows the pause form.
    response = client.post(pause_url(deadline), {"action": "opschorten", "reason": "Nog een keer"})
    assert response.status_code == 200
    assert "Deze termijn is al opgeschort sinds 10 maart 2026" in text(response)
    assert len(timeline(deadline.case, EventKind.TERMIJN_OPGESCHORT)) == 1


def test_extend_to_a_later_date_with_a_reason(client, deadline, aanmeldpunt):
    client.force_login(aanmeldpunt)
    response = client.post(extend_url(deadline), {"until": "2026-03-27", "reason": "Tolk nodig voor het gesprek"})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_at == end_of_day(date(2026, 3, 27)) and deadline.extended
    page = text(client.get(case_url(deadline.case)))
    assert "Verlengd tot 27 maart 2026: Tolk nodig voor het gesprek" in page
    (event,) = timeline(deadline.case, EventKind.TERMIJN_VERLENGD)
    assert "van 21 maart 2026 naar 27 maart 2026" in event.reason


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"until": "2026-03-20", "reason": "Tolk"}, "id_until", "Kies een datum na de huidige uiterste datum"),
        ({"until": "2026-03-21", "reason": "Tolk"}, "id_until", "Kies een datum na de huidige uiterste datum"),
        ({"until": "2026-03-27", "reason": " "}, "id_reason", "Geef de reden van de verlenging."),
        ({"until": "", "reason": "Tolk"}, "id_until", "Kies de nieuwe uiterste datum."),
        ({"until": "morgen", "reason": "Tolk"}, "id_until", "Vul een geldige datum in."),
    ],
)
def test_extend_refuses_bad_input_in_dutch_and_keeps_what_was_typed(
    client, deadline, aanmeldpunt, data, field, message
):
    client.force_login(aanmeldpunt)
    response = client.post(extend_url(deadline), data)
    assert response.status_code == 200
    assert field_error(response, field).startswith(message)
    assert value_of(response, "reason") == data["reason"].strip() or value_of(response, "reason") == data["reason"]
    deadline.refresh_from_db()
    assert not deadline.extended and deadline.due_at == end_of_day(date(2026, 3, 21))
    assert not timeline(deadline.case, EventKind.TERMIJN_VERLENGD)


def test_the_crossroads_manager_may_pause_the_warned_role_on_its_own_cases(deadline, clock):
    from deadlines import services

    manager = make_user("manager_crossroads")
    services.pause_deadline(actor=manager, deadline=deadline, reason="Afgestemd met het gezin")
    beschikking = Deadline.objects.get(case=deadline.case, rule__code="beschikking")
    beschikking.rule.warn = "toegang_medewerker"  # a rule that warns the Toegang: only the case's gemeente's
    other_toegang = make_user("toegang_medewerker", gem=factories.gemeente("Waalwijk", "0867"))
    assert not services.may_manage(other_toegang, beschikking)
    own_toegang = factories.UserFactory(role="toegang_medewerker", organisation=deadline.case.created_by.organisation)
    assert services.may_manage(own_toegang, beschikking)


def test_the_crossroads_manager_pauses_a_deadline_from_the_dashboard_list_without_opening_the_case(client, deadline):
    """A manager acts from the lists, not the files [DOMAIN 9]: the row names the case without a link, the
    pause page leads back to the dashboard, and the case page stays closed (a refused attempt, logged)."""
    manager = make_user("manager_crossroads")
    client.force_login(manager)
    listing = client.get(reverse("deadlines:dashboard_list", args=["wachtend"]))
    links = [href for href, _ in read_page(listing).links]
    assert deadline.case.reference in text(listing)
    assert case_url(deadline.case) not in links and pause_url(deadline) in links and extend_url(deadline) in links

    page = client.get(pause_url(deadline))
    assert page.status_code == 200 and case_url(deadline.case) not in [h for h, _ in read_page(page).links]
    response = client.post(pause_url(deadline), {"action": "opschorten", "reason": "Afgestemd met het gezin"})

    assert response.status_code == 302 and response["Location"] == reverse("deadlines:dashboard")
    deadline.refresh_from_db()
    assert deadline.paused_at is not None and timeline(deadline.case, EventKind.TERMIJN_OPGESCHORT)
    assert client.get(case_url(deadline.case)).status_code == 404
    assert AccessLog.objects.filter(user=manager, action="geweigerd", object_id=deadline.case.public_id).exists()


# --- Turning 18 without a perspectiefplan ----------------------------------------------------------


@pytest.fixture
def nearly_18(time_machine, sanne, aanmeldpunt, regievoerder):
    """Born 29 February 2008: 18 on 1 March 2026 (2026 is no leap year). In care since October 2025."""
    time_machine.move_to(ams(2025, 10, 1), tick=False)
    case = build_case(
        stage="hulpverlenend",
        toegang_user=sanne,
        aanmeldpunt_user=aanmeldpunt,
        partner_org=regievoerder.organisation,
        geboortedatum=date(2008, 2, 29),
    )
    time_machine.move_to(NOW, tick=False)
    return case


def test_flag_from_six_months_before_the_18th_birthday(nearly_18, aanmeldpunt):
    assert turning_18_without_plan(aanmeldpunt, today=date(2025, 8, 31)) == []
    (row,) = turning_18_without_plan(aanmeldpunt, today=date(2025, 9, 1))
    assert (row.case, row.turns_18_on, row.already_18) == (nearly_18, date(2026, 3, 1), False)
    (row,) = turning_18_without_plan(aanmeldpunt, today=date(2026, 3, 1))
    assert row.already_18


def test_a_finished_plan_ends_the_flag(nearly_18, aanmeldpunt):
    record_event(nearly_18, EventKind.PERSPECTIEFPLAN_GESTART, None)
    assert len(turning_18_without_plan(aanmeldpunt)) == 1
    record_event(nearly_18, EventKind.PERSPECTIEFPLAN_GEREED, None)
    assert turning_18_without_plan(aanmeldpunt) == []


def test_a_closed_case_is_not_flagged(nearly_18, aanmeldpunt):
    nearly_18.refresh_from_db()
    case_services.voortijdig_beeindigen(
        actor=aanmeldpunt,
        case=nearly_18,
        expected_phase=nearly_18.phase,
        reden="niet_jeugdwet",
        toelichting="De jeugdige valt niet meer onder de Jeugdwet.",
    )
    assert turning_18_without_plan(aanmeldpunt) == []


def test_only_who_may_see_the_case_sees_the_flag(nearly_18, regievoerder, aanmeldpunt):
    assert len(turning_18_without_plan(regievoerder)) == 1
    other = make_user("regievoerder", partner_org=factories.partner("Amarant", "80000303"))
    assert turning_18_without_plan(other) == []


def test_the_flag_on_the_case_page_and_the_work_lists(client, nearly_18, regievoerder, aanmeldpunt):
    client.force_login(regievoerder)
    page = read_page(client.get(case_url(nearly_18)))
    assert page.by_id["signaal-18"].startswith("Deze jeugdige is 18 geworden op 1 maart 2026")
    for user in (regievoerder, aanmeldpunt):
        client.force_login(user)
        start = read_page(client.get(reverse("start")))
        assert "h-18" in start.by_id
        assert (case_url(nearly_18) + "#h-termijnen", nearly_18.reference) in start.links


def test_the_work_list_shows_the_most_pressing_deadlines_first(client, aangemeld_case, aanmeldpunt, clock):
    clock.move_to(ams(2026, 4, 10, 9), tick=False)
    client.force_login(aanmeldpunt)
    assert read_page(client.get(reverse("start"))).by_id["h-termijnen-werklijst"].startswith("Termijnen die")
    page = text(client.get(reverse("start")))
    section = page[page.index("Termijnen die het eerst aflopen") :]
    # Overdue first, then what is due within two weeks; the beschikking (2 May) is not pressing yet.
    assert 'Aanmeldgesprek binnen 2 weken: uiterlijk 21 maart 2026, <span class="urgent">20 dagen te laat' in section
    assert "Start jeugdhulp binnen 6 weken: uiterlijk 18 april 2026, <span>nog 8 dagen</span>" in section
    assert section.index("Aanmeldgesprek") < section.index("Start jeugdhulp")
    assert "Beschikking binnen 8 weken" not in section
    assert Deadline.objects.filter(case=aangemeld_case, state=DeadlineState.OPEN).count() == 3


# --- In-app notifications ------------------------------------------------------------------------


def test_warnings_appear_in_the_app_and_can_be_marked_read(client, aangemeld_case, aanmeldpunt, clock):
    from deadlines.sweep import run_sweep

    client.force_login(aanmeldpunt)
    assert read_page(client.get(reverse("start"))).links.count(("/meldingen/", "Meldingen")) == 1
    clock.move_to(ams(2026, 3, 23, 9), tick=False)
    run_sweep(ams(2026, 3, 23, 9))  # the aanmeldgesprek deadline (21 March) breached
    client.force_login(aanmeldpunt)  # days later: the idle session has expired
    links = read_page(client.get(reverse("start"))).links
    assert ("/meldingen/", "Meldingen 1 ongelezen") in links
    page = read_page(client.get(reverse("deadlines:notifications")))
    assert page.by_id["meldingen"].startswith(
        f"Nieuw: {aangemeld_case.reference}: de termijn 'Aanmeldgesprek binnen 2 weken' is verstreken"
    )
    expected = (
        f"{aangemeld_case.reference}: de termijn 'Aanmeldgesprek binnen 2 weken' is verstreken "
        "(uiterlijk 21 maart 2026)."
    )
    assert (case_url(aangemeld_case) + "#h-termijnen", expected) in page.links
    client.post(reverse("deadlines:notifications"))
    assert ("/meldingen/", "Meldingen") in read_page(client.get(reverse("start"))).links
    # Someone else's notifications stay theirs.
    client.force_login(make_user("aanmeldpunt"))
    assert "Geen meldingen." in text(client.get(reverse("deadlines:notifications")))
