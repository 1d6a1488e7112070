import pytest

from tests import factories


@pytest.fixture
def tilburg(db):
    return factories.gemeente("Tilburg", "0855")


@pytest.fixture
def waalwijk(db):
    return factories.gemeente("Waalwijk", "0867")


@pytest.fixture
def toegang_user(tilburg):
    return factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(tilburg))


@pytest.fixture
def aanmeldpunt_user(db):
    return factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads())


@pytest.fixture
def sterk_huis(db):
    return factories.partner("Sterk Huis", "80000101")


@pytest.fixture
def regievoerder(sterk_huis):
    return factories.UserFactory(role="regievoerder", organisation=sterk_huis)
