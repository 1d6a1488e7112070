"""Reading in iJw messages in the browser as strictly as the standard: the aanmeldpunt uploads a JW301 from a
gemeente's own system with a comment in its header (accepted), the same number again (9056 in Dutch), one
with an invalid BSN (0001, kept without a case) and a broken file (refused in Dutch, nothing kept).

Screenshots go to SCREENSHOT_DIR; every page is checked with axe."""

import random
import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from .steps import log_in, now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture
def jw301_for(demo_server, django_db_blocker):
    """`jw301_for(ident, bsn=None)`: the bytes of a JW301 for a demo case in care, as a gemeente's system sends it."""
    from messaging.builders import build_jw301, to_bytes
    from messaging.data import BerichtHeader, Product, ToegewezenProduct, ToewijzingBericht
    from messaging.from_case import client_from_jeugdige
    from referrals.models import Case

    with django_db_blocker.unblock():
        case = (
            Case.objects.filter(phase="hulpverlenend", jeugdige__bsn_status="normaal", regie_organisatie__isnull=False)
            .exclude(jeugdige__postcode="")
            .select_related("jeugdige", "gemeente", "regie_organisatie")
            .order_by("pk")
            .first()
        )
        assert case is not None, "de demo heeft geen casus in zorg"
        client = client_from_jeugdige(case.jeugdige, met_adres=True)
    cbs, agb = case.gemeente.cbs_code, case.regie_organisatie.agb_code

    def make(ident: str, *, nummer: int, bsn: str | None = None) -> bytes:
        today = now().date()
        data = ToewijzingBericht(
            header=BerichtHeader(cbs, agb, ident, today),
            client=client,
            producten=(
                ToegewezenProduct(
                    toewijzing_nummer=nummer,
                    toewijzingsdatum=today,
                    toewijzingstijd=time(9, 30),
                    ingangsdatum=today,
                    product=Product("54"),
                    budget=150000,
                    einddatum=today + timedelta(days=90),
                ),
            ),
        )
        xml = to_bytes(build_jw301(data))
        if bsn is not None:
            xml = re.sub(rb"<jw301:Bsn>\d+</jw301:Bsn>", b"<jw301:Bsn>" + bsn.encode() + b"</jw301:Bsn>", xml, count=1)
        return xml

    return make


def upload(page: Page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.goto("/berichten/inlezen/")
    expect(page.get_by_role("heading", name="Bericht inlezen", level=1)).to_be_visible()
    page.get_by_label("Berichtbestand (XML)").set_input_files(str(path))
    page.get_by_role("button", name="Inlezen").click()


def test_import_page_answers_each_rule_with_its_code(page: Page, demo_password, jw301_for, check_page, tmp_path):
    base = random.randint(10_000, 99_999)
    ident = f"0000077{base}"
    with_comment = jw301_for(ident, nummer=8_800_000 + base).replace(
        b"<jw301:Header>", b"<jw301:Header><!-- doorgestuurd door het knooppunt -->", 1
    )
    log_in(page, "aanmeldpunt", demo_password)

    upload(page, tmp_path, "jw301-met-opmerking.xml", with_comment)
    result = page.locator("section").filter(has=page.get_by_role("heading", name=f"JW301 {ident} is ingelezen"))
    expect(result).to_contain_text("Geen retourcodes: het bericht is geaccepteerd.")
    check_page(page, "inlezen-01-opmerking-in-header")

    upload(page, tmp_path, "jw301-dubbel.xml", jw301_for(ident, nummer=8_800_000 + base + 1))
    expect(page.locator("#retourcodes")).to_contain_text("9056")
    expect(page.locator("#retourcodes")).to_contain_text("al eens gebruikt voor dit soort bericht")
    check_page(page, "inlezen-02-dubbele-identificatie")

    upload(
        page,
        tmp_path,
        "jw301-ongeldig-bsn.xml",
        jw301_for(f"0000078{base}", nummer=8_800_000 + base + 2, bsn="123456789"),
    )
    expect(page.locator("#retourcodes")).to_contain_text("0001")
    expect(page.locator("#zonder-casus")).to_contain_text("zonder casus bewaard")
    check_page(page, "inlezen-03-ongeldig-bsn-zonder-casus")

    upload(page, tmp_path, "afgebroken.xml", with_comment[:-50])
    expect(page.locator("#violations")).to_contain_text("niet goed gevormd of afgebroken")
    expect(page.locator("#violations")).not_to_contain_text("line")
    check_page(page, "inlezen-04-afgebroken-bestand")
    check_page.assert_accessible()
