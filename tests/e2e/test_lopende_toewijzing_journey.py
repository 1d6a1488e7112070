"""Segment 2-4 becomes segment 1 [HvB-S1], in the browser: the aanmeldpunt reports the toewijzing that still
runs elsewhere, the Tilburg backoffice finds it on its start page and ends it, and the case shows it ended.
Screenshots go to the SCREENSHOT_DIR (docs/screenshots/ with `make screenshots`); each page is checked with axe.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import expect_message, log_in, log_out, now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture
def case_in_intake(demo_server, django_db_blocker) -> tuple[str, str]:
    """A demo case of Waalwijk in the aanmeldfase: its messages page and reference."""
    from django.urls import reverse

    from referrals.models import Case

    with django_db_blocker.unblock():
        case = (
            Case.objects.filter(phase="aanmeld", gemeente__cbs_code="0867", lopende_toewijzingen__isnull=True)
            .order_by("pk")
            .first()
        )
        assert case is not None, "de demo heeft geen casus van Waalwijk in de aanmeldfase"
        return reverse("messaging:case_messages", args=[case.public_id]), case.reference


def lopend_card(page: Page):
    return page.locator("section").filter(has=page.get_by_role("heading", name="Lopende toewijzing in segment 2–4"))


def test_a_running_toewijzing_elsewhere_is_reported_and_ended(page: Page, demo_password, case_in_intake, check_page):
    messages_url, reference = case_in_intake
    today = now().date().isoformat()

    log_in(page, "aanmeldpunt", demo_password)
    page.goto(messages_url)
    lopend_card(page).get_by_role("link", name="Lopende toewijzing melden").click()
    page.get_by_label("Aanbieder", exact=True).fill("Kompaan en De Bocht")
    page.get_by_label("AGB-code aanbieder").fill("1234")
    page.get_by_label("Loopt sinds").fill("2026-01-05")
    page.get_by_role("button", name="Melden").click()
    # A wrong AGB code is said at the field; what was typed stays.
    expect(page.get_by_label("Aanbieder", exact=True)).to_have_value("Kompaan en De Bocht")
    expect(page.locator(".utrecht-form-field--invalid").first).to_be_visible()
    page.get_by_label("AGB-code aanbieder").fill("")
    check_page(page, "lopend-01-melden")
    page.get_by_role("button", name="Melden").click()
    expect_message(page, "De lopende toewijzing bij Kompaan en De Bocht is gemeld")
    expect(lopend_card(page)).to_contain_text("nog te beëindigen door de backoffice")
    log_out(page)

    log_in(page, "backoffice.tilburg", demo_password)
    task = page.locator("#h-lopend").locator("..").get_by_role("row").filter(has_text=reference)
    expect(task).to_contain_text("Kompaan en De Bocht")
    check_page(page, "lopend-02-taak-backoffice")
    task.get_by_role("link", name="Beëindigen").click()
    page.get_by_label("Beëindigd per").fill(today)
    page.get_by_label("JW301 met einddatum aan de aanbieder verstuurd").check()
    check_page(page, "lopend-03-beeindigen")
    page.get_by_role("button", name="Beëindiging vastleggen").click()
    expect(lopend_card(page)).to_contain_text("JW301 met einddatum aan de aanbieder verstuurd")
    check_page(page, "lopend-04-beeindigd")
    page.goto("/start/")
    expect(page.locator("#h-lopend").locator("..").get_by_role("row").filter(has_text=reference)).to_have_count(0)
    check_page.assert_accessible()
