"""After closing, in the browser: the regievoerder finds the case closed with light help on the work list,
records that the light help stopped, and its 3-month deadline is met [HvB-WI 2.1]. Then the functioneel
beheerder changes a deadline rule in the beheerscherm, with the reason kept in the rule's history.

Screenshots go to the SCREENSHOT_DIR (docs/screenshots/ with `make screenshots`) and each case page is
checked with axe, as in the other journeys.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import expect_message, log_in, log_out, now, step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture
def closed_with_light_help(demo_server, django_db_blocker) -> tuple[str, str, str]:
    """The demo's case closed with light help that continues: its page, reference and regievoerder."""
    from referrals.models import Case
    from segment1.management.commands.load_demo import REGIEVOERDERS

    with django_db_blocker.unblock():
        case = (
            Case.objects.filter(phase="afgesloten", vervolg__lichte_hulp_loopt_door=True)
            .select_related("regie_organisatie")
            .order_by("pk")
            .first()
        )
        assert case is not None, "de demo heeft geen casus die is afgesloten met doorlopende lichte hulp"
        return f"/casussen/{case.public_id}/", case.reference, REGIEVOERDERS[case.regie_organisatie.name]


def deadlines_card(page: Page):
    return page.locator("section").filter(has=page.get_by_role("heading", name="Termijnen", exact=True))


def test_light_help_after_closing_is_recorded_and_its_deadline_met(
    page: Page, demo_password, closed_with_light_help, check_page
):
    case_url, reference, regievoerder = closed_with_light_help
    log_in(page, regievoerder, demo_password)
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Afgesloten; lichte hulp loopt door: einde vastleggen")
    check_page(page, "lichte-hulp-01-werklijst")
    row.get_by_role("link").first.click()
    expect(page).to_have_url(f"{page.url.split('/casussen/')[0]}{case_url}")
    expect(page.locator(".utrecht-status-badge").first).to_have_text("Afgesloten")
    expect(deadlines_card(page)).to_contain_text("Lichte hulp na afsluiting hoogstens 3 maanden")
    check_page(page, "lichte-hulp-02-casus-afgesloten")

    step(page, "Lichte hulp gestopt")
    page.get_by_label("Gestopt op").fill(now().date().isoformat())
    page.get_by_label("Gestopt om een andere reden").check()
    page.get_by_role("button", name="Opslaan").click()
    # Without the reason nothing is stored, and the choice stays.
    expect(page.locator("#id_toelichting_error")).to_have_text("Geef aan waarom de lichte hulp is gestopt.")
    expect(page.get_by_label("Gestopt om een andere reden")).to_be_checked()
    page.get_by_label("De lichte hulp is afgerond").check()
    page.get_by_label("Toelichting").fill("De ambulante begeleiding is afgerond; het gezin redt zich.")
    check_page(page, "lichte-hulp-03-gestopt")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Lichte hulp na afsluiting gestopt: opgeslagen.")
    expect(page.locator("#h-afronding").locator("..")).to_contain_text("De lichte hulp is afgerond op")
    light = deadlines_card(page).get_by_role("listitem").filter(has_text="Lichte hulp na afsluiting")
    expect(light).to_contain_text("voldaan")
    expect(page.get_by_role("link", name="Lichte hulp gestopt", exact=True)).to_have_count(0)
    check_page(page, "lichte-hulp-04-termijn-voldaan")
    check_page.assert_accessible()
    log_out(page)


def test_the_beheerder_changes_a_deadline_rule_with_a_reason(page: Page, demo_password, screenshot_dir):
    log_in(page, "beheer", demo_password)
    page.goto("/beheer/deadlines/deadlinerule/")
    expect(page.get_by_role("link", name="antwoord-jw315", exact=True)).to_be_visible()
    page.screenshot(path=screenshot_dir / "termijnregels-01-lijst.png", full_page=True)
    page.get_by_role("link", name="retourbericht", exact=True).click()
    page.get_by_label("Herinnering vooraf (aantal)").fill("2")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    # Without a reason the change is refused, and what was typed stays.
    expect(page.get_by_text("Geef de reden van de wijziging.")).to_be_visible()
    expect(page.get_by_label("Herinnering vooraf (aantal)")).to_have_value("2")
    page.get_by_label("Reden van de wijziging").fill("Regio-overleg: twee werkdagen vooraf herinneren.")
    page.screenshot(path=screenshot_dir / "termijnregels-02-wijzigen.png", full_page=True)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Retourbericht binnen 3 werkdagen")
    page.get_by_role("link", name="retourbericht", exact=True).click()
    expect(page.get_by_text("Regio-overleg: twee werkdagen vooraf herinneren.")).to_be_visible()
    page.screenshot(path=screenshot_dir / "termijnregels-03-geschiedenis.png", full_page=True)
