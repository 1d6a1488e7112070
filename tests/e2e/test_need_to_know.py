"""Two people of different organisations in the browser: the Toegang of Waalwijk and the regievoerder
of Sterk Huis. Neither sees the other's cases: not in the work list, not in the case list, not by
searching for the youth's name, not by typing the case's address. Then the privacy officer looks up
who opened a file, and an account links an authenticator app (screenshots for the manual)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_intake_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

CASE_HREF = re.compile(r"^/casussen/[0-9a-f-]{36}/$")


def case_links(page: Page, url: str) -> dict[str, str]:
    """{case address: reference} of every case linked on `url` and the pages after it."""
    found: dict[str, str] = {}
    page.goto(url)
    while True:
        for link in page.locator("main a").all():
            href = link.get_attribute("href") or ""
            if CASE_HREF.match(href):
                found[href] = link.inner_text().strip()
        following = page.get_by_role("link", name="Volgende")
        if following.count() == 0:
            return found
        following.click()


def seen_by(page: Page) -> dict[str, str]:
    return case_links(page, "/start/") | case_links(page, "/casussen/")


def youth_name(page: Page, href: str) -> str:
    page.goto(href)
    heading = page.get_by_role("heading", level=1).inner_text()
    return heading.split("·")[0].strip()


def test_neither_organisation_sees_the_others_cases(new_page, demo_password, check_page):
    toegang, regie = new_page(), new_page()
    log_in(toegang, "toegang.waalwijk", demo_password)
    log_in(regie, "regie.sterkhuis", demo_password)
    check_page(toegang, "privacy-werklijst-toegang-waalwijk")
    check_page(regie, "privacy-werklijst-regievoerder-sterk-huis")

    toegang_cases, regie_cases = seen_by(toegang), seen_by(regie)
    only_toegang = sorted(set(toegang_cases) - set(regie_cases))
    only_regie = sorted(set(regie_cases) - set(toegang_cases))
    assert only_toegang and only_regie, (toegang_cases, regie_cases)

    for viewer, own, other, other_cases in (
        (toegang, toegang_cases, only_regie, regie_cases),
        (regie, regie_cases, only_toegang, toegang_cases),
    ):
        for href in other[:3]:
            # Typed into the address bar: the case is not there for this person.
            response = viewer.goto(href)
            assert response.status == 404, href
            # Searching for the youth by name finds nothing of the other organisation.
        owner = toegang if viewer is regie else regie
        name = youth_name(owner, other[0])
        viewer.goto("/casussen/")
        viewer.get_by_label("Zoek op naam, BSN of casusnummer").fill(name)
        viewer.get_by_role("button", name="Zoeken").click()
        expect(viewer.get_by_role("link", name=other_cases[other[0]], exact=True)).to_have_count(0)
        viewer.goto("/start/")
        expect(viewer.get_by_role("link", name=other_cases[other[0]], exact=True)).to_have_count(0)
        # Their own cases are all still there.
        assert own

    # The privacy officer sees who opened the Toegang's case, and who tried to and was refused, and can hand
    # over the report.
    toegang.goto(only_toegang[0])
    reference = toegang_cases[only_toegang[0]]
    privacy = new_page()
    log_in(privacy, "privacy", demo_password)
    expect(privacy.get_by_role("heading", name="Inzagelogboek", level=1)).to_be_visible()
    privacy.get_by_label("Casus").fill(reference)
    privacy.get_by_role("button", name="Zoeken").click()
    log = privacy.locator("#inzagelogboek")
    expect(log.get_by_role("row").filter(has_text="toegang.waalwijk").filter(has_text="inzien").first).to_be_visible()
    # The regievoerder typed its address and got "not found": a refused attempt, never a view.
    regie_rows = log.get_by_role("row").filter(has_text="regie.sterkhuis")
    expect(regie_rows.filter(has_text="geweigerd").first).to_be_visible()
    expect(regie_rows.filter(has_text="inzien")).to_have_count(0)
    check_page(privacy, "privacy-inzagelogboek-per-casus")
    with privacy.expect_download() as download:
        privacy.get_by_role("link", name=f"AVG-inzageverslag {reference} (pdf)").click()
    assert download.value.suggested_filename == f"inzageverslag-{reference}.pdf"
    check_page.assert_accessible()


def test_linking_an_authenticator_app(page: Page, demo_password, check_page):
    log_in(page, "manager.waalwijk", demo_password)
    page.goto("/account/tweede-factor/instellen/")
    expect(page.get_by_role("heading", name="Authenticator-app koppelen", level=1)).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    page.get_by_label("Code uit de authenticator-app").fill("12345")
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_text("Een code bestaat uit zes cijfers.")).to_be_visible()
    check_page(page, "privacy-tweede-factor-koppelen")
    check_page.assert_accessible()


def test_too_many_wrong_passwords_block_the_login_for_a_while(page: Page, check_page):
    for _ in range(5):
        page.goto("/account/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("oud.account")
        page.get_by_label("Wachtwoord").fill("geraden-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert").filter(has_text="Te vaak een verkeerd wachtwoord")).to_be_visible()
    check_page(page, "privacy-inloggen-geblokkeerd")
    check_page.assert_accessible()
