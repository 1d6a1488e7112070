"""Letters and steps during the case in the browser: the coördinator sees that the family has not yet been told
who the coördinator is, makes the letter and records it as sent (a date in the future refused at the field);
records a meldcode step; and looks up a partner in the contact directory. The DAT-brief, overbruggingszorg
during the wait, and the segment check that advises Wlz without a development perspective."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import expect_message, log_in, now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture
def coordinated_case(demo_server, django_db_blocker) -> str:
    """An open demo case with toegang.tilburg as coördinator and the youth's address recorded."""
    from referrals.models import Case

    with django_db_blocker.unblock():
        case = (
            Case.objects.filter(coordinator__username="toegang.tilburg", phase__in=["hulpverlenend", "crisis"])
            .exclude(jeugdige__straat="")
            .order_by("pk")
            .first()
        )
        assert case is not None, "de demo heeft geen open casus met toegang.tilburg als coördinator"
        return f"/casussen/{case.public_id}/"


def card(page: Page, heading: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_the_coordinator_tells_the_family_and_records_steps(page: Page, demo_password, coordinated_case, check_page):
    log_in(page, "toegang.tilburg", demo_password)
    page.goto(coordinated_case)
    letters = card(page, "Brieven aan het gezin")
    expect(letters).to_contain_text("Brief nog niet verstuurd")
    letters.scroll_into_view_if_needed()
    check_page(page, "brief-gezin-01-nog-niet-verstuurd")

    letters.get_by_role("link", name=re.compile("^Brief aan gezin maken.*coördinator")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("uw coördinator")
    with page.expect_popup() as popup:
        page.get_by_role("link", name=re.compile("^Brief bekijken")).click()
    popup.value.close()
    page.get_by_label("Verstuurd op").fill((now().date() + timedelta(days=1)).isoformat())
    page.get_by_label("per post").check()
    page.get_by_role("button", name="Vastleggen als verstuurd").click()
    expect(page.get_by_text("Deze datum ligt in de toekomst.")).to_be_visible()
    expect(page.get_by_label("per post")).to_be_checked()  # what was chosen stays
    check_page(page, "brief-gezin-02-datum-in-de-toekomst")
    page.get_by_label("Verstuurd op").fill(now().date().isoformat())
    page.get_by_role("button", name="Vastleggen als verstuurd").click()
    expect_message(page, "vastgelegd als verstuurd")
    expect(card(page, "Brieven aan het gezin")).to_contain_text("per post verstuurd op")
    expect(card(page, "Tijdlijn")).to_contain_text("Brief aan het gezin verstuurd")

    card(page, "Meldcode").get_by_role("link", name="Stap meldcode vastleggen").click()
    page.get_by_label("Consultatie Veilig Thuis").check()
    page.get_by_label("Datum").fill(now().date().isoformat())
    page.get_by_label("Met wie").fill("Veilig Thuis Midden- en West-Brabant")
    page.get_by_label("Uitkomst").fill("Advies: signalen bespreken met moeder, over twee weken opnieuw wegen.")
    check_page(page, "meldcode-01-stap")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Stap meldcode vastleggen: opgeslagen.")
    expect(card(page, "Meldcode")).to_contain_text("signalen bespreken met moeder")

    page.goto("/account/contactlijst/?soort=partner")
    expect(page.get_by_role("heading", name="Contactlijst", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Sterk Huis")).to_contain_text("Teamleider")
    check_page(page, "contactlijst-01-partners")
    check_page.assert_accessible()


@pytest.fixture
def waiting_case(demo_server, django_db_blocker) -> str:
    """An open demo case referred by Toegang Tilburg whose care has not started yet (the youth waits)."""
    from referrals.models import Case

    with django_db_blocker.unblock():
        case = (
            Case.objects.filter(
                gemeente__name="Gemeente Tilburg", route="toegang", phase="hulpverlenend", zorg_gestart_op__isnull=True
            )
            .order_by("pk")
            .first()
        )
        assert case is not None, "de demo heeft geen wachtende casus in Tilburg"
        return f"/casussen/{case.public_id}/"


def test_the_dat_brief_the_bridging_care_and_the_wlz_advice(page: Page, demo_password, waiting_case, check_page):
    log_in(page, "toegang.tilburg", demo_password)
    page.goto(waiting_case)
    # The DAT-brief of a Toegang referral waits on the case until it is recorded as sent.
    letters = card(page, "Brieven aan het gezin")
    expect(letters).to_contain_text("De DAT-brief is nog niet aan het gezin verstuurd.")
    letters.get_by_role("link", name=re.compile("^Brief aan gezin maken.*DAT")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DAT-brief")
    check_page(page, "dat-brief-01-vastleggen")
    page.goto(waiting_case)

    # Overbruggingszorg while the youth waits for the start of care.
    card(page, "Wachttijd en overbruggingszorg").get_by_role("link", name="Overbruggingszorg vastleggen").click()
    page.get_by_label("Door wie").fill("Wijkteam Tilburg Noord")
    page.get_by_label("Welke hulp").fill("Twee gesprekken per week met moeder en kind tot de behandeling begint.")
    page.get_by_label("Vanaf").fill(now().date().isoformat())
    check_page(page, "overbrugging-01-vastleggen")
    page.get_by_role("button", name="Opslaan").click()
    expect(card(page, "Wachttijd en overbruggingszorg")).to_contain_text("Wijkteam Tilburg Noord")
    card(page, "Wachttijd en overbruggingszorg").scroll_into_view_if_needed()
    check_page(page, "overbrugging-02-op-de-casus")

    # Without a development perspective the segment check advises Wlz.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe aanmelding").click()
    expect(page.get_by_role("heading", name="Nieuwe aanmelding", level=1)).to_be_visible()
    page.get_by_role("radio", name="Nee").first.check()
    advice = page.locator(".segment-advice").first
    expect(advice).to_contain_text("Wlz")
    advice.scroll_into_view_if_needed()
    check_page(page, "wlz-01-segmentcheck")
    check_page.assert_accessible()
