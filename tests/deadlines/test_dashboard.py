"""The managers' dashboard on a small known data set: on-time rates, overdue and due this week, lead times
(median and 90th percentile), by gemeente and by partner, the lists behind them, CSV, scope and cost.

The data set: five cases taken through the real services on a moving clock; the dashboard is read on
Monday 15 June 2026 (period July 2025 to June 2026).

| case | gemeente | partner    | aanmelddatum | aanmeldgesprek         | start jeugdhulp      | beschikking        |
|------|----------|------------|--------------|------------------------|----------------------|--------------------|
| C1   | Tilburg  | Sterk Huis | 9 Jan        | 11 Jan, 2 d, on time   | 2 Feb, 24 d, on time | 20 Mar, 70 d, late |
| C2   | Waalwijk | Amarant    | 13 Feb       | 15 Feb, 2 d, on time   | 10 Apr, 56 d, late   | none: overdue      |
| C3   | Tilburg  | -          | 31 May       | 10 Jun, 10 d, on time  | open                 | open               |
| C4   | Tilburg  | -          | 4 Jun        | due 18 Jun (this week) | open                 | open               |
| C5   | Tilburg  | -          | 17 May       | none: overdue (31 May) | open                 | open               |

The start of care opens "start melden" (JW305 within 5 working days): C1 sent it on 4 Feb (on time, due
9 Feb), C2 on 24 Apr (late, due 17 Apr).
"""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessLog
from deadlines import dashboard
from deadlines.figures import figures as compute_figures
from deadlines.figures.counted import percentile
from deadlines.workdays import AMSTERDAM
from referrals.models import EventKind
from referrals.services import record_event
from tests import factories
from tests.factories import build_case
from tests.helpers import make_user, read_page, roles_except, text

from .conftest import hold_gesprek

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=AMSTERDAM)
CASE_URL = re.compile(r"^/casussen/[0-9a-f-]{36}/$")


def at(y, m, d, hour=12):
    return datetime(y, m, d, hour, tzinfo=AMSTERDAM)


@pytest.fixture
def world(time_machine):
    tilburg, waalwijk = factories.gemeente("Tilburg", "0855"), factories.gemeente("Waalwijk", "0867")
    sterk_huis, amarant = factories.partner("Sterk Huis", "80000101"), factories.partner("Amarant", "80000303")
    toegang_t = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(tilburg))
    toegang_w = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(waalwijk))
    ap = factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads())
    regie = factories.UserFactory(role="regievoerder", organisation=sterk_huis)

    def clock(moment):
        time_machine.move_to(moment, tick=False)

    def step(case, kind, moment):
        clock(moment)
        record_event(case, kind, regie, payload={"moment": moment.isoformat()})

    clock(at(2026, 1, 12))
    c1 = build_case(stage="hulpverlenend", toegang_user=toegang_t, aanmeldpunt_user=ap, partner_org=sterk_huis)
    step(c1, EventKind.ZORG_GESTART, at(2026, 2, 2))
    step(c1, EventKind.JW305_VERZONDEN, at(2026, 2, 4))
    step(c1, EventKind.BESCHIKKING_AFGEGEVEN, at(2026, 3, 20))

    clock(at(2026, 2, 16))
    c2 = build_case(stage="hulpverlenend", toegang_user=toegang_w, aanmeldpunt_user=ap, partner_org=amarant)
    step(c2, EventKind.ZORG_GESTART, at(2026, 4, 10))
    step(c2, EventKind.JW305_VERZONDEN, at(2026, 4, 24))

    clock(at(2026, 6, 3))
    c3 = build_case(stage="aanmeld", toegang_user=toegang_t, aanmeldpunt_user=ap)
    clock(at(2026, 6, 12))
    hold_gesprek(c3, ap, date(2026, 6, 10))

    clock(at(2026, 6, 7))
    c4 = build_case(stage="aanmeld", toegang_user=toegang_t, aanmeldpunt_user=ap)
    clock(at(2026, 5, 20))
    c5 = build_case(stage="aanmeld", toegang_user=toegang_t, aanmeldpunt_user=ap)

    clock(NOW)
    return {
        "cases": [c1, c2, c3, c4, c5],
        "tilburg": tilburg,
        "waalwijk": waalwijk,
        "sterk_huis": sterk_huis,
        "amarant": amarant,
        "crossroads": make_user("manager_crossroads"),
        "manager_tilburg": factories.UserFactory(role="manager_gemeente", organisation=tilburg),
        "manager_waalwijk": factories.UserFactory(role="manager_gemeente", organisation=waalwijk),
    }


def case_links(response) -> list[str]:
    return [label for href, label in read_page(response).links if CASE_URL.match(href)]


LISTED = re.compile(r'<tr><td class="nowrap">(?:<a [^>]*>)?(S1-\d+)')


def listed_cases(response) -> list[str]:
    """The case numbers of a dashboard list's rows, with or without a link to the case."""
    return LISTED.findall(response.content.decode())


def figures(user, **filters):
    f = dashboard.Filters.default(NOW.date())
    for name, value in filters.items():
        setattr(f, name, value)
    return compute_figures(user, f, NOW)


def test_the_data_set_is_what_the_table_says(world):
    c1, c2 = world["cases"][:2]
    assert [c.aanmelddatum for c in world["cases"]] == [
        date(2026, 1, 9),
        date(2026, 2, 13),
        date(2026, 5, 31),
        date(2026, 6, 4),
        date(2026, 5, 17),
    ]
    assert c1.regie_organisatie == world["sterk_huis"] and c2.regie_organisatie == world["amarant"]


def test_on_time_rate_per_month_and_kind(world):
    f = figures(world["crossroads"])
    assert f.months[0] == date(2025, 7, 1) and f.months[-1] == date(2026, 6, 1) and len(f.months) == 12
    by_month = {m: (r.on_time, r.settled) for m, r in f.monthly_total.items()}
    assert by_month == {
        date(2026, 1, 1): (1, 1),
        date(2026, 2, 1): (3, 3),
        date(2026, 3, 1): (0, 2),
        date(2026, 4, 1): (0, 2),
        date(2026, 5, 1): (0, 1),
        date(2026, 6, 1): (1, 1),
    }
    by_rule = {r.code: f.rule_rate.get(r.pk) for r in f.rules}
    assert (by_rule["aanmeldgesprek"].on_time, by_rule["aanmeldgesprek"].settled) == (3, 4)
    assert by_rule["aanmeldgesprek"].percent == 75.0
    assert (by_rule["start-jeugdhulp"].on_time, by_rule["start-jeugdhulp"].settled) == (1, 2)
    assert (by_rule["beschikking"].on_time, by_rule["beschikking"].settled) == (0, 2)
    assert (by_rule["start-melden"].on_time, by_rule["start-melden"].settled) == (1, 2)
    assert (f.total.on_time, f.total.settled, f.total.percent) == (5, 10, 50.0)


def test_overdue_now_and_due_this_week(world):
    f = figures(world["crossroads"])
    codes = {r.pk: r.code for r in f.rules}
    assert f.overdue == 2
    assert {codes[pk]: n for pk, n in f.overdue_by_rule.items() if n} == {"aanmeldgesprek": 1, "beschikking": 1}
    assert f.due_this_week == 1
    assert {codes[pk]: n for pk, n in f.week_by_rule.items() if n} == {"aanmeldgesprek": 1}


def test_lead_times_median_and_p90(world):
    lead = figures(world["crossroads"]).lead
    assert (lead["aanmeldgesprek"].n, lead["aanmeldgesprek"].median, lead["aanmeldgesprek"].p90) == (3, 2, 8.4)
    assert (lead["start"].n, lead["start"].median, lead["start"].p90) == (2, 40, pytest.approx(52.8))
    assert (lead["beschikking"].n, lead["beschikking"].median, lead["beschikking"].p90) == (1, 70, 70)
    assert (lead["aanmeldgesprek"].waiting, lead["start"].waiting, lead["beschikking"].waiting) == (2, 3, 4)


def test_python_percentile_matches_percentile_cont():
    assert percentile([2, 2, 10], 0.9) == pytest.approx(8.4)
    assert percentile([24, 56], 0.5) == 40
    assert percentile([], 0.5) is None


def test_by_gemeente_and_by_partner(world):
    f = figures(world["crossroads"])
    gemeenten = {g.name: (g.rate.on_time, g.rate.settled, g.overdue) for g in f.by_gemeente}
    assert gemeenten == {"Gemeente Tilburg": (4, 6, 1), "Gemeente Waalwijk": (1, 4, 1)}
    partners = {g.name: (g.rate.on_time, g.rate.settled, g.overdue) for g in f.by_partner}
    assert partners == {"Sterk Huis": (3, 4, 0), "Amarant": (1, 4, 1), "geen regievoerder": (1, 2, 1)}
    tilburg = next(g for g in f.by_gemeente if g.name == "Gemeente Tilburg")
    assert (tilburg.lead["aanmeldgesprek"].median, tilburg.lead["aanmeldgesprek"].p90) == (6, pytest.approx(9.2))


def test_filters_narrow_every_figure(world):
    f = figures(world["crossroads"], partner=world["amarant"].pk)
    assert (f.total.on_time, f.total.settled, f.overdue, f.due_this_week) == (1, 4, 1, 0)
    rule = next(r for r in f.rules if r.code == "aanmeldgesprek")
    f = figures(world["crossroads"], rule=rule.pk)
    assert (f.total.on_time, f.total.settled, f.overdue, f.due_this_week) == (3, 4, 1, 1)
    f = figures(world["crossroads"], start=date(2026, 3, 1), end=date(2026, 4, 1))
    assert (f.total.on_time, f.total.settled) == (0, 4)
    assert f.lead["start"].n == 1  # only C2's start (10 April) lies in March-April


def test_a_gemeente_manager_sees_their_own_gemeente_only(world, client):
    f = figures(world["manager_tilburg"])
    assert (f.total.on_time, f.total.settled, f.overdue, f.due_this_week) == (4, 6, 1, 1)
    assert [g.name for g in f.by_gemeente] == ["Gemeente Tilburg"]
    # Asking for another gemeente changes nothing: the selector keeps to the own gemeente.
    f = figures(world["manager_waalwijk"], gemeente=world["tilburg"].pk)
    assert (f.total.settled, f.overdue, f.due_this_week) == (0, 0, 0)

    client.force_login(world["manager_waalwijk"])
    response = client.get(reverse("deadlines:dashboard"), {"gemeente": world["tilburg"].pk})
    assert response.status_code == 200
    assert "Kies een gemeente uit de lijst." in text(response)
    assert "Gemeente Tilburg" not in text(response)
    listing = client.get(reverse("deadlines:dashboard_list", args=["verstreken"]), {"gemeente": world["tilburg"].pk})
    assert listed_cases(listing) == [world["cases"][1].reference]


def test_the_page_shows_the_figures_and_links_to_the_lists(world, client):
    client.force_login(world["crossroads"])
    response = client.get(reverse("deadlines:dashboard"))
    page = read_page(response)
    assert response.status_code == 200
    assert page.by_id["kpi-overdue"].startswith("2 nu verstreken")
    assert page.by_id["kpi-week"].startswith("1 lopen deze week af")
    assert page.by_id["kpi-ontime"].startswith("50,0%") or page.by_id["kpi-ontime"].startswith("50.0%")
    lead = page.by_id["table-lead"]
    assert "Aanmelding tot aanmeldgesprek 3 2 8,4 2" in lead
    assert "Aanmelding tot start jeugdhulp 2 40 52,8 3" in lead
    # The chart data travels as JSON (json_script), the script comes from a static file: no inline code.
    html = response.content.decode()
    assert 'id="dashboard-data" type="application/json"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html and "/static/js/dashboard.js" in html
    assert "<script>" not in html
    # One click to the list behind a figure.
    href = next(h for h, label in page.links if label.startswith("2 nu verstreken"))
    listing = client.get(href)
    assert sorted(listed_cases(listing)) == sorted([world["cases"][1].reference, world["cases"][4].reference])
    # The manager is on none of these cases: their numbers, no links to the files [DOMAIN 9].
    assert case_links(listing) == []


def test_csv_export_of_a_list_is_in_the_access_log(world, client):
    client.force_login(world["crossroads"])
    url = reverse("deadlines:dashboard_list", args=["doorlooptijd"])
    response = client.get(url, {"stap": "start", "formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Casus", "Gemeente", "Regievoerder", "Termijn"]
    body = {(r[0], r[8]) for r in rows[1:]}
    assert body == {(world["cases"][0].reference, "24"), (world["cases"][1].reference, "56")}
    log = AccessLog.objects.filter(user=world["crossroads"], action="export").get()
    assert world["cases"][0].reference in log.description and world["cases"][1].reference in log.description


def test_a_list_page_is_in_the_access_log(world, client):
    client.force_login(world["manager_tilburg"])
    client.get(reverse("deadlines:dashboard_list", args=["verstreken"]))
    log = AccessLog.objects.filter(user=world["manager_tilburg"], action="lijst").get()
    assert world["cases"][4].reference in log.description


def test_bad_filter_input_gets_a_dutch_message_and_no_500(world, client):
    client.force_login(world["crossroads"])
    response = client.get(reverse("deadlines:dashboard"), {"van": "2026-05", "tot": "2026-01"})
    assert response.status_code == 200
    assert "De laatste maand ligt vóór de eerste maand" in text(response)
    response = client.get(reverse("deadlines:dashboard"), {"van": "mei", "partner": "x", "regel": "999999"})
    assert response.status_code == 200
    assert "Vul een maand in als jjjj-mm" in text(response)
    assert client.get(reverse("deadlines:dashboard_list", args=["onbekend"])).status_code == 404
    assert client.get(reverse("deadlines:dashboard_list", args=["afgehandeld"]), {"maand": "x"}).status_code == 200


@pytest.mark.parametrize("role", roles_except("manager_crossroads", "manager_gemeente"))
def test_other_roles_are_refused(role, client, db):
    client.force_login(make_user(role))
    assert client.get(reverse("deadlines:dashboard")).status_code == 403
    assert client.get(reverse("deadlines:dashboard_list", args=["verstreken"])).status_code == 403


def test_the_dashboard_costs_the_same_number_of_queries_however_many_deadlines(world, client, time_machine):
    client.force_login(world["crossroads"])
    url = reverse("deadlines:dashboard")
    client.get(url)
    cache.clear()  # both measured requests compute the figures (the cache has its own test below)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    ap = factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads())
    for n, day in enumerate([date(2026, 3, 2), date(2026, 4, 6), date(2026, 5, 4)]):
        time_machine.move_to(at(day.year, day.month, day.day), tick=False)
        build_case(stage="hulpverlenend", aanmeldpunt_user=ap, partner_org=world["sterk_huis"], achternaam=f"X{n}")
    time_machine.move_to(NOW, tick=False)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert read_page(response).by_id["kpi-ontime"] != ""
    assert len(small.captured_queries) == len(large.captured_queries), "\n".join(
        q["sql"] for q in large.captured_queries
    )


def test_a_list_costs_the_same_number_of_queries_however_long(world, client, time_machine):
    client.force_login(world["crossroads"])
    url = reverse("deadlines:dashboard_list", args=["afgehandeld"])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        short = client.get(url)
    ap = factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads())
    for n, day in enumerate([date(2026, 3, 2), date(2026, 4, 6)]):
        time_machine.move_to(at(day.year, day.month, day.day), tick=False)
        build_case(stage="hulpverlenend", aanmeldpunt_user=ap, partner_org=world["amarant"], achternaam=f"Y{n}")
    time_machine.move_to(NOW, tick=False)
    with CaptureQueriesContext(connection) as large:
        long = client.get(url)
    assert len(listed_cases(long)) > len(listed_cases(short))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_kept_figures_are_computed_anew_after_any_write(world, time_machine):
    manager = world["crossroads"]
    filters = dashboard.Filters.default(NOW.date())
    cache.clear()
    first = dashboard.cached_figures(manager, filters, NOW)
    with CaptureQueriesContext(connection) as again:
        assert dashboard.cached_figures(manager, filters, NOW).lead == first.lead
    assert len(again.captured_queries) == 1  # the write generation only: the figures were kept

    build_case(stage="aanmeld", achternaam="Nieuw")
    after = dashboard.cached_figures(manager, filters, NOW)
    assert after.lead["aanmeldgesprek"].waiting == first.lead["aanmeldgesprek"].waiting + 1

    # The clock alone moves the figures on too: kept for at most one window.
    later = NOW + timedelta(seconds=60)
    with CaptureQueriesContext(connection) as moved:
        dashboard.cached_figures(manager, filters, later)
    assert len(moved.captured_queries) > 1
