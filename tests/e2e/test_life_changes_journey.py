"""Life changes in the browser: (a) an unborn child in care is born and gets its own BSN: the aanmeldpunt
records it (a wrong BSN refused at the field), the timeline shows old → new, and a JW315 is now possible;
(b) the Toegang adds a sibling to an existing family and the family page shows all youths.
Screenshots go to the SCREENSHOT_DIR (docs/screenshots/ with `make screenshots`); each page is checked with axe.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import expect_message, log_in, now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture(scope="module")
def unborn_in_care(demo_server, django_db_blocker) -> tuple[str, str]:
    """A Tilburg case in care at Sterk Huis for an unborn child (care on the mother's BSN), made through the
    real services by the demo's people (outside a test's transaction, so the server sees it): its page and
    its messages page."""
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Organisation, User
    from tests.factories import build_case
    from tests.messaging.traffic import ADRES

    with django_db_blocker.unblock():
        case = build_case(
            stage="hulpverlenend",
            toegang_user=User.objects.get(username="toegang.tilburg"),
            aanmeldpunt_user=User.objects.get(username="aanmeldpunt"),
            partner_org=Organisation.objects.get(name="Sterk Huis"),
            bsn_status="ongeboren",
            geboortedatum=timezone.localdate() + timedelta(days=14),
            voornaam="Baby",
            achternaam="Verhoeven",
            **ADRES,
        )
        return (
            reverse("referrals:case_detail", args=[case.public_id]),
            reverse("messaging:case_messages", args=[case.public_id]),
        )


def new_bsn(known: set[str], start: int) -> str:
    from referrals.bsn import valid_bsns

    return next(bsn for bsn in valid_bsns(start) if bsn not in known)


def test_a_birth_is_recorded_and_a_jw315_becomes_possible(
    page: Page, demo_password, unborn_in_care, known_bsns, check_page
):
    case_url, messages_url = unborn_in_care
    today = now().date()
    born = today - timedelta(days=2)
    bsn = new_bsn(known_bsns, 555666000)

    log_in(page, "aanmeldpunt", demo_password)
    page.goto(messages_url)
    expect(page.get_by_text("Handmatige route.")).to_be_visible()  # no berichtenverkeer for an unborn child
    expect(page.get_by_role("link", name="Verzoek om toewijzing maken")).to_have_count(0)

    page.goto(case_url)
    page.get_by_role("link", name="Gegevens wijzigen").click()
    expect(page.get_by_role("heading", name="Gegevens jeugdige wijzigen", level=1)).to_be_visible()
    page.get_by_label("Voornaam").fill("Fenna")
    page.get_by_label("Geboortedatum").fill(born.isoformat())
    page.get_by_label("BSN-status").select_option("normaal")
    page.locator("#id_bsn").fill("123456789")
    page.get_by_label("Reden van de wijziging").fill("Geboren; BSN van de gemeente ontvangen.")
    page.get_by_role("button", name="Opslaan").click()
    # The elfproef fails: said at the field, everything typed kept, nothing stored.
    expect(page.locator("#id_bsn_error")).to_contain_text("elfproef")
    expect(page.get_by_label("Voornaam")).to_have_value("Fenna")
    expect(page.locator("#id_bsn")).to_have_value("123456789")
    check_page(page, "gegevens-01-bsn-fout")
    page.locator("#id_bsn").fill(bsn)
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Gegevens jeugdige wijzigen: opgeslagen.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fenna Verhoeven")
    timeline = page.locator("section").filter(has=page.get_by_role("heading", name="Tijdlijn"))
    expect(timeline).to_contain_text("Gegevens jeugdige gewijzigd")
    expect(timeline).to_contain_text("BSN-status: Ongeboren (zorg op BSN van de moeder) → BSN bekend")
    expect(timeline).to_contain_text(f"BSN: (leeg) → ••••••{bsn[-3:]}")
    expect(timeline).not_to_contain_text(bsn)
    check_page(page, "gegevens-02-tijdlijn")

    page.goto(messages_url)
    expect(page.get_by_text("Handmatige route.")).to_have_count(0)
    page.get_by_role("link", name="Verzoek om toewijzing maken").click()
    page.get_by_label("Productcategorie").select_option("45")
    page.get_by_label("Productcode (niet verplicht)").fill("45A01")
    page.get_by_label("Volume (niet verplicht)").fill("4")
    page.get_by_label("Eenheid (niet verplicht)").select_option("04")
    page.get_by_label("Frequentie (niet verplicht)").select_option("2")
    page.get_by_label("Ingangsdatum").fill(today.isoformat())
    page.get_by_label("Einddatum (niet verplicht)").fill((today + timedelta(days=182)).isoformat())
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.locator("section").filter(has=page.get_by_role("heading", name="Voorbeeld van het bericht"))
    expect(preview).to_contain_text("Fenna")
    expect(preview).to_contain_text(bsn)
    expect(page.locator("#violations")).to_have_count(0)
    check_page(page, "gegevens-03-verzoek-voorbeeld")
    check_page.assert_accessible()


def test_a_sibling_is_added_to_the_family(
    page: Page, demo_password, known_bsns, demo_server, django_db_blocker, check_page
):
    from referrals.models import Case

    with django_db_blocker.unblock():
        case = Case.objects.filter(coordinator__username="coordinator.tilburg").order_by("pk").first()
        assert case is not None, "de demo heeft geen gezin met een eigen coördinator"
        gezin_url = f"/casussen/gezin/{case.jeugdige.gezin.public_id}/"
        achternaam = case.jeugdige.achternaam
    bsn = new_bsn(known_bsns, 555777000)

    log_in(page, "toegang.tilburg", demo_password)
    page.goto(gezin_url)
    expect(page.get_by_role("heading", name="Coördinator van het gezin")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Ilse Coenen")
    expect(page.locator("body")).to_contain_text("geen casus: hulpvraag in segment 2")
    check_page(page, "gezin-01-overzicht")
    page.get_by_role("link", name="Broer of zus toevoegen").click()
    expect(page.get_by_role("heading", name="Jeugdige toevoegen aan het gezin", level=1)).to_be_visible()
    page.get_by_label("Voornaam").fill("Rosalie")
    page.get_by_label("Achternaam").fill(achternaam)
    page.get_by_label("Geboortedatum").fill((now().date() - timedelta(days=365 * 11)).isoformat())
    page.get_by_label("Geslacht").select_option("2")
    page.locator("#id_jeugdige-0-bsn").fill(bsn)
    page.get_by_label("Segment van de hulpvraag").select_option("1")
    page.locator("#id_hulpvraag").fill("Ook de oudste zus heeft intensieve hulp nodig.")
    check_page(page, "gezin-02-broer-of-zus")
    page.get_by_role("button", name="Toevoegen aan het gezin").click()
    expect_message(page, "De jeugdige is toegevoegd aan het gezin (1 nieuwe casus).")
    row = page.get_by_role("row").filter(has_text="Rosalie")
    expect(row).to_contain_text("Concept")
    check_page(page, "gezin-03-toegevoegd")
    check_page.assert_accessible()
