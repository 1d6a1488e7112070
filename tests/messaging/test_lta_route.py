"""The LTA route: the LTA provider sends the JW315, with verwijzer gemeente [HvB-S1] (ADR 0019)."""

import pytest
from django.urls import reverse

from accounts.models import OrganisationKind
from messaging.models import Message
from messaging.parsing import parse_jw315, parse_xml
from tests import factories
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, field_error, read_page, value_of

from .test_pages import form_data
from .traffic import ADRES, Parties

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


@pytest.fixture
def pactum(db):
    return factories.OrganisationFactory(kind=OrganisationKind.JEUGDZORGPLUS, name="Pactum (oost)", agb_code="73730723")


def lta_case(p):
    return build_case(
        stage="hulpverlenend", route="lta", aanmeldpunt_user=p.aanmeldpunt, partner_org=p.sterk_huis, **ADRES
    )


def test_lta_case_offers_the_lta_provider_as_the_only_sender_with_verwijzer_gemeente(client, p, pactum):
    case = lta_case(p)
    client.force_login(p.aanmeldpunt)
    page = read_page(client.get(reverse("messaging:jw315_new", args=[case.public_id])))
    assert page.by_id["id_aanbieder"] == "--------- Sterk Huis (LTA-aanbieder)"
    assert "Pactum" not in page.by_id["id_aanbieder"]
    assert "Raad voor de Kinderbescherming" not in page.by_id["id_verwijzer_soort"]
    assert "LTA-aanbieder" in page.by_id["id_aanbieder_helptext"]


def test_lta_jw315_from_another_provider_is_refused_and_the_lta_provider_sends_it_with_verwijzer_gemeente(
    client, p, pactum
):
    case = lta_case(p)
    client.force_login(p.aanmeldpunt)
    url = reverse("messaging:jw315_new", args=[case.public_id])
    response = client.post(url, form_data(aanbieder=pactum.pk, actie="verzenden"))
    assert response.status_code == 200
    assert field_error(response, "id_aanbieder")
    assert value_of(response, "product_code") == "45A01"
    assert not Message.objects.exists()

    response = client.post(url, form_data(aanbieder=p.sterk_huis.pk, actie="verzenden"))
    assert response.status_code == 302
    (jw315,) = Message.objects.filter(message_type="jw315")
    assert jw315.state == "geaccepteerd"
    request = parse_jw315(parse_xml(jw315.data))
    assert request.header.afzender == "80000101"
    assert {line.verwijzer.type for line in request.producten} == {"01"}  # 01: gemeente
