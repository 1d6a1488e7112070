"""Addresses abroad and incomplete addresses (iJw CDT_Adres; CD005, CD025, CD034, CS089, TR006): what the
standard allows goes out and comes in, the rest is refused in Dutch naming the field."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from common.landen import LAND_CHOICES, LANDEN
from messaging import codes, schemas, services
from messaging.builders import MessageRefused, adres_from_parts, build_jw301, to_bytes
from messaging.data import Adres, BerichtHeader, Contact, Huis, Product, Telefoon, ToegewezenProduct, ToewijzingBericht
from messaging.models import MessageState, Toewijzing
from messaging.parsing import parse_jw301, parse_xml
from messaging.validation import validate
from referrals.forms import JeugdigeForm
from referrals.models import Jeugdige
from tests.helpers import FAST_HASHERS

from . import samples
from .traffic import Parties

ANTWERPEN = {"straat": "Meir", "huisnummer": "12", "postcode": "2000", "woonplaats": "Antwerpen", "land": "BE"}


def _with_contact(contact: Contact) -> ToewijzingBericht:
    data = samples.jw301()
    return ToewijzingBericht(data.header, samples.client(contacten=(contact,)), data.producten)


# --- The code list ------------------------------------------------------------------------------------------


def test_the_country_list_is_the_xsd_enumeration_with_dutch_names():
    xsd = (schemas.XSD_DIR / "basisschema.xsd").read_text()
    block = xsd[xsd.index('name="LDT_LandCode"') :]
    block = block[: block.index("</xs:simpleType>")]
    assert set(re.findall(r'value="([A-Z]{2})"', block)) == set(LANDEN)
    assert codes.LANDEN is LANDEN
    assert (LANDEN["BE"], LANDEN["DE"], LANDEN["NL"]) == ("België", "Duitsland", "Nederland")
    assert [c for c, _ in LAND_CHOICES[:3]] == ["NL", "BE", "DE"] and len(LAND_CHOICES) == len(LANDEN)


# --- Building the address -------------------------------------------------------------------------------------


def test_an_address_in_belgium_goes_out_as_is_and_validates():
    adres = adres_from_parts("Meir", "12", "2000", "Antwerpen", "BE")
    assert adres == Adres(Huis(12), "2000", "Meir", "Antwerpen", "BE")
    root = build_jw301(_with_contact(Contact("01", adres=adres)))
    assert validate(root).ok
    assert parse_jw301(parse_xml(to_bytes(root))).client.contacten[0].adres.land_code == "BE"


def test_a_foreign_postcode_keeps_its_form():
    assert adres_from_parts("Baker Street", "221b", "NW1 6XE", "London", "gb").postcode == "NW1 6XE"


def test_abroad_the_house_number_may_be_missing_when_there_is_a_phone_number():
    adres = adres_from_parts("Rue de la Loi", "", "1000", "Brussel", "BE")
    assert adres.huis is None and adres.land_code == "BE"
    root = build_jw301(_with_contact(Contact("01", adres=adres, telefoon=Telefoon("3225551234", "0032"))))
    assert validate(root).ok


def test_abroad_without_house_number_and_phone_is_refused_with_tr006_at_the_house_number():
    adres = adres_from_parts("Rue de la Loi", "", "1000", "Brussel", "BE")
    with pytest.raises(MessageRefused) as refused:
        build_jw301(_with_contact(Contact("01", adres=adres)))
    (reason,) = refused.value.reasons
    assert reason.startswith("TR006 – Client/Contactgegevens/Contact[1]/Adres/Huis/Huisnummer:")
    assert "huisnummer" in reason and "buitenland" in reason


def test_in_the_netherlands_without_house_number_is_refused_with_cd025_at_the_field():
    with pytest.raises(MessageRefused) as refused:
        adres_from_parts("Stationsstraat", "", "5038 AB", "Tilburg", "NL")
    (reason,) = refused.value.reasons
    assert reason.startswith("CD025 – Client/Contactgegevens/Contact/Adres/Huis/Huisnummer:")
    assert "verplicht" in reason


@pytest.mark.parametrize(
    ("parts", "code", "field"),
    [
        (("Meir", "12", "", "Antwerpen", "BE"), "CD034", "Adres/Postcode"),
        (("Stationsstraat", "12", "2000", "Tilburg", "NL"), "CS089", "Adres/Postcode"),
        (("Meir", "12", "2000", "Antwerpen", "XX"), "COD032", "Adres/LandCode"),
        (("Meir", "12", "123456789", "Antwerpen", "BE"), "8 tekens", "Adres/Postcode"),
    ],
)
def test_the_rest_is_refused_in_dutch_naming_the_field(parts, code, field):
    with pytest.raises(MessageRefused) as refused:
        adres_from_parts(*parts)
    assert any(code in r and field in r for r in refused.value.reasons), refused.value.reasons


# --- Through the traffic --------------------------------------------------------------------------------------


@pytest.fixture
def p(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return Parties()


@pytest.mark.django_db
def test_a_youth_living_in_belgium_gets_a_valid_jw315_and_jw301_both_accepted(p):
    case = p.case(**ANTWERPEN)
    jw315, jw301 = p.granted(case)
    assert jw315.state == MessageState.GEACCEPTEERD and validate(parse_xml(jw315.data)).ok
    assert jw301.state == MessageState.GEACCEPTEERD and validate(parse_xml(jw301.data)).ok
    (contact,) = parse_jw301(parse_xml(jw301.data)).client.contacten
    assert contact.adres == Adres(Huis(12), "2000", "Meir", "Antwerpen", "BE")
    assert Toewijzing.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_youth_in_the_netherlands_without_house_number_gets_no_jw301(p):
    case = p.case(huisnummer="")
    jw315 = p.sent_request(case)
    with pytest.raises(MessageRefused) as refused:
        services.accept_jw315(
            actor=p.backoffice,
            message=jw315,
            data=services.AcceptInput(ingangsdatum=timezone.localdate(), einddatum=None),
        )
    assert any(r.startswith("CD025") and "Huisnummer" in r for r in refused.value.reasons)


def _external_jw301(case, contact: Contact) -> bytes:
    """A JW301 from a gemeente's own system with the given contact."""
    today = timezone.localdate()
    data = ToewijzingBericht(
        header=BerichtHeader(case.gemeente.cbs_code, case.regie_organisatie.agb_code, "000000880001", today),
        client=samples.client(bsn=case.jeugdige.bsn, geboortedatum=case.jeugdige.geboortedatum, contacten=(contact,)),
        producten=(
            ToegewezenProduct(
                toewijzing_nummer=990001,
                toewijzingsdatum=today,
                toewijzingstijd=time(9, 30),
                ingangsdatum=today,
                product=Product("54"),
                budget=150000,
                einddatum=today + timedelta(days=90),
            ),
        ),
    )
    return to_bytes(build_jw301(data))


@pytest.mark.django_db
def test_a_received_jw301_with_an_address_abroad_is_accepted(p):
    case = p.case()
    contact = Contact(
        "01",
        adres=Adres(None, "52066", "Aachener Str", "Aachen", "DE"),
        telefoon=Telefoon("4924155512", "0049"),
    )
    result = services.import_message(actor=p.aanmeldpunt, data=_external_jw301(case, contact))
    assert result.accepted and result.codes == []
    assert Toewijzing.objects.filter(case=case, toewijzing_nummer=990001).exists()


# --- The registration form ------------------------------------------------------------------------------------


def _form(**address):
    data = {
        "voornaam": "Lotte",
        "achternaam": "Peeters",
        "geboortedatum": "2015-04-02",
        "geslacht": "2",
        "bsn_status": "normaal",
        "bsn": "999990019",
        "segment": "1",
        **address,
    }
    return JeugdigeForm(data=data)


@pytest.mark.parametrize(
    "address",
    [
        ANTWERPEN,
        {**ANTWERPEN, "huisnummer": ""},
        {"straat": "Stationsstraat", "huisnummer": "12-2", "postcode": "5038 ab", "woonplaats": "Tilburg"},
        {"straat": "Stationsstraat", "huisnummer": "12a", "postcode": "5038AB", "land": "NL"},
        {},
    ],
)
def test_the_form_accepts_what_the_standard_allows(address):
    form = _form(**address)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("address", "field", "text"),
    [
        ({"postcode": "2000", "land": "NL"}, "postcode", "Nederlandse postcode in als 1234 AB"),
        ({"postcode": "0123 AB"}, "postcode", "1234 AB"),
        ({**ANTWERPEN, "postcode": "123456789"}, "postcode", "8 tekens"),
        ({"huisnummer": "twaalf"}, "huisnummer", "cijfers"),
        ({**ANTWERPEN, "huisnummer": "nr. 12"}, "huisnummer", "cijfers"),
        ({**ANTWERPEN, "land": "XX"}, "land", "keuze"),
    ],
)
def test_the_form_puts_a_dutch_error_at_the_field_and_keeps_what_was_typed(address, field, text):
    form = _form(**address)
    assert not form.is_valid()
    assert list(form.errors) == [field], form.errors
    assert text in form.errors[field][0]
    assert form[field].value() == address[field]


@pytest.mark.django_db
def test_registration_stores_the_country(p):
    case = p.case(**ANTWERPEN)
    j = Jeugdige.objects.get(pk=case.jeugdige_id)
    assert (j.land, j.land_naam, j.postcode) == ("BE", "België", "2000")
    assert Jeugdige.objects.get(pk=p.case().jeugdige_id).land == "NL"  # the default


@pytest.mark.django_db
def test_registration_refuses_a_bad_address_at_the_youth(p):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        p.case(**{**ANTWERPEN, "land": "NL"})


@pytest.mark.django_db
def test_a_letter_to_an_address_abroad_ends_with_the_country(p):
    from django.utils import timezone as tz

    from referrals.letters import _address, _recipient

    case = p.case(**{**ANTWERPEN, "huisnummer": ""})
    lines = _recipient(case, tz.localdate())["lines"]
    assert lines[-2:] == ["2000 ANTWERPEN", "BELGIË"]
    assert _address(case) == [("adres van de jeugdige", "ja")]  # no house number needed abroad
