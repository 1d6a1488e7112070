"""The youth's address on the registration page: an address abroad is stored with its country; a bad
address gets a Dutch message at the field, keeps what was typed and stores nothing."""

import pytest

from referrals.models import Jeugdige
from tests.helpers import FAST_HASHERS, NOW, counts, field_error, value_of
from tests.test_bad_input import NEW, registration

pytestmark = pytest.mark.django_db

ANTWERPEN = {
    "jeugdige-0-straat": "Meir",
    "jeugdige-0-huisnummer": "",
    "jeugdige-0-postcode": "2000",
    "jeugdige-0-woonplaats": "Antwerpen",
    "jeugdige-0-land": "BE",
}


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def toegang_client(client, toegang_user):
    client.force_login(toegang_user)
    return client


def test_the_form_offers_the_countries_with_the_netherlands_first(toegang_client):
    html = toegang_client.get(NEW).content.decode()
    assert 'name="jeugdige-0-land"' in html
    assert html.index('value="NL" selected') < html.index('value="BE"') < html.index('value="AF"')


def test_an_address_in_belgium_without_house_number_is_stored_with_its_country(toegang_client, tilburg):
    response = toegang_client.post(NEW, registration(tilburg, **ANTWERPEN))
    assert response.status_code == 302
    j = Jeugdige.objects.get()
    assert (j.straat, j.huisnummer, j.postcode, j.woonplaats, j.land) == ("Meir", "", "2000", "Antwerpen", "BE")
    page = toegang_client.get(response.url).content.decode()
    assert "Meir, 2000 Antwerpen, België" in page


def test_without_a_country_the_address_is_dutch(toegang_client, tilburg):
    assert toegang_client.post(NEW, registration(tilburg)).status_code == 302
    assert Jeugdige.objects.get().land == "NL"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"jeugdige-0-postcode": "2000"}, "jeugdige-0-postcode", "Nederlandse postcode in als 1234 AB"),
        ({**ANTWERPEN, "jeugdige-0-postcode": "123456789"}, "jeugdige-0-postcode", "8 tekens"),
        ({"jeugdige-0-huisnummer": "een"}, "jeugdige-0-huisnummer", "cijfers"),
        ({**ANTWERPEN, "jeugdige-0-land": "QQ"}, "jeugdige-0-land", "geldige keuze"),
    ],
)
def test_a_bad_address_is_shown_at_the_field_and_nothing_is_stored(toegang_client, tilburg, overrides, field, message):
    before = counts()
    response = toegang_client.post(NEW, registration(tilburg, **overrides))
    assert response.status_code == 200
    assert message in field_error(response, f"id_{field}")
    if field != "jeugdige-0-land":
        assert value_of(response, field) == overrides[field]
    assert value_of(response, "gezin_naam") == "Bakker"
    assert counts() == before
