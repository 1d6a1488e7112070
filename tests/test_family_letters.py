"""Letters the family waits for [HvB-QA 6, HvB-STAP]: who the coördinator and the regievoerder are (again
after a change or a new substitute), and the DAT-brief of the Toegang. Made from the case, read back with
pdftotext, recorded as sent with the timeline saying by whom; the case says "brief nog niet verstuurd"
until then."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from referrals import letters, services
from referrals.models import Case, CaseDocument, EventKind, FamilyLetterSent
from tests import factories
from tests.factories import build_care_case
from tests.helpers import FAST_HASHERS, NOW, TODAY

pytestmark = pytest.mark.django_db

ADDRESS = {"straat": "Stationsstraat", "huisnummer": "12a", "postcode": "5038 EA", "woonplaats": "Tilburg"}


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path


def text_of(pdf: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils (make system-deps)"
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


@pytest.fixture
def people(tilburg, sterk_huis):
    team = factories.toegang_team(tilburg)
    team.phone, team.office_hours = "013 111 22 33", "werkdagen 8.30-17 uur"
    team.save()
    return {
        "coordinator": factories.UserFactory(
            role="toegang_medewerker", organisation=team, first_name="Sanne", last_name="Visser", phone="06 1234 5678"
        ),
        "collega": factories.UserFactory(
            role="toegang_medewerker", organisation=team, first_name="Joost", last_name="Kok", phone="06 8765 4321"
        ),
        "regievoerder": factories.UserFactory(
            role="regievoerder", organisation=sterk_huis, first_name="Ruben", last_name="Smits", email="r@sh.example"
        ),
        "aanmeldpunt": factories.UserFactory(role="aanmeldpunt", first_name="Anouk", last_name="de Vries"),
    }


@pytest.fixture
def case(people):
    c = build_care_case(
        stage="in_zorg",
        regievoerder=people["regievoerder"],
        coordinator=people["coordinator"],
        aanmeldpunt_user=people["aanmeldpunt"],
        voornaam="Daan",
        achternaam="Bakker",
        **ADDRESS,
    )
    Case.objects.filter(pk=c.pk).update(hulpvraag="Daan gaat niet meer naar school en thuis escaleert het.")
    return c


def detail(user, case):
    from referrals import selectors

    return selectors.case_detail(user, case.public_id, logged=False)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sent_url(case, slug):
    return reverse("referrals:letter_sent", args=[case.public_id, slug])


def test_after_assignment_the_case_waits_for_the_letters(case, people):
    due = {d.letter.slug: d.reason for d in letters.letters_due(detail(people["coordinator"], case))}
    assert set(due) == {"brief-coordinator", "brief-regievoerder", "dat-brief"}
    assert "Sanne Visser de coördinator" in due["brief-coordinator"]
    page = client_for(people["coordinator"]).get(reverse("referrals:case_detail", args=[case.public_id]))
    html = page.content.decode()
    assert "Brief nog niet verstuurd" in html and "Brief aan gezin maken" in html
    assert sent_url(case, "brief-coordinator") in html
    # The coördinator does not send the regievoerder's letter: no button for it.
    assert sent_url(case, "brief-regievoerder") not in html
    # In Documenten maken the family letters are recorded as sent rather than only kept.
    assert "Als verstuurd vastleggen" in html


def test_the_coordinator_letter_is_made_kept_and_on_the_timeline(case, people, tmp_path):
    client = client_for(people["coordinator"])
    form = client.get(sent_url(case, "brief-coordinator"))
    assert form.status_code == 200 and "Vastleggen als verstuurd" in form.content.decode()
    response = client.post(sent_url(case, "brief-coordinator"), {"sent_on": TODAY.isoformat(), "method": "post"})
    assert response.status_code == 302
    sent = FamilyLetterSent.objects.get(case=case)
    assert (sent.letter, sent.method, sent.sent_by) == ("coordinator", "post", people["coordinator"])
    text = text_of(sent.document.file.read(), tmp_path)
    for expected in (
        "Uw coördinator voor Daan",
        "Sanne Visser",
        "06 1234 5678",
        "werkdagen 8.30-17 uur",
        "Daan Bakker",
    ):
        assert expected in text, expected
    event = case.events.get(kind=EventKind.BRIEF_GEZIN_VERSTUURD)
    assert event.actor == people["coordinator"]
    assert "per post verstuurd op" in event.reason and "door Sanne Visser" in event.reason
    due = {d.letter.slug for d in letters.letters_due(detail(people["coordinator"], case))}
    assert "brief-coordinator" not in due


def test_a_new_substitute_or_a_new_coordinator_needs_a_new_letter(case, people, tmp_path, time_machine):
    c = detail(people["coordinator"], case)
    services.record_family_letter_sent(
        actor=people["coordinator"], case=c, slug="brief-coordinator", sent_on=TODAY, method="post"
    )
    time_machine.move_to(NOW + timedelta(minutes=5), tick=False)
    services.record_substitution(
        actor=people["coordinator"],
        case=case,
        role="coordinator",
        substitute=people["collega"],
        start=TODAY + timedelta(days=7),
        end=TODAY + timedelta(days=21),
        gezin_geinformeerd=True,
        andere_partij_geinformeerd=True,
    )
    c = detail(people["coordinator"], case)
    due = {d.letter.slug: d.reason for d in letters.letters_due(c)}
    assert "Joost Kok de coördinator vervangt" in due["brief-coordinator"]
    pdf = letters.make_pdf(letters.BY_SLUG["brief-coordinator"], c, people["coordinator"])
    text = text_of(pdf, tmp_path)
    assert "vervangt Joost Kok uw coördinator" in text and "06 8765 4321" in text

    services.assign_coordinator(actor=people["coordinator"], case=case, coordinator=people["collega"])
    c = detail(people["collega"], case)
    due = {d.letter.slug: d.reason for d in letters.letters_due(c)}
    assert "Joost Kok de coördinator is" in due["brief-coordinator"]
    text = text_of(letters.make_pdf(letters.BY_SLUG["brief-coordinator"], c, people["collega"]), tmp_path)
    assert "Sanne Visser is niet langer uw coördinator" in text


def test_the_regievoerder_letter_is_sent_by_the_regie_organisation(case, people, tmp_path):
    client = client_for(people["regievoerder"])
    assert client.get(sent_url(case, "brief-coordinator")).status_code == 403
    response = client.post(sent_url(case, "brief-regievoerder"), {"sent_on": TODAY.isoformat(), "method": "email"})
    assert response.status_code == 302
    sent = FamilyLetterSent.objects.get(case=case, letter="regievoerder")
    text = text_of(sent.document.file.read(), tmp_path)
    assert "Uw regievoerder voor Daan" in text and "Ruben Smits" in text and "r@sh.example" in text


def test_a_double_submit_records_the_letter_once(case, people):
    client = client_for(people["regievoerder"])
    data = {"sent_on": TODAY.isoformat(), "method": "email"}
    assert client.post(sent_url(case, "brief-regievoerder"), data).status_code == 302
    again = client.post(sent_url(case, "brief-regievoerder"), data)
    assert again.status_code == 200 and "al vastgelegd als" in again.content.decode()
    assert FamilyLetterSent.objects.filter(case=case, letter="regievoerder").count() == 1
    assert case.events.filter(kind=EventKind.BRIEF_GEZIN_VERSTUURD).count() == 1


def test_the_dat_brief_tells_the_referral_and_what_happens_next(case, people, tmp_path):
    c = detail(people["coordinator"], case)
    text = text_of(letters.make_pdf(letters.BY_SLUG["dat-brief"], c, people["coordinator"]), tmp_path)
    for expected in (
        "DAT-brief",
        "Daan Bakker",
        "Verwijzer, Toegang van de gemeente Tilburg",
        "Toegang (gemeente)",
        "Daan gaat niet meer naar school",
        "aanmeldgesprek",
        "zes weken",
        "namens de gemeente Tilburg",
    ):
        assert expected in text, expected
    services.record_family_letter_sent(
        actor=people["coordinator"], case=c, slug="dat-brief", sent_on=TODAY, method="post"
    )
    assert "dat-brief" not in {d.letter.slug for d in letters.letters_due(detail(people["coordinator"], case))}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sent_on": (TODAY + timedelta(days=1)).isoformat(), "method": "post"}, "sent_on", "in de toekomst"),
        ({"sent_on": (TODAY - timedelta(days=30)).isoformat(), "method": "post"}, "sent_on", "niet vóór"),
        ({"sent_on": "31-02-2026", "method": "post"}, "sent_on", ""),
        ({"sent_on": TODAY.isoformat(), "method": "duif"}, "method", ""),
        ({"sent_on": TODAY.isoformat()}, "method", "Kies hoe de brief is verstuurd."),
    ],
)
def test_bad_input_is_said_at_the_field_and_nothing_is_stored(case, people, data, field, message):
    response = client_for(people["coordinator"]).post(sent_url(case, "brief-coordinator"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert data.get("sent_on", "") in response.content.decode()  # what was typed stays
    assert not FamilyLetterSent.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case, kind="brief_coordinator").exists()
    assert not case.events.filter(kind=EventKind.BRIEF_GEZIN_VERSTUURD).exists()


def test_a_letter_without_an_address_is_refused_and_nothing_is_stored(people):
    c = build_care_case(
        stage="in_zorg",
        regievoerder=people["regievoerder"],
        coordinator=people["coordinator"],
        aanmeldpunt_user=people["aanmeldpunt"],
    )
    client = client_for(people["coordinator"])
    response = client.get(sent_url(c, "dat-brief"), follow=True)
    body = response.content.decode()
    assert "De DAT-brief mist: hulpvraag" in body and "adres van de jeugdige" in body
    assert not FamilyLetterSent.objects.exists()
