"""Steps the browser tests share: log in and out, follow a case-page button, read the flash message."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    return datetime.now(AMSTERDAM)


def log_in(page: Page, username: str, password: str, check=None, screenshot: str | None = None) -> None:
    page.goto("/account/inloggen/")
    expect(page.get_by_role("heading", name="Inloggen", level=1)).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    if check and screenshot:
        check(page, screenshot)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/account/inloggen/"))


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".utrecht-alert").filter(has_text=text)).to_be_visible()


def step(page: Page, name: str) -> None:
    """Follow a button-styled link (e.g. 'IPVA bewerken') on the case page."""
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
