"""Lists show youths' names: each list view is in the access log, naming the cases it showed."""

import pytest

from accounts.models import AccessLog
from tests import factories
from tests.helpers import FAST_HASHERS, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def test_the_case_list_and_the_work_list_are_logged_with_the_cases_shown(client, aanmeldpunt_user):
    cases = [factories.build_case(stage="aanmeld", aanmeldpunt_user=aanmeldpunt_user) for _ in range(2)]
    client.force_login(aanmeldpunt_user)
    client.get("/casussen/")
    client.get("/start/")
    rows = list(AccessLog.objects.filter(user=aanmeldpunt_user, action="lijst").order_by("at", "id"))
    assert [r.description.split(":")[0] for r in rows] == ["Casussen", "Werklijst"]
    for row in rows:
        assert all(case.reference in row.description for case in cases)


def test_an_empty_list_shows_nobody_and_logs_nothing(client, regievoerder):
    client.force_login(regievoerder)
    client.get("/casussen/")
    assert not AccessLog.objects.filter(user=regievoerder, action="lijst").exists()


def test_a_long_list_is_summarised_within_the_field(client, aanmeldpunt_user):
    for _ in range(30):
        factories.build_case(stage="aanmeld", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)
    client.get("/start/")
    row = AccessLog.objects.get(user=aanmeldpunt_user, action="lijst")
    assert len(row.description) <= 300
    assert row.description.endswith("meer")
