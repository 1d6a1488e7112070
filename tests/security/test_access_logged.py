"""Every read of a case is in the access log, generated from the URLconf through the permission matrix: for each
page and API endpoint of one case, a role that gets it (200) leaves a log row naming that case (or its document),
and a role that gets 404 on a case that exists but is not theirs leaves a refused attempt (DOMAIN.md section 9,
need to know; NEN 7513: refused attempts are logged too). A new case URL needs a matrix entry, and so is
checked here without further work."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessLog
from tests.helpers import ALL_ROLES
from tests.security.test_permission_matrix import MATRIX, URLS, _answer, _url_for

pytestmark = pytest.mark.django_db

CASE_URLS = sorted(name for name, entry in MATRIX.items() if entry.other is not None and name in URLS)
# The lists name cases without one in their URL: the case list, the search and the API's list.
LIST_URLS = ["referrals:case_list", "api:cases"]


def _first_role(expected: dict[str, int], answer: int) -> str | None:
    return next((role for role in ALL_ROLES if expected.get(role) == answer), None)


def _refused_role(name: str) -> str | None:
    """A role that gets 404 on the other organisation's case only for not seeing it (its own case opens)."""
    entry = MATRIX[name]
    role = _first_role(entry.other, 404)
    return role if role is not None and entry.own.get(role) != 404 else None


# A case URL shows the case when some role gets 200 on its own case; the others are POST-only steps or
# answer with a refusal (a letter without its data) in the matrix's world, and show nothing to log.
SHOWING_URLS = [name for name in CASE_URLS if _first_role(MATRIX[name].own, 200)]
REFUSING_URLS = [name for name in CASE_URLS if _refused_role(name)]


def _rows_for(user, case, document) -> list[AccessLog]:
    ids = {str(case.public_id), str(document.public_id), str(case.jeugdige.gezin.public_id)}
    ids |= {str(pk) for pk in case.deadlines.values_list("pk", flat=True)}
    return [row for row in AccessLog.objects.filter(user=user) if row.object_id in ids]


def test_the_matrix_has_case_urls_to_check():
    assert len(SHOWING_URLS) > 35 and len(REFUSING_URLS) > 40, (SHOWING_URLS, REFUSING_URLS)


@pytest.mark.parametrize("name", SHOWING_URLS)
def test_a_case_page_or_endpoint_that_shows_the_case_logs_the_read(name, world):
    entry = MATRIX[name]
    role = _first_role(entry.own, 200)
    user = world.users[role]
    client = Client()
    client.force_login(user)
    before = AccessLog.objects.filter(user=user).count()

    assert _answer(client, _url_for(name, entry, world.own, world.own_document)) == 200

    added = _rows_for(user, world.own, world.own_document)
    assert AccessLog.objects.filter(user=user).count() > before
    assert [r for r in added if r.action != "geweigerd"], f"{name} ({role}) showed the case without logging it"


@pytest.mark.parametrize("name", REFUSING_URLS)
def test_a_refused_attempt_on_an_existing_case_is_logged_as_such(name, world):
    entry = MATRIX[name]
    role = _refused_role(name)
    user = world.users[role]
    client = Client()
    client.force_login(user)

    assert _answer(client, _url_for(name, entry, world.other, world.other_document)) == 404

    ids = [str(world.other.public_id), str(world.other.jeugdige.gezin.public_id)]  # the case, or its gezin
    refused = AccessLog.objects.filter(user=user, action="geweigerd", object_id__in=ids)
    assert refused.count() == 1, f"{name} ({role}): the refused attempt is not logged once"
    assert not AccessLog.objects.filter(user=user, object_id__in=ids).exclude(action="geweigerd")


@pytest.mark.parametrize("name", LIST_URLS)
def test_a_list_logs_the_cases_it_shows(name, world):
    user = world.users["aanmeldpunt"]
    client = Client()
    client.force_login(user)

    assert _answer(client, _url_for(name, MATRIX[name], world.own, world.own_document)) == 200

    listed = AccessLog.objects.get(user=user, action="lijst")
    assert world.own.reference in listed.description and world.other.reference in listed.description


def test_a_case_that_does_not_exist_is_no_refused_attempt(world):
    """Only a case that is there and not yours counts as refused: a mistyped link is just not found."""
    user = world.users["regievoerder"]
    client = Client()
    client.force_login(user)
    missing = "00000000-0000-4000-8000-000000000001"

    assert client.get(reverse("referrals:case_detail", args=[missing])).status_code == 404

    assert not AccessLog.objects.filter(user=user).exists()
