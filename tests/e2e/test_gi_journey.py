"""The route of another GI in the browser: the aanmeldpunt records the GI's bepaling, no JW315 is offered,
Tilburg's backoffice assigns on the bepaling with a JW301, and the regievoerder of Sterk Huis starts the care,
reports its start and closes the case [HvB-STAP].

Screenshots go to the SCREENSHOT_DIR (gi-*.png, used in docs/handleiding.md, "De GI-route en de LTA-route"),
and each page is checked with axe, as in the other journeys.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import expect_message, log_in, log_out, now, step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def steps_card(page: Page):
    return page.locator("section").filter(has=page.get_by_role("heading", name="Volgende stappen"))


def card(page: Page, heading: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


@pytest.fixture(scope="package")
def gi_case(demo_server, django_db_blocker) -> str:
    """A case referred by another GI, in care at Sterk Huis with its regievoerder, taken there by the real
    services as the aanmeldpunt does (registration, aanmeldgesprek, advice, start of the hulpverlening).
    Package-scoped, as the demo data: made before the test's own transaction, so the server sees it."""
    from accounts.models import Organisation, User
    from referrals import services
    from tests.factories import build_case
    from tests.messaging.traffic import ADRES

    with django_db_blocker.unblock():
        regievoerder = User.objects.get(username="regie.sterkhuis")
        case = build_case(
            stage="hulpverlenend",
            route="gi",
            verwijzer_type="gi_anders",
            verwijzer_organisatie="Stichting Jeugdbescherming Noord",
            aanmeldpunt_user=User.objects.get(username="aanmeldpunt"),
            partner_org=Organisation.objects.get(name="Sterk Huis"),
            voornaam="Lotte",
            achternaam="van Beek",
            age_years=15,
            **ADRES,
        )
        services.assign_regievoerder(actor=regievoerder, case=case, regievoerder=regievoerder)
        return f"/casussen/{case.public_id}/"


def test_bepaling_jw301_without_jw315_care_and_closing(page: Page, demo_password, gi_case, check_page):
    today = now().date().isoformat()
    case_url = gi_case

    # --- Aanmeldpunt: the GI's bepaling on the case; no JW315 on this route. ---------------------------
    log_in(page, "aanmeldpunt", demo_password)
    page.goto(case_url)
    expect(card(page, "GI-bepalingen")).to_contain_text("Nog geen bepaling van de GI vastgelegd")
    step(page, "GI-bepaling vastleggen")
    page.get_by_label("Maatregel").select_option("ots")
    page.get_by_label("Datum bepaling").fill(today)
    page.get_by_label("Productcategorie").select_option("45")
    page.get_by_label("Productcode (niet verplicht)").fill("45A01")
    # A product code without its omvang is refused at the field, and what was typed stays.
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_volume_error")).to_contain_text("omvang")
    expect(page.get_by_label("Productcode (niet verplicht)")).to_have_value("45A01")
    page.get_by_label("Volume (niet verplicht)").fill("6")
    page.get_by_label("Eenheid (niet verplicht)").select_option("04")
    page.get_by_label("Frequentie (niet verplicht)").select_option("4")
    check_page(page, "gi-01-bepaling-vastleggen")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "GI-bepaling: opgeslagen.")
    bepalingen = card(page, "GI-bepalingen")
    expect(bepalingen).to_contain_text("Ondertoezichtstelling (OTS)")
    expect(bepalingen).to_contain_text("Stichting Jeugdbescherming Noord")
    expect(bepalingen).to_contain_text("Nog geen toewijzing")
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text("GI-bepaling vastgelegd")
    check_page(page, "gi-02-bepaling-bij-casus")

    page.get_by_role("link", name="Berichten (iJw) bekijken").click()
    expect(page.get_by_role("link", name="Verzoek om toewijzing maken")).to_have_count(0)
    expect(page.locator("#geen-jw315")).to_contain_text("geen verzoek om toewijzing (JW315)")
    check_page(page, "gi-03-berichten-zonder-jw315")
    log_out(page)

    # --- Backoffice Tilburg: the JW301 on the bepaling. --------------------------------------------------
    log_in(page, "backoffice.tilburg", demo_password)
    page.goto(case_url + "berichten/")
    card(page, "GI-bepalingen").get_by_role("link", name="Toewijzen op bepaling (JW301)").click()
    expect(page.get_by_role("heading", name="Toewijzen op GI-bepaling (JW301)", level=1)).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Sterk Huis")
    check_page(page, "gi-04-toewijzen-op-bepaling")
    page.get_by_role("button", name="Verzenden").click()
    expect_message(page, "op de GI-bepaling is verzonden")
    expect(card(page, "GI-bepalingen")).to_contain_text("toegewezen (JW301)")
    expect(card(page, "Toewijzingen")).to_contain_text("45A01")
    check_page(page, "gi-05-toewijzing-verzonden")
    log_out(page)

    # --- Regievoerder Sterk Huis: the care starts and is reported; results, afronding, closing. ------------
    log_in(page, "regie.sterkhuis", demo_password)
    page.goto(case_url)
    step(page, "Start jeugdhulp vastleggen")
    page.get_by_label("Start jeugdhulp op").fill(today)
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Start jeugdhulp: opgeslagen.")

    page.get_by_role("link", name="Berichten (iJw) bekijken").click()
    page.get_by_role("link", name="Start jeugdhulp melden").click()
    page.get_by_label("Toewijzing").select_option(index=1)  # the toewijzing on the bepaling
    page.get_by_label("Begindatum jeugdhulp").fill(today)
    page.get_by_role("button", name="Verzenden").click()
    expect_message(page, "Start jeugdhulp (JW305")
    expect(card(page, "Toewijzingen")).to_contain_text("gestart (JW305)")
    check_page(page, "gi-06-start-gemeld")

    page.goto(case_url)
    step(page, "Resultaten bereikt")
    page.get_by_label("Toelichting").fill("Lotte gaat weer naar school; de afspraken met de GI lopen.")
    page.get_by_role("button", name="Opslaan").click()
    steps_card(page).get_by_role("link", name="Afronding starten").click()
    page.get_by_role("button", name="Afronding starten").click()
    expect_message(page, "De casus is nu in de afrondende fase.")

    step(page, "Eindevaluatie vastleggen")
    page.get_by_label("Datum van de eindevaluatie").fill(today)
    page.get_by_label("Jeugdige (en ouders) aanwezig").check()
    page.get_by_label("Verwijzer aanwezig").check()
    page.get_by_label("Verslag").fill("Met Lotte, haar ouders en de GI teruggekeken: de doelen zijn bereikt.")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Eindevaluatie: opgeslagen.")

    step(page, "Vervolg (FOA) vastleggen")
    page.get_by_label("De zorg gaat niet door in een ander segment").check()
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Vervolg na segment 1: opgeslagen.")

    step(page, "Einddatum vastleggen")
    page.get_by_label("Einddatum").fill(today)
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Einddatum: opgeslagen.")

    steps_card(page).get_by_role("link", name="Casus afsluiten").click()
    page.get_by_role("button", name="Casus afsluiten").click()
    expect_message(page, "De casus is nu afgesloten.")
    expect(page.locator(".utrecht-status-badge").first).to_have_text("Afgesloten")
    expect(card(page, "GI-bepalingen")).to_contain_text("Toegewezen (JW301)")
    check_page(page, "gi-07-casus-afgesloten")
    check_page.assert_accessible()
