"""iJw messages in the browser: the aanmeldpunt makes a JW315, sees its Dutch preview and sends it; Tilburg's
backoffice accepts it from its inbox; the JW301 arrives at the case as a toewijzing.

Screenshots go to docs/screenshots/ (used in docs/handleiding.md, section "Berichten (iJw)"), every page is
checked with axe."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from .test_intake_journey import expect_message, log_in, log_out, now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture
def case_in_care(demo_server, django_db_blocker):
    """(url, reference) of a demo case in care, with a BSN and an address, that has no messages yet."""
    from referrals.models import Case

    with django_db_blocker.unblock():
        case = (
            Case.objects.filter(
                phase="hulpverlenend",
                jeugdige__bsn_status="normaal",
                regie_organisatie__isnull=False,
                messages__isnull=True,
            )
            .exclude(jeugdige__postcode="")
            .order_by("pk")
            .first()
        )
        assert case is not None, "de demo heeft geen casus in zorg zonder berichten"
        return f"/casussen/{case.public_id}/", case.reference


def test_jw315_sent_accepted_by_tilburg_and_the_toewijzing_arrives(page: Page, demo_password, case_in_care, check_page):
    case_url, reference = case_in_care
    today = now().date()

    # --- Aanmeldpunt: from the case to the messages, a JW315 with a preview, then send. ----------------
    log_in(page, "aanmeldpunt", demo_password)
    page.goto(case_url)
    page.get_by_role("link", name="Berichten (iJw) bekijken").click()
    expect(page.get_by_role("heading", name="Berichten (iJw)", level=1)).to_be_visible()
    check_page(page, "berichten-01-casus-berichten")

    page.get_by_role("link", name="Verzoek om toewijzing maken").click()
    expect(page.get_by_role("heading", name="Verzoek om toewijzing (JW315)", level=1)).to_be_visible()
    page.get_by_label("Productcategorie").select_option("45")
    page.get_by_label("Productcode (niet verplicht)").fill("45A01")
    page.get_by_label("Volume (niet verplicht)").fill("4")
    page.get_by_label("Eenheid (niet verplicht)").select_option("04")
    page.get_by_label("Frequentie (niet verplicht)").select_option("2")
    page.get_by_label("Ingangsdatum").fill(today.isoformat())
    # Per week needs an end date (CD076): first without it, to see the rule in Dutch.
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    violations = page.locator("#violations")
    expect(violations).to_contain_text("CD076")
    expect(violations).to_contain_text("Bij frequentie 2 (per week) is de einddatum verplicht")
    check_page(page, "berichten-02-verzoek-regel")
    page.get_by_label("Einddatum (niet verplicht)").fill((today + timedelta(days=182)).isoformat())
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.locator("section").filter(has=page.get_by_role("heading", name="Voorbeeld van het bericht"))
    expect(preview).to_contain_text("45A01 – categorie 45 Jeugdhulp ambulant")
    expect(preview).to_contain_text("4 × uur per week")
    expect(preview).to_contain_text("Gemeente")
    check_page(page, "berichten-03-verzoek-voorbeeld")
    page.get_by_role("button", name="Verzenden", exact=True).click()
    expect_message(page, "is verzonden naar de gemeente")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("JW315 Verzoek om toewijzing")
    identificatie = heading.locator(".muted").inner_text().strip(" ·")
    expect(page.locator(".case-status")).to_contain_text("Geaccepteerd")  # the JW316 came back without codes
    check_page(page, "berichten-04-verzoek-verzonden")
    log_out(page)

    # --- Backoffice Tilburg: the request in the inbox; accept it with a JW301. ----------------------------
    log_in(page, "backoffice.tilburg", demo_password)
    inbox = page.locator("section").filter(has=page.get_by_role("heading", name="Verzoeken om toewijzing (JW315)"))
    expect(inbox).to_contain_text(reference)
    check_page(page, "berichten-05-backoffice-inbox")
    inbox.get_by_role("row").filter(has_text=reference).get_by_role("link", name=f"JW315 {identificatie}").click()
    page.get_by_role("link", name="Toewijzen (JW301)").click()
    expect(page.get_by_role("heading", name="Toewijzen (JW301)", level=1)).to_be_visible()
    expect(page.get_by_label("Ingangsdatum toewijzing")).to_have_value(today.isoformat())
    check_page(page, "berichten-06-toewijzen")
    page.get_by_role("button", name="Verzenden").click()
    expect_message(page, "Toegewezen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("JW301 Toewijzing")
    nummer = re.search(r"Toegewezen: (\d+)", page.locator(".utrecht-alert").inner_text()).group(1)
    check_page(page, "berichten-07-toewijzing-verzonden")
    log_out(page)

    # --- Aanmeldpunt: the toewijzing is on the case. -----------------------------------------------------
    log_in(page, "aanmeldpunt", demo_password)
    page.goto(case_url + "berichten/")
    toewijzingen = page.locator("section").filter(has=page.get_by_role("heading", name="Toewijzingen"))
    expect(toewijzingen).to_contain_text(nummer)
    expect(toewijzingen).to_contain_text("Toewijzing (JW301) ontvangen")
    expect(toewijzingen).to_contain_text("45A01")
    check_page(page, "berichten-08-toewijzing-bij-casus")
    page.goto(case_url)
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text("Toewijzing (JW301) ontvangen")
    check_page.assert_accessible()
