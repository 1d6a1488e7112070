"""The regievoerder records the day care started; later than 6 weeks after aanmelding needs overbruggingszorg."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deadlines.models import Deadline, DeadlineState, Outcome
from referrals import services
from referrals.models import Case, CaseEvent
from tests import factories
from tests.helpers import FAST_HASHERS, NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def in_care(aanmeldpunt_user, sterk_huis):
    # build_case aanmeldt three days before today
    return factories.build_case(stage="hulpverlenend", aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis)


def test_the_regievoerder_records_the_start_and_meets_the_deadline(in_care, regievoerder):
    case = services.record_zorg_gestart(actor=regievoerder, case=in_care, datum=TODAY)
    assert case.zorg_gestart_op == TODAY
    assert CaseEvent.objects.filter(case=case, kind="zorg_gestart", actor=regievoerder).count() == 1
    deadline = Deadline.objects.get(case=case, rule__code="start-jeugdhulp")
    assert (deadline.state, deadline.outcome) == (DeadlineState.MET, Outcome.ON_TIME)


def test_only_the_regie_organisation_records_it(in_care, aanmeldpunt_user):
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Amarant", "80000103"))
    for actor in (other, aanmeldpunt_user):
        with pytest.raises(PermissionDenied):
            services.record_zorg_gestart(actor=actor, case=in_care, datum=TODAY)
    assert Case.objects.get(pk=in_care.pk).zorg_gestart_op is None


def test_a_start_after_six_weeks_needs_overbruggingszorg(in_care, regievoerder, time_machine):
    late = in_care.aanmelddatum + timedelta(weeks=6, days=1)
    time_machine.move_to(NOW + timedelta(weeks=7), tick=False)
    with pytest.raises(ValidationError) as refused:
        services.record_zorg_gestart(actor=regievoerder, case=in_care, datum=late)
    assert "overbruggingszorg" in refused.value.message_dict
    assert not CaseEvent.objects.filter(case=in_care, kind="zorg_gestart").exists()
    case = services.record_zorg_gestart(
        actor=regievoerder, case=in_care, datum=late, overbruggingszorg="Ambulante begeleiding door het wijkteam."
    )
    assert Deadline.objects.get(case=case, rule__code="start-jeugdhulp").outcome == Outcome.LATE


@pytest.mark.parametrize("days", [1, -30])
def test_impossible_start_dates_are_refused(in_care, regievoerder, days):
    with pytest.raises(ValidationError) as refused:
        services.record_zorg_gestart(actor=regievoerder, case=in_care, datum=TODAY + timedelta(days=days))
    assert "datum" in refused.value.message_dict


def test_the_start_is_recorded_once(in_care, regievoerder):
    services.record_zorg_gestart(actor=regievoerder, case=in_care, datum=TODAY)
    with pytest.raises(ValidationError):
        services.record_zorg_gestart(actor=regievoerder, case=Case.objects.get(pk=in_care.pk), datum=TODAY)
    assert CaseEvent.objects.filter(case=in_care, kind="zorg_gestart").count() == 1


def test_the_case_page_offers_it_to_the_regievoerder_and_keeps_bad_input(client, in_care, regievoerder):
    client.force_login(regievoerder)
    assert "Start jeugdhulp vastleggen" in client.get(f"/casussen/{in_care.public_id}/").content.decode()
    response = client.post(f"/casussen/{in_care.public_id}/zorg-gestart/", {"datum": "2099-01-01"})
    assert response.status_code == 200
    assert "kan niet in de toekomst liggen" in response.content.decode()
    assert 'value="2099-01-01"' in response.content.decode()
    response = client.post(f"/casussen/{in_care.public_id}/zorg-gestart/", {"datum": TODAY.isoformat()})
    assert response.status_code == 302
    assert Case.objects.get(pk=in_care.pk).zorg_gestart_op == TODAY
