"""The managers' dashboard and pausing/extending a deadline, in the browser against the demo data.

Screenshots (for docs/handleiding.md): dashboard-*.png and termijnen-*.png; every page is checked with axe.
"""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .test_intake_journey import expect_message, log_in, log_out, now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def expect_chart_drawn(page: Page, canvas_id: str) -> None:
    """Chart.js drew the chart on this canvas (waits for the deferred script; fails after 10 seconds)."""
    page.wait_for_function(f"() => !!(window.Chart && Chart.getChart('{canvas_id}'))", timeout=10_000)


def row_names(page: Page, table_id: str) -> list[str]:
    return [t.strip() for t in page.locator(f"#{table_id} tbody th").all_inner_texts()]


def test_gemeente_manager_and_crossroads_manager_use_the_dashboard(page: Page, demo_password, check_page):
    # --- The manager of Gemeente Tilburg sees Tilburg only. ----------------------------------------
    log_in(page, "manager.tilburg", demo_password)
    page.get_by_role("link", name="Dashboard termijnen", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard termijnen Gemeente Tilburg", level=1)).to_be_visible()
    for canvas in ("chart-ontime", "chart-now", "chart-lead"):
        expect_chart_drawn(page, canvas)
    assert row_names(page, "table-gemeente") == ["Gemeente Tilburg"]
    assert page.locator("#id_gemeente option").all_inner_texts() == ["Alle gemeenten", "Gemeente Tilburg"]
    expect(page.locator("#table-lead")).to_contain_text("Aanmelding tot start jeugdhulp")
    check_page(page, "dashboard-01-gemeente")
    tilburg_overdue = int(page.locator("#kpi-overdue strong").inner_text())
    log_out(page)

    # --- The Crossroads manager sees all gemeenten, filters, opens a list and downloads it. -------
    log_in(page, "manager.crossroads", demo_password)
    expect(page.get_by_role("link", name=re.compile("Dashboard termijnen"))).to_have_count(2)  # menu and start
    page.get_by_role("link", name="Dashboard termijnen", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard termijnen Crossroads", level=1)).to_be_visible()
    expect_chart_drawn(page, "chart-ontime")
    gemeenten = row_names(page, "table-gemeente")
    assert {"Gemeente Tilburg", "Gemeente Waalwijk", "Gemeente Dongen"} <= set(gemeenten)
    all_overdue = int(page.locator("#kpi-overdue strong").inner_text())
    assert all_overdue > tilburg_overdue
    check_page(page, "dashboard-02-crossroads")

    page.locator("#id_gemeente").select_option(label="Gemeente Tilburg")
    page.locator("#id_regel").select_option(label="Beschikking binnen 8 weken")
    page.get_by_role("button", name="Filteren").click()
    assert row_names(page, "table-gemeente") == ["Gemeente Tilburg"]
    assert row_names(page, "table-rules") == ["Beschikking binnen 8 weken"]
    assert int(page.locator("#kpi-overdue strong").inner_text()) <= tilburg_overdue
    check_page(page, "dashboard-03-gefilterd")

    # A bad period says why, at the field, and keeps what was typed.
    page.locator("#id_van").fill("2026-06")
    page.locator("#id_tot").fill("2026-01")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("#id_tot_error")).to_have_text(re.compile("De laatste maand ligt vóór de eerste maand"))
    expect(page.locator("#id_van")).to_have_value("2026-06")

    # One click from a figure to the list behind it, and the list as CSV.
    page.goto("/dashboard/")
    page.locator("#kpi-overdue").click()
    expect(page.get_by_role("heading", name="Nu verstreken termijnen", level=1)).to_be_visible()
    rows = page.locator("#deadline-list tbody tr")
    expect(rows).to_have_count(all_overdue)
    check_page(page, "dashboard-04-lijst")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("termijnen-verstreken-")
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert table[0][:4] == ["Casus", "Gemeente", "Regievoerder", "Termijn"]
    assert len(table) == all_overdue + 1
    first_case = rows.first.locator("td").first.inner_text()  # a number: the manager is on none of these cases
    assert first_case in {r[0] for r in table[1:]}
    check_page.assert_accessible()


def test_aanmeldpunt_pauses_and_extends_a_deadline(page: Page, demo_password, check_page):
    log_in(page, "aanmeldpunt", demo_password)
    # A fresh aanmelding of the demo: its aanmeldgesprek deadline still runs.
    page.locator("table.cases tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Termijnen")).to_be_visible()
    deadlines = page.locator("ul.deadlines li").filter(has_text="Aanmeldgesprek binnen 2 weken")
    deadlines.get_by_role("link", name=re.compile("^Opschorten")).click()
    expect(page.get_by_role("heading", name="Termijn opschorten", level=1)).to_be_visible()

    page.get_by_role("button", name="Termijn opschorten").click()
    expect(page.locator("#id_reason_error")).to_have_text("Geef de reden van de opschorting.")
    page.get_by_label("Reden van de opschorting").fill("Het gezin is twee weken op vakantie.")
    check_page(page, "termijnen-01-opschorten")
    page.get_by_role("button", name="Termijn opschorten").click()
    expect_message(page, "is opgeschort")
    block = page.locator("ul.deadlines li").filter(has_text="Aanmeldgesprek binnen 2 weken")
    expect(block).to_contain_text("Opgeschort sinds")
    expect(block).to_contain_text("Het gezin is twee weken op vakantie.")
    expect(page.get_by_role("region", name="Tijdlijn").locator("ol.timeline li").first).to_contain_text(
        "Termijn opgeschort"
    )

    # Resume, then extend; a date before the current due date is refused with the reason why.
    block.get_by_role("link", name=re.compile("^Hervatten")).click()
    page.get_by_role("button", name="Termijn hervatten").click()
    expect_message(page, "loopt weer")
    block = page.locator("ul.deadlines li").filter(has_text="Aanmeldgesprek binnen 2 weken")
    block.get_by_role("link", name=re.compile("^Verlengen")).click()
    expect(page.get_by_role("heading", name="Termijn verlengen", level=1)).to_be_visible()
    page.get_by_label("Nieuwe uiterste datum").fill((now().date() - timedelta(days=30)).isoformat())
    page.get_by_label("Reden van de verlenging").fill("Tolk nodig; de eerste datum waarop die kan.")
    page.get_by_role("button", name="Termijn verlengen").click()
    expect(page.locator("#id_until_error")).to_contain_text("Kies een datum na de huidige uiterste datum")
    expect(page.get_by_label("Reden van de verlenging")).to_have_value("Tolk nodig; de eerste datum waarop die kan.")
    page.get_by_label("Nieuwe uiterste datum").fill((now().date() + timedelta(days=30)).isoformat())
    check_page(page, "termijnen-02-verlengen")
    page.get_by_role("button", name="Termijn verlengen").click()
    expect_message(page, "is verlengd tot")
    block = page.locator("ul.deadlines li").filter(has_text="Aanmeldgesprek binnen 2 weken")
    expect(block).to_contain_text("Verlengd tot")
    expect(page.get_by_role("region", name="Tijdlijn").locator("ol.timeline li").first).to_contain_text(
        "Termijn verlengd"
    )
    check_page(page, "termijnen-03-casus-na-verlengen")
    check_page.assert_accessible()


def test_regievoerder_sees_the_18th_birthday_flag(page: Page, demo_password, check_page):
    log_in(page, "regie.amarant", demo_password)
    section = page.locator("section").filter(has=page.get_by_role("heading", name="Bijna 18 zonder perspectiefplan"))
    expect(section).to_be_visible()
    expect(section.get_by_role("listitem")).to_have_count(1)
    expect(section).to_contain_text("wordt 18 op")
    check_page(page, "termijnen-04-werklijst-bijna-18")
    section.get_by_role("link").first.click()
    expect(page.locator("#signaal-18")).to_contain_text("Deze jeugdige wordt 18 op")
    check_page.assert_accessible()
