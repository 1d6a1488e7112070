from datetime import date, datetime

import pytest

from deadlines.workdays import AMSTERDAM
from referrals import services
from tests import factories
from tests.factories import at, build_case
from tests.helpers import FAST_HASHERS, NOW, ensure_default_rules

# build_case at NOW (Tuesday 10 March 2026) registers the aanmelding on Saturday 7 March 2026.
AANMELDDATUM = date(2026, 3, 7)
DUE = {"aanmeldgesprek": date(2026, 3, 21), "start-jeugdhulp": date(2026, 4, 18), "beschikking": date(2026, 5, 2)}


def ams(y, m, d, hour=12, minute=0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def _fast_users(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _default_rules(request):
    """The rules come from a data migration; a transactional test elsewhere may have flushed them."""
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        ensure_default_rules()


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def sanne(db):
    gem = factories.gemeente()
    return factories.UserFactory(
        role="toegang_medewerker", first_name="Sanne", last_name="de Vries", organisation=factories.toegang_team(gem)
    )


@pytest.fixture
def aanmeldpunt(db):
    return factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads(), email="ap@example.org")


@pytest.fixture
def aangemeld_case(clock, sanne, aanmeldpunt):
    return build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)


def hold_gesprek(case, actor, day: date):
    services.plan_aanmeldgesprek(
        actor=actor,
        case=case,
        gepland_op=at(day),
        locatie="Tilburg",
        jeugdige_uitgenodigd=True,
        verwijzer_uitgenodigd=True,
    )
    services.record_aanmeldgesprek_gehouden(
        actor=actor, case=case, gehouden_op=at(day), aanwezigen="jeugdige, verwijzer", verslag=""
    )
