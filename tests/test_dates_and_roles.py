"""Dates that can only be typing errors, and accounts outside the chain of care."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from coordination.services import request_coordination
from referrals import services
from referrals.models import Case, CaseEvent, Phase
from tests import factories
from tests.helpers import FAST_HASHERS, NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def test_a_superuser_without_a_role_cannot_fire_a_transition(aanmeldpunt_user):
    case = factories.build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    admin = User.objects.create_superuser("techniek", password="x")
    with pytest.raises(PermissionDenied):
        services.start_hulpverlening(actor=admin, case=case)
    case.refresh_from_db()
    assert case.phase == Phase.AANMELD
    assert not CaseEvent.objects.filter(case=case, kind="hulpverlening_gestart").exists()


def test_an_aanmelddatum_more_than_a_year_back_is_refused(aanmeldpunt_user):
    case = factories.build_case(stage="concept", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user)
    with pytest.raises(ValidationError) as refused:
        services.aanmelden(actor=aanmeldpunt_user, case=case, aanmelddatum=TODAY.replace(year=1))
    assert "meer dan een jaar terug" in refused.value.message_dict["aanmelddatum"][0]
    assert Case.objects.get(pk=case.pk).phase == Phase.CONCEPT


def test_a_phone_consultation_dated_years_ago_is_refused(toegang_user):
    case = factories.build_case(stage="concept", toegang_user=toegang_user)
    with pytest.raises(ValidationError) as refused:
        services.record_phone_consultation(
            actor=toegang_user, case=case, datum=TODAY - timedelta(days=800), contactpersoon="X", samenvatting="Y"
        )
    assert "datum" in refused.value.message_dict
    assert not case.phone_consultations.exists()


def test_an_aanmeldgesprek_planned_years_ahead_is_refused(aanmeldpunt_user):
    case = factories.build_case(stage="aanmeld", aanmeldpunt_user=aanmeldpunt_user)
    with pytest.raises(ValidationError) as refused:
        services.plan_aanmeldgesprek(
            actor=aanmeldpunt_user,
            case=case,
            gepland_op=NOW.replace(year=NOW.year + 5),
            locatie="Tilburg",
            jeugdige_uitgenodigd=True,
            verwijzer_uitgenodigd=True,
        )
    assert "vooruit" in refused.value.message_dict["gepland_op"][0]


def test_consent_dated_more_than_a_year_back_does_not_request_coordination(aanmeldpunt_user):
    case = factories.build_case(stage="gehouden", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user)
    with pytest.raises(ValidationError) as refused:
        request_coordination(
            actor=aanmeldpunt_user, case=case, given_by="ouders_en_jeugdige", given_on=TODAY.replace(year=1)
        )
    assert "given_on" in refused.value.message_dict
    assert Case.objects.get(pk=case.pk).coordinatie_aangevraagd_op is None


def test_the_advice_is_offered_only_after_the_aanmeldgesprek_was_held(client, aanmeldpunt_user):
    client.force_login(aanmeldpunt_user)
    planned = factories.build_case(stage="gepland", aanmeldpunt_user=aanmeldpunt_user)
    held = factories.build_case(stage="gehouden", aanmeldpunt_user=aanmeldpunt_user)
    assert "Advies vastleggen" not in client.get(f"/casussen/{planned.public_id}/").content.decode()
    assert "Advies vastleggen" in client.get(f"/casussen/{held.public_id}/").content.decode()


def test_the_advice_form_says_when_partner_and_hulpvorm_are_required(client, aanmeldpunt_user):
    client.force_login(aanmeldpunt_user)
    held = factories.build_case(stage="gehouden", aanmeldpunt_user=aanmeldpunt_user)
    page = client.get(f"/casussen/{held.public_id}/advies/").content.decode()
    assert "Verplicht als het antwoord op vraag 1 “ja” is." in page
    label = page[page.index('for="id_regie_partner"') :]
    label = label[: label.index("</label>")]
    assert "niet verplicht" not in label
