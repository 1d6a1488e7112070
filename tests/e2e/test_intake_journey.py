"""The aanmeldfase in the browser: the Toegang registers and refers, the aanmeldpunt takes it to care.

Every page visited is saved as a screenshot in docs/screenshots/ (used by docs/handleiding.md) and
checked with axe; a serious or critical accessibility problem fails the test.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import expect_message, log_in, log_out, now, step

# No transaction=True: see conftest.py (it would flush the demo data under the running server).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
IPVA = [  # the five leefgebieden, in the order of the form
    "Sophie loopt achter in haar ontwikkeling; thuis veel boosheid en weinig structuur.",
    "Slaapt slecht; huisarts en jeugdarts zijn betrokken. Geen medicatie.",
    "Dreigt van school te worden gestuurd; de school wil meedenken over een aangepast rooster.",
    "Moeder heeft schulden; budgetbegeleiding loopt via de gemeente. De woning is passend.",
    "Oma is een steun voor het gezin; er zijn zorgen over de veiligheid bij conflicten thuis.",
]


def elfproef(bsn: str) -> bool:
    return sum(int(d) * w for d, w in zip(bsn, WEIGHTS, strict=True)) % 11 == 0


def new_bsn(taken: set[str], start: int = 246813570) -> str:
    """A BSN that passes the elfproef and is not yet in the database."""
    n = start
    while True:
        n += 1
        bsn = f"{n:09d}"
        if elfproef(bsn) and bsn not in taken:
            return bsn


def test_toegang_refers_and_aanmeldpunt_starts_care(page: Page, demo_password, known_bsns, check_page):
    today = now().date()
    bsn = new_bsn(known_bsns)
    born = today - timedelta(days=365 * 10 + 45)

    # --- Toegang Tilburg: register, prepare and refer. ---------------------------------------
    log_in(page, "toegang.tilburg", demo_password, check_page, "01-inloggen")
    expect(page.get_by_role("heading", name="Werklijst", level=1)).to_be_visible()
    check_page(page, "02-werklijst-toegang")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe aanmelding").click()
    expect(page.get_by_role("heading", name="Nieuwe aanmelding", level=1)).to_be_visible()
    page.get_by_label("Gezinsnaam").fill("Van Dijk")
    page.get_by_label("Gemeente (woonplaatsbeginsel)").select_option(label="Gemeente Tilburg")
    page.get_by_label("Naam verwijzer").fill("Sanne de Vries")
    page.get_by_label("Hulpvraag (niet verplicht)").fill(
        "Ernstige gedragsproblemen thuis en op school; eerdere ambulante hulp was onvoldoende."
    )
    youth = page.get_by_role("group", name="Jeugdige 1")
    youth.get_by_label("Voornaam").fill("Sophie")
    youth.get_by_label("Tussenvoegsel").fill("van")
    youth.get_by_label("Achternaam").fill("Dijk")
    youth.get_by_label("Geboortedatum").fill(born.isoformat())
    youth.get_by_label("Geslacht").select_option(label="Vrouw")
    youth.get_by_label("BSN (niet verplicht)").fill(bsn)
    youth.get_by_label("Straat").fill("Heuvelring")
    youth.get_by_label("Huisnummer").fill("12")
    youth.get_by_label("Postcode").fill("5038 CL")
    youth.get_by_label("Woonplaats").fill("Tilburg")
    # The segment check answers as soon as the hours change (htmx).
    youth.get_by_label("Verwachte uren begeleiding").fill("360")
    youth.get_by_label("Verwachte uren behandeling").fill("40")
    youth.get_by_label("Verwachte uren behandeling").blur()
    advice = page.locator("#segmentcheck-jeugdige-0")
    expect(advice).to_contain_text("Segmentcheck:")
    expect(advice).to_contain_text("Score 1,37: boven de vuistregel, segment 1 ligt voor de hand.")
    check_page(page, "03-nieuwe-aanmelding-segmentcheck")

    page.get_by_role("button", name="Registreren").click()
    expect_message(page, "De casus is geregistreerd.")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Sophie van Dijk")
    reference = heading.locator(".muted").inner_text().strip(" ·")
    assert reference, "geen casusnummer in de kop"
    case_url = page.url
    # Not yet possible: the page says why.
    steps = page.locator("section").filter(has=page.get_by_role("heading", name="Volgende stappen"))
    expect(steps).to_contain_text("Aanmelden bij Crossroads")
    expect(steps).to_contain_text("kan nog niet")
    expect(steps.get_by_role("link", name="Aanmelden bij Crossroads")).to_have_count(0)
    check_page(page, "04-casus-geregistreerd")

    step(page, "IPVA bewerken")
    areas = page.locator("textarea")
    expect(areas).to_have_count(5)
    for i, text in enumerate(IPVA):
        areas.nth(i).fill(text)
    check_page(page, "05-ipva")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "IPVA: opgeslagen.")

    step(page, "Telefonisch overleg vastleggen")
    page.get_by_label("Datum van het overleg").fill(today.isoformat())
    page.get_by_label("Gesproken met (aanmeldpunt Crossroads)").fill("Ellen Verhoeven")
    page.get_by_label("Samenvatting").fill("Casus besproken; segment 1 lijkt passend. Aanmelding volgt vandaag.")
    check_page(page, "06-telefonisch-overleg")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Telefonisch overleg: opgeslagen.")

    step(page, "Document toevoegen")
    page.get_by_label("Soort document").select_option(label="IPVA")
    page.get_by_label("Titel").fill("IPVA gezin Van Dijk")
    page.get_by_label("Bestand").set_input_files(
        {"name": "ipva-van-dijk.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    check_page(page, "07-document-toevoegen")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Document toevoegen: opgeslagen.")
    expect(page.get_by_role("link", name="IPVA: IPVA gezin Van Dijk")).to_be_visible()
    expect(steps.get_by_role("link", name="Aanmelden bij Crossroads")).to_be_visible()
    check_page(page, "08-casus-klaar-om-aan-te-melden")

    steps.get_by_role("link", name="Aanmelden bij Crossroads").click()
    expect(page.get_by_role("heading", name="Aanmelden bij Crossroads", level=1)).to_be_visible()
    check_page(page, "09-aanmelden-bij-crossroads")
    page.get_by_role("button", name="Aanmelden bij Crossroads").click()
    expect_message(page, "De casus is nu in de aanmeldfase.")
    expect(page.locator(".utrecht-status-badge").first).to_have_text("Aanmeldfase")
    check_page(page, "10-casus-aangemeld")
    log_out(page)

    # --- Crossroads aanmeldpunt: aanmeldgesprek, aanmeldtafel, start. ----------------------
    log_in(page, "aanmeldpunt", demo_password)
    expect(page.get_by_role("heading", name="Binnengekomen aanmeldingen", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference, exact=True))
    expect(row).to_contain_text("Aanmeldgesprek plannen")
    check_page(page, "11-werklijst-aanmeldpunt")
    row.get_by_role("link", name=reference, exact=True).click()
    expect(page).to_have_url(case_url)
    check_page(page, "12-casus-bij-aanmeldpunt")

    # Today at an earlier hour: not before the aanmelddatum (today), and not in the future once held.
    moment = max(now() - timedelta(hours=1), now().replace(hour=0, minute=0)).strftime("%Y-%m-%dT%H:%M")
    step(page, "Aanmeldgesprek plannen")
    page.get_by_label("Datum en tijd").fill(moment)
    page.get_by_label("Locatie").fill("Crossroads, Tilburg")
    expect(page.get_by_label("Jeugdige (en ouders) uitgenodigd")).to_be_checked()
    expect(page.get_by_label("Verwijzer uitgenodigd")).to_be_checked()
    check_page(page, "13-aanmeldgesprek-plannen")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Aanmeldgesprek plannen: opgeslagen.")

    step(page, "Gesprek gehouden")
    page.get_by_label("Gehouden op").fill(moment)
    page.get_by_label("Aanwezigen").fill("Sophie, moeder, Sanne de Vries (Toegang Tilburg)")
    page.get_by_label("Korte weergave").fill("Hulpvraag verkend; gezin gemotiveerd voor intensieve hulp.")
    check_page(page, "14-aanmeldgesprek-gehouden")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Aanmeldgesprek gehouden: opgeslagen.")

    step(page, "Advies vastleggen")
    page.get_by_label("Datum aanmeldtafel").fill(today.isoformat())
    page.get_by_label("Ja, segment 1 is nodig").check()
    page.get_by_label("2. Welke partner wordt regievoerder?").select_option(label="Sterk Huis")
    page.get_by_label("3. Welke hulpvorm wordt geadviseerd?").select_option(label="Intensieve ambulante jeugdhulp")
    page.get_by_label("Verwijzer over het advies geraadpleegd op").fill(today.isoformat())
    page.get_by_label("Toelichting").fill("Multidisciplinair besproken aan de aanmeldtafel.")
    check_page(page, "15-advies-aanmeldtafel")
    page.get_by_role("button", name="Opslaan").click()
    expect_message(page, "Advies aanmeldtafel: opgeslagen.")
    expect(steps.get_by_role("link", name="Hulpverlening starten")).to_be_visible()
    check_page(page, "16-casus-met-advies")

    # The form for ending early, shown but not used.
    steps.get_by_role("link", name="Voortijdig beëindigen").click()
    expect(page.get_by_role("heading", name="Voortijdig beëindigen", level=1)).to_be_visible()
    check_page(page, "17-voortijdig-beeindigen")
    page.get_by_role("link", name="Annuleren").click()
    expect(page).to_have_url(case_url)

    steps.get_by_role("link", name="Hulpverlening starten").click()
    expect(page.get_by_role("heading", name="Hulpverlening starten", level=1)).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Sterk Huis wordt regievoerende organisatie")
    check_page(page, "18-hulpverlening-starten")
    page.get_by_role("button", name="Hulpverlening starten").click()
    expect_message(page, "Hulpverlening starten: uitgevoerd. De casus is nu in de hulpverlenende fase.")
    expect(page.locator(".utrecht-status-badge").first).to_have_text("Hulpverlenende fase")
    expect(page.locator("main")).to_contain_text("regievoerder: Sterk Huis")
    check_page(page, "19-casus-hulpverlenende-fase")

    check_page.assert_accessible()


def test_invalid_bsn_is_refused_at_the_field_and_keeps_what_was_typed(page: Page, demo_password, check_page):
    log_in(page, "toegang.tilburg", demo_password)
    page.goto("/casussen/nieuw/")
    page.get_by_label("Gezinsnaam").fill("Bakker")
    youth = page.get_by_role("group", name="Jeugdige 1")
    youth.get_by_label("Voornaam").fill("Lieke")
    youth.get_by_label("Achternaam").fill("Bakker")
    youth.get_by_label("Geboortedatum").fill((now().date() - timedelta(days=365 * 8)).isoformat())
    youth.get_by_label("BSN (niet verplicht)").fill("123456788")  # fails the elfproef
    page.get_by_role("button", name="Registreren").click()

    expect(page.get_by_role("heading", name="Nieuwe aanmelding", level=1)).to_be_visible()
    bsn = page.get_by_role("group", name="Jeugdige 1").get_by_label("BSN (niet verplicht)")
    expect(bsn).to_have_value("123456788")
    expect(bsn).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_jeugdige-0-bsn_error")
    expect(error).to_contain_text("Dit is geen geldig BSN")
    expect(error).to_contain_text("elfproef")
    expect(bsn).to_have_attribute("aria-describedby", re.compile(r"id_jeugdige-0-bsn_error"))
    # At the top, a summary that leads to the field.
    summary = page.get_by_role("alert").filter(has_text="Niet alles is goed ingevuld")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="Jeugdige 1, BSN").click()
    expect(bsn).to_be_focused()
    expect(page.get_by_role("group", name="Jeugdige 1").get_by_label("Voornaam")).to_have_value("Lieke")
    expect(page.get_by_label("Gezinsnaam")).to_have_value("Bakker")
    check_page(page, "20-nieuwe-aanmelding-ongeldig-bsn")
    check_page.assert_accessible()


def test_two_colleagues_at_once_one_wins_the_other_sees_the_current_state(new_page, demo_password, check_page):
    """Both aanmeldpunt colleagues open 'Hulpverlening starten' for the same case; both confirm."""
    first, second = new_page(), new_page()
    log_in(first, "aanmeldpunt", demo_password)
    log_in(second, "aanmeldpunt2", demo_password)
    # A demo case with the aanmeldtafel advice recorded: waiting for the decision.
    row = first.get_by_role("row").filter(has_text="Besluit: start of terugverwijzen").filter(has_text="Waalwijk")
    reference = row.get_by_role("link").first.inner_text()
    row.get_by_role("link", name=reference).click()
    case_url = first.url
    second.goto(case_url)
    for page in (first, second):
        page.get_by_role("link", name="Hulpverlening starten").click()
        expect(page.get_by_role("heading", name="Hulpverlening starten", level=1)).to_be_visible()

    first.get_by_role("button", name="Hulpverlening starten").click()
    expect_message(first, "De casus is nu in de hulpverlenende fase.")

    second.get_by_role("button", name="Hulpverlening starten").click()
    expect(second).to_have_url(case_url)
    expect_message(second, "Deze casus is intussen door iemand anders gewijzigd. Uw actie is niet uitgevoerd")
    expect(second.locator(".utrecht-status-badge").first).to_have_text("Hulpverlenende fase")
    # Started once, not twice.
    expect(
        second.get_by_role("region", name="Tijdlijn").locator(".timeline li").filter(has_text="Hulpverlening gestart")
    ).to_have_count(1)
    check_page(second, "21-casus-gelijktijdig-gewijzigd")
    check_page.assert_accessible()
