"""Bad input through the pages: a Dutch message at the field, what the user typed still in the form,
nothing stored, and never a server error."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from referrals.models import Aanmeldgesprek, Case, CaseDocument, Gezin, Jeugdige
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, NOW, TODAY, counts, field_error, read_page, text, value_of, years_ago

pytestmark = pytest.mark.django_db

NEW = "/casussen/nieuw/"


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path


def registration(gem, **overrides) -> dict[str, str]:
    """A complete, valid registration of one youth by the Toegang, as the browser posts it."""
    data = {
        "gezin_naam": "Bakker",
        "gemeente": str(gem.pk),
        "route": "toegang",
        "verwijzer_type": "gemeente",
        "verwijzer_naam": "Sanne de Vries",
        "verwijzer_organisatie": "Toegang Tilburg",
        "hulpvraag": "Veel zorgen over veiligheid thuis.",
        "urgentie_motivatie": "",
        "jeugdige-TOTAL_FORMS": "1",
        "jeugdige-INITIAL_FORMS": "0",
        "jeugdige-MIN_NUM_FORMS": "1",
        "jeugdige-MAX_NUM_FORMS": "8",
        "jeugdige-0-voornaam": "Lieke",
        "jeugdige-0-tussenvoegsel": "",
        "jeugdige-0-achternaam": "Bakker",
        "jeugdige-0-geboortedatum": years_ago(13).isoformat(),
        "jeugdige-0-geslacht": "2",
        "jeugdige-0-bsn_status": "normaal",
        "jeugdige-0-bsn": "123456782",
        "jeugdige-0-segment": "1",
        "jeugdige-0-straat": "Heuvel",
        "jeugdige-0-huisnummer": "1",
        "jeugdige-0-postcode": "5038 CS",
        "jeugdige-0-woonplaats": "Tilburg",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def toegang_client(client, toegang_user):
    client.force_login(toegang_user)
    return client


def assert_nothing_stored(before):
    assert counts() == before


def test_a_valid_registration_is_stored(toegang_client, tilburg):
    """The control for every bad-input case below: the same form, correctly filled in, is stored."""
    before = counts()

    response = toegang_client.post(NEW, registration(tilburg))

    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == reverse("referrals:case_detail", args=[case.public_id])
    assert case.jeugdige.bsn == "123456782"
    after = counts()
    assert (after["gezin"], after["jeugdige"], after["case"], after["event"]) == (
        before["gezin"] + 1,
        before["jeugdige"] + 1,
        before["case"] + 1,
        before["event"] + 1,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("jeugdige-0-bsn", "123456789", "voldoen aan de elfproef"),
        ("jeugdige-0-bsn", "12345678A", "voldoen aan de elfproef"),
        # Digits from another script pass Python's \d but are not a BSN.
        ("jeugdige-0-bsn", "１２３４５６７８２", "voldoen aan de elfproef"),
        ("jeugdige-0-geboortedatum", (TODAY + timedelta(days=20)).isoformat(), "ligt in de toekomst"),
        ("jeugdige-0-geboortedatum", years_ago(18).isoformat(), "18 jaar of ouder"),
        ("jeugdige-0-geboortedatum", years_ago(25).isoformat(), "18 jaar of ouder"),
        ("jeugdige-0-geboortedatum", "31-02-2015", "geldige datum"),
        ("jeugdige-0-voornaam", "", "verplicht"),
    ],
)
def test_bad_youth_data_is_shown_at_the_field(toegang_client, tilburg, field, value, message):
    before = counts()

    response = toegang_client.post(NEW, registration(tilburg, **{field: value}))

    assert response.status_code == 200
    assert message in field_error(response, f"id_{field}")
    # What the user typed is still there, in this field and the others.
    assert value_of(response, field) == value
    assert value_of(response, "gezin_naam") == "Bakker"
    assert value_of(response, "hulpvraag") == "Veel zorgen over veiligheid thuis."
    assert_nothing_stored(before)


def test_an_unborn_child_may_have_a_birth_date_in_the_future(toegang_client, tilburg):
    response = toegang_client.post(
        NEW,
        registration(
            tilburg,
            **{
                "jeugdige-0-bsn_status": "ongeboren",
                "jeugdige-0-bsn": "",
                "jeugdige-0-geboortedatum": (TODAY + timedelta(days=60)).isoformat(),
            },
        ),
    )

    assert response.status_code == 302
    assert Jeugdige.objects.get().bsn_status == "ongeboren"


def test_a_youth_one_day_before_the_18th_birthday_can_be_registered(toegang_client, tilburg):
    born = years_ago(18) + timedelta(days=1)

    response = toegang_client.post(NEW, registration(tilburg, **{"jeugdige-0-geboortedatum": born.isoformat()}))

    assert response.status_code == 302


def test_no_gemeente(toegang_client, tilburg):
    before = counts()

    response = toegang_client.post(NEW, registration(tilburg, gemeente=""))

    assert response.status_code == 200
    assert "Kies de gemeente" in field_error(response, "id_gemeente")
    assert value_of(response, "jeugdige-0-voornaam") == "Lieke"
    assert value_of(response, "jeugdige-0-bsn") == "123456782"
    assert_nothing_stored(before)


def test_toegang_referral_for_a_youth_in_another_gemeente_stays_in_sight(toegang_client, tilburg, waalwijk):
    """The verwijzer lands on the case just registered, not on a 404 (see commit 829765f)."""
    response = toegang_client.post(NEW, registration(tilburg, gemeente=str(waalwijk.pk)), follow=True)

    assert response.status_code == 200
    case = Case.objects.get()
    assert case.gemeente == waalwijk
    assert response.redirect_chain[-1][0] == reverse("referrals:case_detail", args=[case.public_id])
    assert "Lieke Bakker" in text(response)


def test_urgent_without_motivation(toegang_client, tilburg):
    before = counts()

    response = toegang_client.post(NEW, registration(tilburg, urgent="on", urgentie_motivatie="   "))

    assert response.status_code == 200
    assert "schriftelijke motivatie" in field_error(response, "id_urgentie_motivatie")
    assert value_of(response, "urgent") == "on"
    assert value_of(response, "jeugdige-0-achternaam") == "Bakker"
    assert_nothing_stored(before)


def test_urgent_with_motivation_is_stored(toegang_client, tilburg):
    response = toegang_client.post(
        NEW, registration(tilburg, urgent="on", urgentie_motivatie="Jeugdige slaapt niet meer thuis.")
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.urgent
    assert case.urgentie_motivatie == "Jeugdige slaapt niet meer thuis."


def test_verwijzer_that_does_not_fit_the_route(client, aanmeldpunt_user, tilburg):
    client.force_login(aanmeldpunt_user)
    before = counts()

    response = client.post(NEW, registration(tilburg, route="medisch_domein", verwijzer_type="gemeente"))

    assert response.status_code == 200
    assert "past niet bij de gekozen verwijsroute" in field_error(response, "id_verwijzer_type")
    assert_nothing_stored(before)


def test_adding_a_youth_keeps_what_was_typed(toegang_client, tilburg):
    before = counts()

    response = toegang_client.post(NEW, registration(tilburg, jeugdige_toevoegen="1"))

    assert response.status_code == 200
    assert value_of(response, "jeugdige-TOTAL_FORMS") == "2"
    assert value_of(response, "jeugdige-0-voornaam") == "Lieke"
    assert "jeugdige-1-voornaam" in read_page(response).values
    assert_nothing_stored(before)


# --- aanmeldgesprek --------------------------------------------------------------------------------


def test_aanmeldgesprek_before_the_aanmelddatum(client, aanmeldpunt_user):
    case = build_case(stage="aanmeld", aanmeldpunt_user=aanmeldpunt_user)  # aangemeld 3 days ago
    client.force_login(aanmeldpunt_user)
    before = counts()
    typed = f"{(TODAY - timedelta(days=5)).isoformat()}T09:30"

    response = client.post(
        reverse("referrals:plan_aanmeldgesprek", args=[case.public_id]),
        {
            "gepland_op": typed,
            "locatie": "Crossroads, Tilburg",
            "jeugdige_uitgenodigd": "on",
            "verwijzer_uitgenodigd": "on",
        },
    )

    assert response.status_code == 200
    error = field_error(response, "id_gepland_op")
    assert "niet vóór de aanmelddatum" in error
    assert "7 maart 2026" in error
    assert value_of(response, "gepland_op") == typed
    assert value_of(response, "locatie") == "Crossroads, Tilburg"
    assert_nothing_stored(before)
    assert not Aanmeldgesprek.objects.filter(case=case).exists()


def test_aanmeldgesprek_without_inviting_youth_and_verwijzer(client, aanmeldpunt_user):
    case = build_case(stage="aanmeld", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)
    before = counts()

    response = client.post(
        reverse("referrals:plan_aanmeldgesprek", args=[case.public_id]),
        {"gepland_op": f"{TODAY.isoformat()}T14:00", "locatie": "Tilburg"},
    )

    assert response.status_code == 200
    assert "Nodig de jeugdige" in field_error(response, "id_jeugdige_uitgenodigd")
    assert "Nodig de verwijzer" in field_error(response, "id_verwijzer_uitgenodigd")
    assert_nothing_stored(before)


# --- uploads ---------------------------------------------------------------------------------------


def upload(client, case, name, content, *, title="Verslag school"):
    return client.post(
        reverse("referrals:document_new", args=[case.public_id]),
        {"kind": "overig", "title": title, "bestand": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def prepared_case(toegang_user):
    return build_case(stage="voorbereid", toegang_user=toegang_user)


def test_a_real_pdf_is_stored(toegang_client, prepared_case):
    before = counts()

    response = upload(toegang_client, prepared_case, "verslag.pdf", b"%PDF-1.7\n%...\n")

    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert (document.content_type, document.version, document.original_name) == ("application/pdf", 1, "verslag.pdf")
    assert counts()["document"] == before["document"] + 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("verslag.pdf", b"MZ\x90\x00 not really a pdf"),
        ("verslag.pdf", b"<html><script>alert(1)</script></html>"),
        ("verslag", b"%PDF-1.7\n"),
        ("foto.png", b"%PDF-1.7\n"),
    ],
)
def test_an_upload_that_is_not_a_document(toegang_client, prepared_case, name, content):
    before = counts()

    response = upload(toegang_client, prepared_case, name, content)

    assert response.status_code == 200
    assert "geen document dat we kunnen bewaren" in field_error(response, "id_bestand")
    assert value_of(response, "title") == "Verslag school"
    assert value_of(response, "kind") == "overig"
    assert_nothing_stored(before)


@override_settings(UPLOAD_MAX_BYTES=2_000)
def test_an_upload_that_is_too_large(toegang_client, prepared_case):
    before = counts()

    response = upload(toegang_client, prepared_case, "groot.pdf", b"%PDF-1.7\n" + b"0" * 2_000)

    assert response.status_code == 200
    assert "te groot" in field_error(response, "id_bestand")
    assert value_of(response, "title") == "Verslag school"
    assert_nothing_stored(before)


@override_settings(UPLOAD_MAX_BYTES=2_000)
def test_an_upload_exactly_at_the_limit_is_stored(toegang_client, prepared_case):
    response = upload(toegang_client, prepared_case, "precies.pdf", b"%PDF-1.7\n" + b"0" * (2_000 - 9))

    assert response.status_code == 302
    assert CaseDocument.objects.get().size == 2_000


def test_an_empty_upload(toegang_client, prepared_case):
    before = counts()

    response = upload(toegang_client, prepared_case, "leeg.pdf", b"")

    assert response.status_code == 200
    assert "leeg" in field_error(response, "id_bestand")
    assert_nothing_stored(before)


# --- never a server error --------------------------------------------------------------------------

GARBAGE_REGISTRATIONS = [
    {"jeugdige-TOTAL_FORMS": "abc"},
    {"jeugdige-TOTAL_FORMS": "abc", "jeugdige_toevoegen": "1"},
    {"jeugdige-TOTAL_FORMS": "2.5", "jeugdige_toevoegen": "1"},
    {"jeugdige-TOTAL_FORMS": "-7", "jeugdige_toevoegen": "1"},
    {"jeugdige-TOTAL_FORMS": "-1"},
    {"jeugdige-TOTAL_FORMS": "5000"},
    {"jeugdige-TOTAL_FORMS": None, "jeugdige-INITIAL_FORMS": None},
    {"jeugdige-TOTAL_FORMS": "0"},
    {"gemeente": "abc"},
    {"gemeente": "99999999999999999999999"},
    {"gemeente": "-1"},
    {"route": "toegang'; DROP TABLE referrals_case;--"},
    {"verwijzer_type": ""},
    {"jeugdige-0-geboortedatum": "0001-01-01"},
    {"jeugdige-0-geboortedatum": "9999-12-31"},
    {"jeugdige-0-geboortedatum": "99999-01-01"},
    {"jeugdige-0-geboortedatum": "2020-00-10"},
    {"jeugdige-0-bsn": "٠١٢٣٤٥٦٧٨"},
    {"jeugdige-0-bsn": "1" * 5000},
    {"jeugdige-0-bsn_status": "geheim", "jeugdige-0-bsn": "123456782"},
    {"jeugdige-0-bsn_status": "bestaat-niet"},
    {"jeugdige-0-segment": "9"},
    {"jeugdige-0-uren_begeleiding": "NaN"},
    {"jeugdige-0-uren_begeleiding": "1e400"},
    {"jeugdige-0-uren_behandeling": "-5"},
    {"jeugdige-0-producten": "kernreactor"},
    {"jeugdige-0-voornaam": "Lie\x00ke"},
    {"gezin_naam": "x" * 10_000},
]


@pytest.mark.parametrize("overrides", GARBAGE_REGISTRATIONS, ids=range(len(GARBAGE_REGISTRATIONS)))
def test_garbage_registration_never_makes_a_server_error(toegang_client, tilburg, overrides):
    before = counts()

    response = toegang_client.post(NEW, registration(tilburg, **overrides))

    assert response.status_code == 200
    assert_nothing_stored(before)


def test_a_forged_number_of_youths_is_capped_at_eight(toegang_client, tilburg):
    before = counts()

    response = toegang_client.post(NEW, registration(tilburg, **{"jeugdige-TOTAL_FORMS": "5000"}))

    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 8
    assert "maximaal 8" in text(response)
    assert value_of(response, "jeugdige-0-voornaam") == "Lieke"
    assert_nothing_stored(before)


def test_bytes_that_are_not_utf8_never_make_a_server_error(toegang_client, tilburg):
    before = counts()
    body = urlencode(registration(tilburg, gezin_naam=None)) + "&gezin_naam=%FF%FE%00&jeugdige-0-bsn=%C0%AF"

    response = toegang_client.post(NEW, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert_nothing_stored(before)


def test_garbage_on_the_case_pages_never_makes_a_server_error(client, aanmeldpunt_user):
    case = build_case(stage="gehouden", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)
    p = case.public_id
    attempts = [
        (reverse("referrals:plan_aanmeldgesprek", args=[p]), {"gepland_op": "0001-01-01T00:00", "locatie": "x"}),
        (reverse("referrals:plan_aanmeldgesprek", args=[p]), {"gepland_op": "9999-12-31T23:59", "locatie": "x"}),
        (reverse("referrals:plan_aanmeldgesprek", args=[p]), {"gepland_op": "2026-03-29T02:30", "locatie": "x"}),
        (reverse("referrals:aanmeldgesprek_gehouden", args=[p]), {"gehouden_op": "0001-01-01T00:00"}),
        (reverse("referrals:advies", args=[p]), {"datum": "0001-01-01", "segment1_nodig": "ja"}),
        (reverse("referrals:advies", args=[p]), {"datum": TODAY.isoformat(), "segment1_nodig": "misschien"}),
        (
            reverse("referrals:advies", args=[p]),
            {"datum": TODAY.isoformat(), "segment1_nodig": "ja", "regie_partner": "abc", "hulpvorm": "toveren"},
        ),
        (
            reverse("referrals:advies", args=[p]),
            {"datum": TODAY.isoformat(), "segment1_nodig": "ja", "regie_partner": str(case.gemeente_id)},
        ),
        (reverse("referrals:transition", args=[p, "start_hulpverlening"]), {}),
        (
            reverse("referrals:transition", args=[p, "aanmelden"]),
            {"expected_phase": "aanmeld", "aanmelddatum": "morgen"},
        ),
        (
            reverse("referrals:transition", args=[p, "voortijdig_beeindigen"]),
            {"expected_phase": "aanmeld", "reden": "x", "toelichting": ""},
        ),
        (reverse("referrals:transition", args=[p, "terugverwijzen"]), {"expected_phase": "\x00"}),
        (reverse("referrals:document_new", args=[p]), {"kind": "ipva", "title": "x", "bestand": "geen bestand"}),
        (reverse("referrals:segment_check"), {"prefix": "x", "x-uren_begeleiding": "NaN"}),
        (
            reverse("referrals:segment_check"),
            {"prefix": "x", "x-uren_behandeling": "99999", "x-producten": ["lta", "onbekend"]},
        ),
        (reverse("coordination:request", args=[p]), {"given_by": "buurman", "given_on": "gisteren"}),
        (reverse("coordination:request", args=[p]), {"given_by": "ouders", "given_on": "0001-01-01"}),
    ]
    before = counts()
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
    for query in [
        "?q=S1-" + "9" * 90,
        "?q=%00",
        "?gemeente=abc&pagina=-1",
        "?pagina=99999999999999999999",
        "?q=999999999",
        "?fase=bestaat-niet",
    ]:
        response = client.get(reverse("referrals:case_list") + query)
        assert response.status_code == 200, query
    assert counts()["document"] == before["document"]
    assert counts()["case"] == before["case"]
    assert Gezin.objects.count() == before["gezin"]
