"""The functioneel beheerder keeps organisations and accounts in the beheerscherm, and sees no cases."""

import pytest

from tests import factories
from tests.helpers import FAST_HASHERS


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def beheerder(db):
    return factories.UserFactory(role="functioneel_beheerder", organisation=factories.crossroads(), is_staff=True)


def test_beheerder_edits_organisations_and_accounts_in_the_beheerscherm(client, beheerder, tilburg):
    client.force_login(beheerder)
    assert client.get("/beheer/accounts/organisation/").status_code == 200
    assert client.get(f"/beheer/accounts/organisation/{tilburg.pk}/change/").status_code == 200
    assert client.get("/beheer/accounts/user/").status_code == 200
    # The access log is read-only and not theirs; case content is not in their reach.
    assert client.get("/beheer/accounts/accesslog/").status_code == 403
    assert client.get("/beheer/referrals/case/").status_code in (403, 404)


def test_other_roles_have_no_beheerscherm(client, aanmeldpunt_user):
    aanmeldpunt_user.is_staff = True
    aanmeldpunt_user.save()
    client.force_login(aanmeldpunt_user)
    assert client.get("/beheer/accounts/organisation/").status_code == 403


def test_beheerder_cannot_hand_out_technical_rights(client, beheerder, aanmeldpunt_user):
    client.force_login(beheerder)
    page = client.get(f"/beheer/accounts/user/{aanmeldpunt_user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="role"' in page
