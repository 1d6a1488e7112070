"""Wlz [HvB-S1]: the segment check asks whether there is a development perspective; without one it advises a
Wlz indication whatever the hours; a case can end with the reason Wlz, naming the CIZ indication."""

from decimal import Decimal

import pytest
from django.urls import reverse

from referrals.models import Case, EndReason, Phase
from referrals.segment_check import segment_advice
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.mark.parametrize(
    ("perspective", "wlz", "segment1"),
    [(False, True, False), (True, False, True), (None, False, True)],
)
def test_without_a_development_perspective_the_advice_is_wlz(perspective, wlz, segment1):
    advice = segment_advice(
        hours_begeleiding=Decimal(400), hours_behandeling=None, products=["lta"], development_perspective=perspective
    )
    assert (advice.wlz, advice.segment1) == (wlz, segment1)
    assert ("Wlz-indicatie" in advice.text) == wlz


def test_the_registration_asks_and_the_htmx_check_advises_wlz(client, toegang_user):
    client.force_login(toegang_user)
    page = text(client.get(reverse("referrals:case_new")))
    assert "Heeft de jeugdige een ontwikkelperspectief?" in page
    url = reverse("referrals:segment_check")
    no = text(client.post(url, {"prefix": "j-0", "j-0-uren_begeleiding": "400", "j-0-ontwikkelperspectief": "nee"}))
    assert "Wlz-indicatie" in no and "CIZ" in no
    yes = text(client.post(url, {"prefix": "j-0", "j-0-uren_begeleiding": "400", "j-0-ontwikkelperspectief": "ja"}))
    assert "segment 1 ligt voor de hand" in yes
    odd = client.post(url, {"prefix": "j-0", "j-0-ontwikkelperspectief": "misschien"})
    assert odd.status_code == 200 and "Vul geldige uren in" in text(odd)


def test_a_case_ends_with_the_reason_wlz_naming_the_indication(client, aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)
    url = reverse("referrals:transition", args=[case.public_id, "voortijdig_beeindigen"])
    refused = client.post(url, {"expected_phase": case.phase, "reden": "wlz", "toelichting": " "})
    assert refused.status_code == 200
    assert "Noem de Wlz-indicatie van het CIZ" in text(refused)
    assert Case.objects.get(pk=case.pk).phase == case.phase  # nothing half
    done = client.post(
        url, {"expected_phase": case.phase, "reden": "wlz", "toelichting": "Wlz-indicatie CIZ van 2 maart 2026."}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.phase, case.einde_reden) == (Phase.AFGESLOTEN, EndReason.WLZ)
    page = text(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    assert "Wlz-indicatie" in page
