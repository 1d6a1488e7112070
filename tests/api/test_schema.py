"""The OpenAPI description: served, valid, documented; and a schemathesis run against it over every GET
endpoint with a logged-in token finds no server error and no response that breaks the schema."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from referrals import services
from tests.messaging.traffic import Parties

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/schema/?format=json"


def test_the_schema_is_served_as_openapi_3_and_the_docs_page_shows_it(client):
    response = client.get(SCHEMA)
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{case_id}/",
        "/api/v1/cases/{case_id}/timeline/",
        "/api/v1/cases/{case_id}/transitions/",
        "/api/v1/cases/{case_id}/transitions/{name}/",
        "/api/v1/cases/{case_id}/coordination/",
        "/api/v1/cases/{case_id}/deadlines/",
        "/api/v1/cases/{case_id}/documents/",
        "/api/v1/cases/{case_id}/documents/{document_id}/content/",
        "/api/v1/messages/",
        "/api/v1/messages/{message_id}/xml/",
        "/api/v1/messages/import/",
        "/api/v1/token/",
    ):
        assert path in paths, path
    fire = paths["/api/v1/cases/{case_id}/transitions/{name}/"]["post"]
    assert {"409", "412", "428"} <= set(fire["responses"])
    assert "application/problem+json" in fire["responses"]["412"]["content"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content and b"cdn." not in docs.content  # served from our own static files


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def data():
    """Cases, a document and messages that the aanmeldpunt may see, so that real ids answer 200."""
    p = Parties()
    case = p.case()
    p.granted(case)
    document = services.store_document(
        actor=p.toegang,
        case=case,
        kind="verwijzing",
        title="Verwijsbrief",
        uploaded_file=SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    )
    message = case.messages.order_by("pk").first()
    return {
        "user": p.aanmeldpunt,
        "case_id": str(case.public_id),
        "document_id": str(document.public_id),
        "message_id": str(message.public_id),
    }


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, called in this thread on the test's transaction (as the test client does,
    it must not close the connection at the end of each request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(data, wsgi_app):
    schema = schemathesis.openapi.from_wsgi(SCHEMA, wsgi_app)
    token = Token.objects.create(user=data["user"]).key
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) >= 11

    for operation in operations:

        @given(case=operation.as_strategy(), real=st.booleans())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, real):
            if real and case.path_parameters:
                case.path_parameters = {k: data.get(k, v) for k, v in case.path_parameters.items()}
            response = case.call(headers={"Authorization": f"Token {token}"})
            case.validate_response(response, checks=CHECKS)

        run()
