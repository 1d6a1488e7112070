"""The contact directory [DOMAIN 10, HvB-QA Bijlage 1]: every organisation's contact details, opening hours,
postal address and escalation line, on one page for professionals; kept by the functioneel beheerder in the
beheerscherm; letters take their letterhead from it."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from accounts.demo import load_contact_directory
from accounts.models import EscalationContact, Organisation
from referrals import letters, selectors, services
from referrals.models import Case
from tests import factories
from tests.factories import build_care_case
from tests.helpers import ALL_ROLES, FAST_HASHERS, make_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sterk(sterk_huis):
    Organisation.objects.filter(pk=sterk_huis.pk).update(
        phone="013 530 00 00",
        email="info@sterkhuis.example",
        office_hours="werkdagen 8.30-17.00 uur",
        postadres="Postbus 1234",
        postcode="5000 AB",
        plaats="Tilburg",
    )
    for level, name, phone in ((1, "Regievoerder van dienst", "013 530 00 01"), (3, "Manager zorg", "013 530 00 03")):
        EscalationContact.objects.create(organisation=sterk_huis, level=level, name=name, phone=phone)
    EscalationContact.objects.create(organisation=sterk_huis, level=2, name="Teamleider", email="tl@sterkhuis.example")
    return Organisation.objects.get(pk=sterk_huis.pk)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_professional_finds_the_contact_details_and_the_escalation_line(client, sterk, tilburg, role):
    client.force_login(make_user(role))
    page = text(client.get(reverse("accounts:directory")))
    assert "Contactlijst" in page and "Sterk Huis" in page
    for expected in ("013 530 00 00", "werkdagen 8.30-17.00 uur", "Postbus 1234", "5000 AB Tilburg"):
        assert expected in page, expected
    line = page[page.index("Regievoerder van dienst") :]
    assert line.index("Regievoerder van dienst") < line.index("Teamleider") < line.index("Manager zorg")


def test_the_directory_filters_by_kind_and_name(client, sterk, tilburg):
    client.force_login(make_user("aanmeldpunt"))
    page = text(client.get(reverse("accounts:directory"), {"soort": "gemeente"}))
    assert "Gemeente Tilburg" in page and "Sterk Huis" not in page
    page = text(client.get(reverse("accounts:directory"), {"zoek": "sterk", "soort": "onzin"}))
    assert "Sterk Huis" in page and "Gemeente Tilburg" not in page
    page = text(client.get(reverse("accounts:directory"), {"zoek": "ster\x00k"}))  # a NUL is no 500
    assert "Sterk Huis" in page


def test_anonymous_visitors_go_to_the_login(client):
    assert client.get(reverse("accounts:directory")).status_code == 302


@pytest.fixture
def beheerder(db):
    return factories.UserFactory(role="functioneel_beheerder", organisation=factories.crossroads(), is_staff=True)


def _org_form(org, **contacts) -> dict:
    data = {
        "kind": org.kind,
        "name": org.name,
        "agb_code": org.agb_code,
        "phone": "013 999 99 99",
        "email": org.email,
        "office_hours": "ma-vr 9-17 uur",
        "postadres": "Postbus 77",
        "postcode": "5000 CC",
        "plaats": "Tilburg",
        "escalation_contacts-TOTAL_FORMS": str(len(contacts)),
        "escalation_contacts-INITIAL_FORMS": "0",
        "escalation_contacts-MIN_NUM_FORMS": "0",
        "escalation_contacts-MAX_NUM_FORMS": "3",
    }
    for i, (level, (name, phone)) in enumerate(contacts.items()):
        data |= {
            f"escalation_contacts-{i}-level": level.removeprefix("l"),
            f"escalation_contacts-{i}-name": name,
            f"escalation_contacts-{i}-phone": phone,
            f"escalation_contacts-{i}-email": "",
        }
    return data


def test_the_beheerder_keeps_address_and_escalation_line(client, beheerder, sterk_huis):
    client.force_login(beheerder)
    url = f"/beheer/accounts/organisation/{sterk_huis.pk}/change/"
    response = client.post(url, _org_form(sterk_huis, l2=("Teamleider jeugd", "013 999 99 02")))
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get(pk=sterk_huis.pk)
    assert (org.postadres, org.plaats, org.phone) == ("Postbus 77", "Tilburg", "013 999 99 99")
    assert [c.name for c in org.escalation_contacts.all()] == ["Teamleider jeugd"]


def test_an_escalation_contact_without_phone_or_mail_is_refused_and_nothing_is_stored(client, beheerder, sterk_huis):
    client.force_login(beheerder)
    url = f"/beheer/accounts/organisation/{sterk_huis.pk}/change/"
    response = client.post(url, _org_form(sterk_huis, l3=("Manager zorg", "")))
    assert response.status_code == 200
    assert "Vul een telefoonnummer of een e-mailadres in." in text(response)
    assert not EscalationContact.objects.exists()
    assert Organisation.objects.get(pk=sterk_huis.pk).postadres == ""  # nothing half


def test_letters_take_the_letterhead_from_the_directory(sterk, tilburg, tmp_path):
    assert shutil.which("pdftotext")
    rv = factories.UserFactory(role="regievoerder", organisation=sterk, phone="06 1111 2222")
    case = build_care_case(
        stage="in_zorg",
        regievoerder=rv,
        straat="Kerkstraat",
        huisnummer="1",
        postcode="5038 AA",
        woonplaats="Tilburg",
    )
    case = selectors.case_detail(rv, case.public_id, logged=False)
    pdf = letters.make_pdf(letters.BY_SLUG["brief-regievoerder"], case, rv)
    source = tmp_path / "brief.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(source), "-"], capture_output=True, check=True, text=True).stdout
    page = " ".join(out.split())
    assert "Postbus 1234" in page and "5000 AB Tilburg" in page and "werkdagen 8.30-17.00 uur" in page
    assert Case.objects.filter(pk=case.pk).exists() and services  # made from the recorded case


def test_the_demo_fills_addresses_and_escalation_lines(sterk_huis, tilburg):
    factories.crossroads()
    factories.toegang_team(tilburg)
    load_contact_directory()
    assert not Organisation.objects.filter(postadres="").exists()
    assert EscalationContact.objects.filter(organisation=sterk_huis).count() == 3
