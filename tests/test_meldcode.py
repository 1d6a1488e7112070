"""The meldcode as a step on the case: a consultation of Veilig Thuis, a melding, a zorgmelding or the
decision not to report, with date, who, with whom and the outcome; on the timeline without its content."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import EventKind, MeldcodeStap
from tests.factories import build_care_case
from tests.helpers import FAST_HASHERS, NOW, make_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def case(regievoerder, toegang_user, aanmeldpunt_user):
    return build_care_case(
        stage="in_zorg", regievoerder=regievoerder, coordinator=toegang_user, aanmeldpunt_user=aanmeldpunt_user
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(case):
    return reverse("referrals:meldcode", args=[case.public_id])


GOOD = {
    "soort": "consultatie_vt",
    "met_wie": "Veilig Thuis Midden- en West-Brabant, consulent De Boer",
    "uitkomst": "Advies: gesprek met moeder over de signalen, over twee weken opnieuw afwegen.",
}


def test_the_regievoerder_records_a_consultation_of_veilig_thuis(case, regievoerder):
    client = client_for(regievoerder)
    response = client.post(url(case), {**GOOD, "datum": timezone.localdate().isoformat()})
    assert response.status_code == 302
    step = MeldcodeStap.objects.get(case=case)
    assert (step.soort, step.recorded_by, step.datum) == ("consultatie_vt", regievoerder, timezone.localdate())
    event = case.events.get(kind=EventKind.MELDCODE_STAP)
    assert event.actor == regievoerder and "Consultatie Veilig Thuis" in event.reason
    assert "gesprek met moeder" not in event.reason  # the timeline names the step, not its content
    page = text(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    assert "Meldcode" in page and "gesprek met moeder over de signalen" in page


def test_the_backoffice_sees_no_meldcode_steps(case, regievoerder, tilburg):
    services.record_meldcode_stap(
        actor=regievoerder, case=case, datum=timezone.localdate(), **{**GOOD, "soort": "zorgmelding"}
    )
    backoffice = make_user("backoffice", gem=case.gemeente)
    assert client_for(backoffice).get(url(case)).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"soort": ""}, "soort", "Kies welke stap"),
        ({"soort": "iets"}, "soort", ""),
        ({"datum": "+1"}, "datum", "in de toekomst"),
        ({"datum": "-400"}, "datum", "meer dan een jaar"),
        ({"datum": "2026-13-01"}, "datum", ""),
        ({"met_wie": "  "}, "met_wie", "Vul in met wie"),
        ({"uitkomst": ""}, "uitkomst", "Beschrijf de uitkomst"),
    ],
)
def test_bad_input_is_said_at_the_field_and_nothing_is_stored(case, regievoerder, changes, field, message):
    data = {**GOOD, "datum": timezone.localdate().isoformat(), **changes}
    if data["datum"][0] in "+-":
        data["datum"] = (timezone.localdate() + timedelta(days=int(data["datum"]))).isoformat()
    response = client_for(regievoerder).post(url(case), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert GOOD["met_wie"] in response.content.decode() or field == "met_wie"  # typed values stay
    assert not MeldcodeStap.objects.exists()
    assert not case.events.filter(kind=EventKind.MELDCODE_STAP).exists()
