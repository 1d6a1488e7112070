"""The REST API on the real server: a token by username and password, the case list, a transition refused
with its Dutch reasons, If-Match enforced; and in Chromium the API docs page and the API with the session of
a logged-in user. Nothing here changes the demo data the other journeys use."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from .steps import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def call(base, path, *, method="GET", token=None, data=None, headers=None):
    """(status, content type, parsed JSON body) of one HTTP request to the running server."""
    request = urllib.request.Request(base + path, method=method, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", f"Token {token}")
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, body, timeout=30) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], json.loads(e.read() or b"null")


def test_token_list_and_a_refused_transition_over_http(demo_server, demo_password):
    status, _, body = call(
        demo_server, "/api/v1/token/", method="POST", data={"username": "aanmeldpunt", "password": demo_password}
    )
    assert status == 200
    token = body["token"]
    status, _, cases = call(demo_server, "/api/v1/cases/?fase=aanmeld&page_size=100", token=token)
    assert status == 200 and cases["count"] > 0
    # A case still waiting for its aanmeldgesprek: care cannot start yet, and the API says why, in Dutch.
    for row in cases["results"]:
        path = urllib.parse.urlparse(row["url"]).path
        _, _, options = call(demo_server, f"{path}transitions/", token=token)
        start = next(o for o in options["transitions"] if o["name"] == "start_hulpverlening")
        if not start["allowed"]:
            break
    else:
        pytest.fail("geen aangemelde casus zonder advies in de demo")
    fire = f"{path}transitions/start_hulpverlening/"
    status, content_type, problem = call(demo_server, fire, method="POST", token=token)
    assert (status, content_type) == (428, "application/problem+json")
    status, _, problem = call(demo_server, fire, method="POST", token=token, headers={"If-Match": '"oud"'})
    assert status == 412 and problem["title"] == "De casus is intussen gewijzigd"
    status, _, problem = call(demo_server, fire, method="POST", token=token, headers={"If-Match": options["etag"]})
    assert status == 409
    assert problem["reasons"] == start["reasons"]
    _, _, after = call(demo_server, path, token=token)
    assert after["phase"] == "aanmeld" and after["etag"] == options["etag"]


def test_api_docs_and_the_session_of_a_logged_in_user(page, demo_password, check_page):
    log_in(page, "aanmeldpunt", demo_password)
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("Segment 1 Hart van Brabant API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    page.get_by_text("/api/v1/cases/{case_id}/transitions/{name}/").click()
    expect(page.get_by_text("the case's current ETag")).to_be_visible()
    check_page(page, "api-docs")  # Swagger UI is not ours: its axe findings are printed, not asserted
    response = page.request.get("/api/v1/cases/")
    assert response.status == 200 and response.json()["count"] > 0
