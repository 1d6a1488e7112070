import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.helpers import FAST_HASHERS, NOW


@pytest.fixture(autouse=True)
def _api_setup(time_machine, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the token throttle counts per process


@pytest.fixture
def api():
    """`api(user)`: a client that calls the API with that user's token (`api(None)`: without one)."""

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def assert_problem(response, status: int) -> dict:
    """An error as application/problem+json with a Dutch title and the status in the body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body
