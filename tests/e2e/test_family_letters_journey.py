"""Letters and steps during the case in the browser: the coördinator sees that the family has not yet been told
who the coördinator is, makes the letter and records it as sent (a date in the future refused at the field);
records a meldcode step; and looks up a partner in the contact directory."""

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
