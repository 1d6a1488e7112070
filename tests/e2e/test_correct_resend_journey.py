"""A refused JW315 corrected and sent again in the browser (ADR 0024): the gemeente's JW316 with retourcode
S329 comes in from the national message traffic and the aanmeldpunt reads it in on the import page; the
refused request shows what the code means, "Corrigeren en opnieuw versturen" opens the form prefilled with
the code at the product code; the user corrects it and sends; the new JW315 is accepted (a JW316 without
codes) and both messages point at each other.

Screenshots go to SCREENSHOT_DIR (copied to docs/screenshots/ for docs/handleiding.md, section "Een
afgewezen verzoek corrigeren"); every page is checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from .steps import expect_message, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

WRONG_CODE, RIGHT_CODE = "45A99", "45A01"


@pytest.fixture(scope="module")
def refused_by_the_gemeente(demo_server, django_db_blocker, tmp_path_factory):
    """A demo case in care whose JW315 (product code 45A99) went out through the national message traffic,
    and the gemeente's JW316 refusing it with S329 on the product, as the file that comes back. Module
    scope: made before the test's own transaction, so that the server sees it.
    Returns (case url, case reference, JW315 identificatie, path of the JW316 file)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from messaging import services
    from messaging.builders import build_retour, to_bytes
    from messaging.models import MessageState
    from messaging.parsing import parse_xml
    from messaging.services.base import transition
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
            .order_by("-pk")
            .first()
        )
        assert case is not None, "de demo heeft geen casus in zorg zonder berichten"
        aanmeldpunt = User.objects.get(username="aanmeldpunt")
        today = timezone.localdate()
        jw315 = services.create_jw315(
            actor=aanmeldpunt,
            case=case,
            data=services.RequestInput(
                categorie="45",
                product_code=WRONG_CODE,
                volume=4,
                eenheid="04",
                frequentie="2",
                ingangsdatum=today,
                einddatum=today + timedelta(days=182),
            ),
        )
        transition(jw315, MessageState.VERZONDEN, actor=aanmeldpunt, reason="Verzonden via de berichtenstroom.")
        heen = parse_xml(jw315.data)
        (line,) = heen.xpath("//*[local-name()='AangevraagdProduct']")
        retour = build_retour(heen, identificatie="000000990001", dagtekening=today, class_codes={line: ["S329"]})
        path = tmp_path_factory.mktemp("retour") / f"JW316-{jw315.identificatie}.xml"
        path.write_bytes(to_bytes(retour))
        return f"/casussen/{case.public_id}/", case.reference, jw315.identificatie, path


def test_a_refused_jw315_is_corrected_and_accepted(page: Page, demo_password, refused_by_the_gemeente, check_page):
    case_url, reference, identificatie, retour_file = refused_by_the_gemeente
    log_in(page, "aanmeldpunt", demo_password)

    # --- The gemeente's JW316 comes in: read it in on the import page. ---------------------------------
    page.goto("/berichten/inlezen/")
    page.get_by_label("Berichtbestand (XML)").set_input_files(str(retour_file))
    page.get_by_role("button", name="Inlezen").click()
    result = page.locator("section").filter(has=page.get_by_role("heading", name="is ingelezen"))
    expect(result).to_contain_text(f"JW315 {identificatie}")
    expect(result).to_contain_text("afgewezen")
    expect(page.locator("#retourcodes")).to_contain_text("S329: De productcode hoort niet bij de productcategorie.")
    check_page(page, "correctie-01-retour-ingelezen")

    # --- The case's messages: the refused request with the code's meaning and the action. ---------------
    page.goto(case_url + "berichten/")
    rows = page.locator("section").filter(has=page.get_by_role("heading", name="Berichten", exact=True))
    refused_row = rows.get_by_role("row").filter(has_text=identificatie).filter(has_text="Afgewezen").first
    expect(refused_row).to_contain_text("S329 – De productcode hoort niet bij de productcategorie.")
    expect(refused_row.get_by_role("link", name="Corrigeren en opnieuw versturen")).to_be_visible()
    check_page(page, "correctie-02-casus-berichten-afgewezen")

    # --- The refused request: codes per class, and the action. -------------------------------------------
    refused_row.get_by_role("link", name="JW315 verzoek om toewijzing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(identificatie)
    codes = page.locator("#retourcodes")
    expect(codes).to_contain_text("De productcode hoort niet bij de productcategorie.")
    expect(codes).to_contain_text("Aangevraagd product")
    check_page(page, "correctie-03-afgewezen-verzoek")

    # --- The form, prefilled, the code at the product code. -------------------------------------------
    page.get_by_role("link", name="Corrigeren en opnieuw versturen").click()
    expect(page.get_by_role("heading", name="Verzoek corrigeren en opnieuw versturen (JW315)", level=1)).to_be_visible()
    product_code = page.get_by_label("Productcode (niet verplicht)")
    expect(product_code).to_have_value(WRONG_CODE)
    expect(page.get_by_label("Productcategorie")).to_have_value("45")
    expect(page.get_by_label("Volume (niet verplicht)")).to_have_value("4")
    expect(product_code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_product_code_correction")).to_contain_text("S329")
    expect(page.locator("#id_product_code_correction")).to_contain_text("productcodelijst")
    check_page(page, "correctie-04-formulier-gemarkeerd")

    # --- Correct, preview, send: a new JW315, accepted. -------------------------------------------------
    product_code.fill(RIGHT_CODE)
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.locator("section").filter(has=page.get_by_role("heading", name="Voorbeeld van het bericht"))
    expect(preview).to_contain_text(f"{RIGHT_CODE} – categorie 45")
    check_page(page, "correctie-05-voorbeeld")
    page.get_by_role("button", name="Opnieuw versturen").click()
    expect_message(page, f"Verzoek om toewijzing {identificatie} is gecorrigeerd en opnieuw verstuurd")
    expect_message(page, "geaccepteerd in de retour")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("JW315 Verzoek om toewijzing")
    new_identificatie = heading.locator(".muted").inner_text().strip(" ·")
    assert new_identificatie != identificatie
    expect(page.locator(".case-status")).to_contain_text("Geaccepteerd")
    expect(page.locator("#correctie-van")).to_contain_text(f"Correctie van JW315 {identificatie}")
    samenhang = page.locator("section").filter(has=page.get_by_role("heading", name="Samenhang"))
    expect(samenhang).to_contain_text("Geaccepteerd")  # its JW316, without codes
    check_page(page, "correctie-06-nieuw-verzoek-geaccepteerd")

    # --- The refused one points at its correction; no second correction. ---------------------------------
    page.locator("#correctie-van").get_by_role("link").click()
    expect(page.locator("#gecorrigeerd-in")).to_contain_text(f"Gecorrigeerd in JW315 {new_identificatie}")
    expect(page.get_by_role("link", name="Corrigeren en opnieuw versturen")).to_have_count(0)
    check_page(page, "correctie-07-afgewezen-gecorrigeerd")

    # --- The timeline. ----------------------------------------------------------------------------------
    page.goto(case_url)
    timeline = page.get_by_role("region", name="Tijdlijn")
    expect(timeline).to_contain_text(
        f"JW315 {identificatie} gecorrigeerd en opnieuw verstuurd als JW315 {new_identificatie}"
    )
    log_out(page)
    check_page.assert_accessible()
    assert reference
