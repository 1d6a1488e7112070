"""Coordination in the browser: the Toegang assigns a coördinator and sets the level, consent by the youth's age,
an escalation to the RET, the commitment, and afschalen with its warning. Every page visited is saved as a
screenshot (docs/screenshots/coordinatie-*.png, used by docs/handleiding.md) and checked with axe."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .test_intake_journey import expect_message, log_in, log_out

# No transaction=True: see conftest.py (it would flush the demo data under the running server).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


@pytest.fixture(scope="package")
def demo_cases(demo_server, django_db_blocker) -> dict[str, str]:
    """Where the demo's coordination cases live (coordination/demo.py), to open them by address."""
    from coordination.models import Escalation
    from referrals.models import Case

    with django_db_blocker.unblock():
        request = Case.objects.get(route="overgangsclient", gemeente__name="Gemeente Tilburg")
        zwaar = Case.objects.get(coordination__level="zwaar")
        waalwijk = Escalation.objects.get(kind="proces").case
        return {
            "request": f"/coordinatie/{request.public_id}/",
            "zwaar": f"/coordinatie/{zwaar.public_id}/",
            "waalwijk": f"/coordinatie/{waalwijk.public_id}/",
        }


def panel(page: Page):
    return page.locator("section").filter(has=page.get_by_role("heading", name="Coördinatie door de Toegang"))


def test_the_toegang_assigns_sets_the_level_and_records_consent(page: Page, demo_password, demo_cases, check_page):
    log_in(page, "gw.tilburg", demo_password)
    page.goto(demo_cases["request"])
    coordination = panel(page)
    expect(coordination).to_contain_text("Aangevraagd bij de Toegang")
    expect(coordination).to_contain_text("Wijs eerst een coördinator toe")
    check_page(page, "coordinatie-01-aanvraag-zonder-coordinator")

    coordination.get_by_role("link", name="Coördinator toewijzen").click()
    page.get_by_label("Coördinator").select_option(label="Sanne de Vries (Toegang Tilburg)")
    page.get_by_label("Toelichting").fill("Kent het gezin uit het wijkteam.")
    check_page(page, "coordinatie-02-coordinator-toewijzen")
    page.get_by_role("button", name="Toewijzen").click()
    expect_message(page, "De coördinator is toegewezen.")

    panel(page).get_by_role("link", name="Vaststellen: coördinatie zwaar").click()
    page.get_by_label("Besloten samen met de gedragswetenschapper van de Toegang").check()
    page.get_by_label("Toelichting (zoals vastgelegd in het IPVA)").fill("Veel wisselingen in zorg; nauw volgen.")
    page.get_by_role("button", name="Vaststellen: coördinatie zwaar").click()
    expect(page.locator("#id_met_crossroads_error")).to_have_text("Het niveau wordt vastgesteld samen met Crossroads.")
    expect(page.get_by_label("Toelichting (zoals vastgelegd in het IPVA)")).to_have_value(
        "Veel wisselingen in zorg; nauw volgen."
    )
    check_page(page, "coordinatie-03-vaststellen-zonder-crossroads")
    page.get_by_label("Besloten samen met Crossroads").check()
    page.get_by_role("button", name="Vaststellen: coördinatie zwaar").click()
    expect_message(page, "Vaststellen: coördinatie zwaar: vastgelegd.")
    expect(panel(page)).to_contain_text("Coördinatie zwaar")
    expect(panel(page)).to_contain_text("Besloten door: gedragswetenschapper Toegang, Crossroads")
    check_page(page, "coordinatie-04-niveau-vastgesteld")
    log_out(page)

    # The new coördinator records the youth's consent to share the IPVA: at 16 the youth decides alone.
    log_in(page, "toegang.tilburg", demo_password)
    page.goto(demo_cases["request"])
    panel(page).get_by_role("link", name="Toestemming vastleggen").click()
    page.get_by_label("IPVA delen met de regievoerder").check()
    page.get_by_label("Ouders / wettelijk vertegenwoordigers").check()
    page.get_by_label("Gegeven op").fill(today().isoformat())
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.locator("#id_given_by_error")).to_contain_text("toestemming nodig van: jeugdige")
    check_page(page, "coordinatie-05-toestemming-verkeerde-persoon")
    page.get_by_label("Jeugdige", exact=True).check()
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect_message(page, "De toestemming is vastgelegd.")
    expect(panel(page).get_by_role("row")).to_have_count(3)  # header, coordination request, IPVA
    check_page(page, "coordinatie-06-toestemming-vastgelegd")
    check_page.assert_accessible()


def test_escalation_commitment_and_afschalen(page: Page, demo_password, demo_cases, check_page):
    # The regievoerder of Amarant takes a disagreement about the care to the RET.
    log_in(page, "regie.amarant", demo_password)
    page.goto(demo_cases["waalwijk"])
    expect(panel(page)).to_contain_text("Wacht op gesprek in de hiërarchische lijn")
    panel(page).get_by_role("link", name="Escaleren").click()
    page.get_by_label("Inhoudelijke escalatie (RET)").check()
    page.get_by_label("Geadviseerde zorg").check()
    page.get_by_label("Omschrijving").fill("De coördinator wil een andere hulpvorm dan de aanmeldtafel adviseerde.")
    page.get_by_role("button", name="Escalatie openen").click()
    expect(page.locator("#id_ret_criteria_error")).to_contain_text("welke criteria gelden")
    page.get_by_label("(Dreigende) thuiszitter").check()
    page.get_by_label("Meerdere aanbieders nodig").check()
    check_page(page, "coordinatie-07-escaleren-naar-het-ret")
    page.get_by_role("button", name="Escalatie openen").click()
    expect_message(page, "De escalatie is geopend.")
    log_out(page)

    # The coördinator of the zwaar case records the commitment after the talk, then scales down.
    log_in(page, "toegang.tilburg", demo_password)
    page.goto(demo_cases["zwaar"])
    coordination = panel(page)
    expect(coordination).to_contain_text("Coördinatie zwaar")
    expect(coordination).to_contain_text("Gesprek gehouden, wacht op commitment")
    check_page(page, "coordinatie-08-coordinatie-zwaar")
    coordination.get_by_role("link", name="Commitment vastleggen").click()
    page.get_by_label("Commitment gegeven op").fill(today().isoformat())
    page.get_by_label("Commitment", exact=True).fill("Het RET kijkt mee; Sterk Huis start intensieve hulp thuis.")
    page.get_by_label("Nieuwe afspraken").fill("Over vier weken evalueren coördinator en regievoerder samen.")
    check_page(page, "coordinatie-09-commitment")
    page.get_by_role("button", name="Commitment vastleggen").click()
    expect_message(page, "Het commitment en de nieuwe afspraken zijn vastgelegd.")
    expect(panel(page)).to_contain_text("Afgerond: commitment vastgelegd")

    panel(page).get_by_role("link", name="Afschalen naar coördinatie licht").click()
    page.get_by_label("De coördinator besliste mee").check()
    page.get_by_label("De gedragswetenschapper van de Toegang besliste mee").check()
    page.get_by_label("De regievoerder besliste mee").check()
    page.get_by_label("Positieve ontwikkeling of perspectief op herstel").check()
    page.get_by_label("Toelichting").fill("Het gezin pakt de regie weer op.")
    check_page(page, "coordinatie-10-afschalen")
    page.get_by_role("button", name="Afschalen naar coördinatie licht").click()
    expect_message(page, "korter dan 6 maanden structureel veilig")
    expect(panel(page)).to_contain_text("Coördinatie licht")
    check_page(page, "coordinatie-11-afgeschaald-met-waarschuwing")
    check_page.assert_accessible()
