"""Letters and reports as PDF (ADR 0013): each document made from a demo-like case and read back
with pdftotext; refusals in Dutch naming what is missing; need to know; the access log; the case page."""

import hashlib
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog
from referrals import letters, services
from referrals.models import Case, CaseDocument, EventKind, PerspectiefDomein
from tests import factories
from tests.factories import build_care_case, build_case
from tests.helpers import FAST_HASHERS, NOW, TODAY

pytestmark = pytest.mark.django_db

ADDRESS = {"straat": "Stationsstraat", "huisnummer": "12a", "postcode": "5038 EA", "woonplaats": "Tilburg"}


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path


def text_of(pdf: bytes, tmp_path) -> str:
    """The text of a PDF as a reader sees it (poppler's pdftotext, layout kept), spaces normalised."""
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils (make system-deps)"
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def pdf_info(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "info.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(source)], capture_output=True, check=True, text=True).stdout
    return "\n".join(" ".join(line.split()) for line in out.splitlines())


@pytest.fixture
def crossroads_org(db):
    org = factories.crossroads()
    org.phone, org.email, org.office_hours = "013 000 00 00", "aanmelden@crossroads.example", "werkdagen 9-17 uur"
    org.save()
    return org


@pytest.fixture
def people(crossroads_org, tilburg, sterk_huis):
    return {
        "aanmeldpunt": factories.UserFactory(
            role="aanmeldpunt", organisation=crossroads_org, first_name="Anouk", last_name="de Vries"
        ),
        "regievoerder": factories.UserFactory(
            role="regievoerder", organisation=sterk_huis, first_name="Ruben", last_name="Smits"
        ),
        "toegang": factories.UserFactory(
            role="toegang_medewerker", organisation=factories.toegang_team(tilburg), first_name="Sanne"
        ),
    }


def record_beschikking(case: Case, actor) -> None:
    services.record_beschikking(
        actor=actor,
        case=case,
        afgegeven_op=TODAY,
        resultaat="Toegekend: hoog specialistische jeugdhulp (segment 1)",
        productcategorie="45",
        productcode="45A01",
        activiteiten="Intensieve ambulante behandeling thuis en op school.",
        frequentie="3 uur per week",
        ingangsdatum=TODAY - timedelta(days=1),
    )


@pytest.fixture
def afrondend(people):
    """A 17-year-old in the afrondende fase with everything recorded: beschikking, perspectiefplan,
    eindevaluatie, vervolg and end date."""
    case = build_care_case(
        stage="afsluitbaar",
        regievoerder=people["regievoerder"],
        coordinator=people["toegang"],
        aanmeldpunt_user=people["aanmeldpunt"],
        age_years=17,
        voornaam="Daan",
        achternaam="Bakker",
        **ADDRESS,
    )
    record_beschikking(case, people["aanmeldpunt"])
    texts = {
        f"{d}__{a}": f"{label}: {a} voor Daan."
        for d, label in PerspectiefDomein.choices
        for a in ("stand", "resultaten", "partijen", "kader")
    }
    services.save_perspectiefplan(actor=people["regievoerder"], case=case, texts=texts, gereed=True)
    return case


@pytest.fixture
def crisis_case(people):
    case = build_care_case(
        stage="crisis",
        regievoerder=people["regievoerder"],
        coordinator=people["toegang"],
        aanmeldpunt_user=people["aanmeldpunt"],
        voornaam="Mila",
        **ADDRESS,
    )
    services.record_perspectiefplan_crisis(
        actor=people["toegang"],
        case=case,
        plan="Mila verblijft tijdelijk bij haar tante; dagelijks contact met het CIT.",
        met_cit=True,
        met_jeugdige=True,
        met_crisisaanbieder=True,
        met_regievoerder=True,
    )
    return case


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch(client, case, slug, view="letter_download"):
    return client.get(reverse(f"referrals:{view}", args=[case.public_id, slug]))


# --- Each document, read back ---------------------------------------------------------------------


def test_the_beschikking_has_everything_the_law_asks(afrondend, people, tmp_path):
    response = fetch(client_for(people["aanmeldpunt"]), afrondend, "beschikking")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = text_of(response.content, tmp_path)
    b = afrondend.beschikking
    for expected in [
        "Crossroads (aanmeldpunt)",  # letterhead
        "013 000 00 00",
        "aanmelden@crossroads.example",
        "Daan Bakker",
        "Stationsstraat 12a",
        "5038 EA TILBURG",
        "10 maart 2026",  # Dutch date
        afrondend.jeugdige.bsn,
        b.beschikkingsnummer,
        "Toegekend: hoog specialistische jeugdhulp (segment 1)",
        "Sterk Huis, AGB-code 80000101",
        "45 Jeugdhulp ambulant",
        "45A01",
        "Intensieve ambulante behandeling thuis en op school.",
        "3 uur per week",
        "vanaf 9 maart 2026, zonder einddatum",
        "bezwaar maken",
        "binnen zes weken",
        "college van burgemeester en wethouders van de gemeente Tilburg",
        "pagina 1 van",
        "Met vriendelijke groet, Anouk de Vries",
    ]:
        assert expected in text, expected
    assert "De ouders/verzorgers van" not in text  # Daan is 17: the letter is addressed to him


def test_letters_are_a4_and_tagged(afrondend, people, tmp_path):
    pdf = fetch(client_for(people["aanmeldpunt"]), afrondend, "beschikking").content

    info = pdf_info(pdf, tmp_path)
    assert "Page size: 595.276 x 841.89 pts (A4)" in info
    assert "Tagged: yes" in info
    assert "Title: Beschikking jeugdhulp" in info  # the document title, for PDF/UA


def test_the_wat_brief_and_the_adviesverslag(afrondend, people, tmp_path):
    client = client_for(people["aanmeldpunt"])

    wat = text_of(fetch(client, afrondend, "wat-brief").content, tmp_path)
    verslag = text_of(fetch(client, afrondend, "adviesverslag").content, tmp_path)

    assert "WAT-brief" in wat and "Weer naar school; rust thuis." in wat
    assert "Intensieve ambulante jeugdhulp" in wat and "Sterk Huis" in wat
    assert "Beste Daan," in wat
    assert "Adviesverslag aanmeldtafel" in verslag
    assert "1. Is segment 1 nodig? Ja" in verslag
    assert "2. Regievoerder Sterk Huis, AGB-code 80000101" in verslag
    assert "jeugdige, verwijzer" in verslag  # who attended the aanmeldgesprek


def test_the_eindevaluatie_report(afrondend, people, tmp_path):
    text = text_of(fetch(client_for(people["regievoerder"]), afrondend, "eindevaluatie").content, tmp_path)

    assert text.startswith("Sterk Huis")  # the regievoerende aanbieder sends it
    assert "Verslag eindevaluatie" in text
    assert "Doelen bereikt." in text
    assert "De zorg gaat niet door in een ander segment" in text
    assert "Einddatum segment 1 10 maart 2026" in text


def test_the_perspectiefplan_shows_every_life_domain_and_aspect(afrondend, people, tmp_path):
    text = text_of(fetch(client_for(people["regievoerder"]), afrondend, "perspectiefplan").content, tmp_path)

    for n, (_value, label) in enumerate(PerspectiefDomein.choices, start=1):
        assert f"{n}. {label}" in text
        for aspect in ("stand", "resultaten", "partijen", "kader"):
            assert f"{label}: {aspect} voor Daan." in text
    for heading in ("Stand van zaken", "Nog te bereiken resultaten", "Betrokken partijen", "Wettelijk kader"):
        assert heading in text


def test_the_perspectiefplan_crisis(crisis_case, people, tmp_path):
    text = text_of(fetch(client_for(people["toegang"]), crisis_case, "perspectiefplan-crisis").content, tmp_path)

    assert "Perspectiefplan Crisis" in text
    assert "Escalatie thuis." in text
    assert "Mila verblijft tijdelijk bij haar tante" in text
    assert "het crisisinterventieteam (CIT), de jeugdige, de crisisaanbieder en de regievoerder" in text


def test_preview_is_inline_and_logged_as_a_preview(afrondend, people):
    response = fetch(client_for(people["aanmeldpunt"]), afrondend, "beschikking", view="letter_preview")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="beschikking-{afrondend.reference}.pdf"'
    log = AccessLog.objects.get(action="voorbeeld")
    assert log.user == people["aanmeldpunt"]
    assert log.object_id == str(afrondend.public_id)
    assert log.description == f"{afrondend.reference} Beschikking jeugdhulp"


def test_every_download_is_in_the_access_log(afrondend, people):
    client = client_for(people["regievoerder"])
    for _ in range(2):
        fetch(client, afrondend, "eindevaluatie")

    logs = AccessLog.objects.filter(action="downloaden", object_type="brief", user=people["regievoerder"])
    assert logs.count() == 2
    assert {log.description for log in logs} == {f"{afrondend.reference} Verslag eindevaluatie"}


# --- Storing -------------------------------------------------------------------------------------


def test_storing_makes_a_new_version_with_its_checksum_and_a_timeline_entry(afrondend, people):
    client = client_for(people["aanmeldpunt"])
    url = reverse("referrals:letter_store", args=[afrondend.public_id, "beschikking"])

    first = client.post(url)
    client.post(url)

    assert first.status_code == 302
    assert first["Location"].endswith("#h-documenten-maken")
    docs = list(CaseDocument.objects.filter(case=afrondend, kind="beschikking").order_by("version"))
    assert [d.version for d in docs] == [1, 2]
    for d in docs:
        content = d.file.read()
        assert content.startswith(b"%PDF-")
        assert hashlib.sha256(content).hexdigest() == d.sha256
        assert d.size == len(content) and d.content_type == "application/pdf"
        assert d.original_name == f"beschikking-{afrondend.reference}.pdf"
    event = afrondend.events.filter(kind=EventKind.DOCUMENT_TOEGEVOEGD).first()
    assert event.payload["gemaakt"] is True and event.payload["soort"] == "beschikking"


# --- Refusals --------------------------------------------------------------------------------------


def test_a_beschikking_without_an_address_is_refused_naming_what_is_missing(people):
    case = build_care_case(stage="in_zorg", regievoerder=people["regievoerder"], aanmeldpunt_user=people["aanmeldpunt"])
    record_beschikking(case, people["aanmeldpunt"])
    client = client_for(people["aanmeldpunt"])

    response = fetch(client, case, "beschikking")

    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:case_detail", args=[case.public_id]) + "#h-documenten-maken"
    page = client.get(response["Location"]).content.decode()
    assert "De beschikking mist: adres van de jeugdige." in page
    assert not AccessLog.objects.filter(object_type="brief").exists()


def test_missing_fields_are_named_in_dutch(people):
    """The check names each missing field, e.g. a beschikking still without productcode and ingangsdatum."""
    case = build_care_case(
        stage="in_zorg", regievoerder=people["regievoerder"], aanmeldpunt_user=people["aanmeldpunt"], **ADDRESS
    )
    record_beschikking(case, people["aanmeldpunt"])
    case = Case.objects.get(pk=case.pk)
    case.beschikking.productcode = ""
    case.beschikking.ingangsdatum = None

    assert letters.BY_SLUG["beschikking"].missing(case) == "De beschikking mist: productcode, ingangsdatum."


def test_no_beschikking_and_no_bsn(people):
    case = build_care_case(
        stage="in_zorg",
        regievoerder=people["regievoerder"],
        aanmeldpunt_user=people["aanmeldpunt"],
        bsn_status="geen_bsn",
        **ADDRESS,
    )
    client = client_for(people["aanmeldpunt"])

    page = client.get(fetch(client, case, "beschikking")["Location"]).content.decode()
    assert "Er is nog geen beschikking vastgelegd." in page

    record_beschikking(case, people["aanmeldpunt"])
    page = client.get(fetch(client, case, "beschikking")["Location"]).content.decode()
    assert "De beschikking mist: BSN." in page


def test_a_wat_brief_without_results_to_reach_is_refused(people):
    case = build_case(stage="advies", aanmeldpunt_user=people["aanmeldpunt"], **ADDRESS)
    case.aanmeldtafel_advies.te_behalen_resultaten = ""
    case.aanmeldtafel_advies.save()

    response = fetch(client_for(people["aanmeldpunt"]), case, "wat-brief")

    assert response.status_code == 302
    assert not CaseDocument.objects.filter(case=case).exists()
    client = client_for(people["aanmeldpunt"])
    page = client.get(reverse("referrals:case_detail", args=[case.public_id])).content.decode()
    assert "De WAT-brief mist: te behalen resultaten (advies aanmeldtafel)." in page


def test_an_incomplete_perspectiefplan_is_refused_per_domain(people):
    case = build_care_case(stage="in_zorg", regievoerder=people["regievoerder"], age_years=16, **ADDRESS)
    services.save_perspectiefplan(
        actor=people["regievoerder"], case=case, texts={"zorg__stand": "Gaat goed.", "zorg__resultaten": "Zelf."}
    )
    client = client_for(people["regievoerder"])

    response = fetch(client, case, "perspectiefplan")
    page = client.get(response["Location"]).content.decode()

    assert "Het perspectiefplan mist: zorg (betrokken partijen, wettelijk kader); onderwijs (stand van zaken" in page


def test_storing_a_refused_letter_stores_nothing(people):
    case = build_care_case(stage="in_zorg", regievoerder=people["regievoerder"])
    client = client_for(people["regievoerder"])

    response = client.post(reverse("referrals:letter_store", args=[case.public_id, "eindevaluatie"]))

    assert response.status_code == 302
    assert not CaseDocument.objects.filter(case=case, kind="eindevaluatie").exists()


# --- Need to know -----------------------------------------------------------------------------------


def test_another_organisations_user_gets_404(afrondend, waalwijk):
    outsiders = [
        factories.UserFactory(role="regievoerder", organisation=factories.partner("Amarant", "80000303")),
        factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(waalwijk)),
    ]
    for user in outsiders:
        client = client_for(user)
        for view in ("letter_preview", "letter_download"):
            assert fetch(client, afrondend, "beschikking", view=view).status_code == 404
        store = reverse("referrals:letter_store", args=[afrondend.public_id, "beschikking"])
        assert client.post(store).status_code == 404
    assert not AccessLog.objects.filter(object_type="brief").exists()


def test_roles_without_the_full_bsn_make_no_letters(afrondend, tilburg):
    manager = factories.UserFactory(role="manager_gemeente", organisation=tilburg)

    assert fetch(client_for(manager), afrondend, "beschikking").status_code == 403


def test_the_toegang_gets_the_wat_brief_only_with_consent(afrondend, people):
    client = client_for(people["toegang"])
    assert fetch(client, afrondend, "wat-brief").status_code == 302  # refused: no consent to share

    Case.objects.filter(pk=afrondend.pk).update(wat_advies_delen_toegestaan=True)

    assert fetch(client, afrondend, "wat-brief").status_code == 200


def test_unknown_document_is_404(afrondend, people):
    assert fetch(client_for(people["aanmeldpunt"]), afrondend, "geen-brief").status_code == 404


# --- The case page -------------------------------------------------------------------------------


def test_the_case_page_shows_which_documents_can_be_made_now(afrondend, people):
    page = client_for(people["regievoerder"]).get(reverse("referrals:case_detail", args=[afrondend.public_id]))
    html = page.content.decode()

    assert "Documenten maken" in html
    for slug in ("beschikking", "wat-brief", "adviesverslag", "eindevaluatie", "perspectiefplan"):
        assert reverse("referrals:letter_preview", args=[afrondend.public_id, slug]) in html
    assert reverse("referrals:letter_store", args=[afrondend.public_id, "dossieroverzicht"]) in html
    # no crisis on this case: the crisis plan is not offered
    assert "perspectiefplan-crisis" not in html


def test_a_manager_sees_no_documenten_maken_block(afrondend):
    manager = factories.UserFactory(role="manager_crossroads", organisation=factories.crossroads())
    Case.objects.filter(pk=afrondend.pk).update(coordinator=manager)  # on the case: the page opens for them

    page = client_for(manager).get(reverse("referrals:case_detail", args=[afrondend.public_id]))

    assert page.status_code == 200
    assert "Documenten maken" not in page.content.decode()


def test_the_dossieroverzicht_renders_the_whole_file(afrondend, people, tmp_path):
    from referrals import selectors

    case = selectors.case_detail(people["regievoerder"], afrondend.public_id)
    pdf = letters.make_pdf(letters.BY_SLUG["dossieroverzicht"], case, people["regievoerder"])
    text = text_of(pdf, tmp_path)

    assert "Dossieroverzicht voor overdracht · Daan Bakker" in text
    for heading in ("1. Jeugdige en gezin", "3. Betrokkenen", "5. Hulpverlening", "7. Tijdlijn"):
        assert heading in text
    assert "Ruben Smits" in text and afrondend.beschikking.beschikkingsnummer in text
    assert "Hulpverlening gestart" in text  # the timeline
    assert "IPVA: analyse" not in text  # the regievoerder has no consent to see the IPVA


def test_rendering_every_document_logs_no_errors_or_warnings(afrondend, crisis_case, people, caplog):
    """A missing font, stylesheet or tag shows up in WeasyPrint's log."""
    import logging

    from referrals import selectors

    caplog.set_level(logging.WARNING)
    # The letters to the family name how to reach the coördinator, and the DAT-brief the hulpvraag.
    for who in ("toegang", "regievoerder"):
        people[who].phone = "06 1234 5678"
        people[who].save()
    Case.objects.filter(pk=afrondend.pk).update(hulpvraag="Daan loopt vast op school en thuis.")
    for letter in letters.LETTERS:
        case = crisis_case if letter.slug == "perspectiefplan-crisis" else afrondend
        user = people["toegang" if letter.slug == "perspectiefplan-crisis" else "aanmeldpunt"]
        pdf = letters.make_pdf(letter, selectors.case_detail(user, case.public_id), user)
        assert pdf.startswith(b"%PDF-"), letter.slug
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
