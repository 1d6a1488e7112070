"""The verzoek om wijziging in the browser: the aanmeldpunt asks to change a current toewijzing (a date in the
past refused in Dutch at the field, then sent); Tilburg's backoffice grants it from its inbox; the new
toewijzing is on the case.

Screenshots go to the screenshot directory; every page is checked with axe."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from .test_intake_journey import expect_message, log_in, log_out, now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture
def case_with_toewijzing(demo_server, django_db_blocker):
    """(url, reference, toewijzing) of a demo case with one current toewijzing that began before yesterday (so
    that yesterday is a date inside it, refused as in the past), and no open request."""
    from accounts.models import User
    from messaging import services
    from referrals.models import Case

    with django_db_blocker.unblock():
        aanmeldpunt = User.objects.get(username="aanmeldpunt")
        for case in Case.objects.filter(toewijzingen__source="jw301").distinct().order_by("pk"):
            current = services.wijzigbare_toewijzingen(case)
            started_before_yesterday = current and current[0].ingangsdatum < now().date() - timedelta(days=1)
            if (
                len(current) == 1
                and current[0].volume
                and started_before_yesterday
                and not services.wijziging_refusal(aanmeldpunt, case)
            ):
                return f"/casussen/{case.public_id}/", case.reference, current[0]
    pytest.fail("de demo heeft geen casus met één actuele toewijzing om te wijzigen")


def test_verzoek_om_wijziging_sent_and_granted(page: Page, demo_password, case_with_toewijzing, check_page):
    case_url, reference, toewijzing = case_with_toewijzing
    today = now().date()
    nr = toewijzing.toewijzing_nummer

    # --- Aanmeldpunt: a new volume from next week, first with a date in the past. -----------------------
    log_in(page, "aanmeldpunt", demo_password)
    page.goto(case_url + "berichten/")
    page.get_by_role("link", name="Verzoek om wijziging", exact=True).click()
    expect(page.get_by_role("heading", name="Verzoek om wijziging (JW317)", level=1)).to_be_visible()
    page.get_by_label("Reden van het verzoek").select_option("2")
    page.get_by_label("Wijzigen", exact=True).check()
    page.get_by_label(f"Wijziging gaat in op (toewijzing {nr})").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label(f"Nieuw volume (toewijzing {nr}").fill(str(toewijzing.volume + 2))
    page.get_by_role("button", name="Verzenden").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_contain_text("na vandaag")
    expect(page.get_by_label(f"Nieuw volume (toewijzing {nr}")).to_have_value(str(toewijzing.volume + 2))
    check_page(page, "wijziging-01-fout-bij-het-veld")
    page.get_by_label(f"Wijziging gaat in op (toewijzing {nr})").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Verzenden").click()
    expect_message(page, "is verzonden naar de gemeente")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("JW317 Verzoek om wijziging")
    identificatie = heading.locator(".muted").inner_text().strip(" ·")
    expect(page.locator(".case-status")).to_contain_text("Geaccepteerd")  # the JW318 came back without codes
    check_page(page, "wijziging-02-verzonden")
    log_out(page)

    # --- Backoffice Tilburg: the request in the inbox, granted with a JW301. ------------------------------
    log_in(page, "backoffice.tilburg", demo_password)
    page.goto("/berichten/")
    inbox = page.locator("section").filter(has=page.get_by_role("heading", name="Te beantwoorden verzoeken"))
    inbox.get_by_role("row").filter(has_text=reference).get_by_role("link", name=f"JW317 {identificatie}").click()
    expect(page.locator("body")).to_contain_text("Te wijzigen product 1")
    check_page(page, "wijziging-03-verzoek-bij-de-gemeente")
    page.get_by_role("link", name="Wijziging toewijzen (JW301)").click()
    expect(page.get_by_role("heading", name="Wijziging toewijzen (JW301)", level=1)).to_be_visible()
    page.get_by_role("button", name="Verzenden").click()
    expect_message(page, "Wijziging toegewezen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("JW301 Toewijzing")
    check_page(page, "wijziging-04-toegewezen")
    log_out(page)

    # --- Aanmeldpunt: the old toewijzing ends, the new one is on the case. --------------------------------
    log_in(page, "aanmeldpunt", demo_password)
    page.goto(case_url + "berichten/")
    toewijzingen = page.locator("section").filter(has=page.get_by_role("heading", name="Toewijzingen"))
    expect(toewijzingen).to_contain_text(str(nr))
    expect(toewijzingen).to_contain_text(f"{toewijzing.volume + 2} uur per week")
    check_page(page, "wijziging-05-nieuwe-toewijzing")
    check_page.assert_accessible()
