"""Timeline, coordination, deadlines, documents, messages and tokens through the API, per role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import AccessLog
from messaging.models import Message
from referrals import services
from tests import factories
from tests.factories import build_case
from tests.messaging.test_import_export import external_jw301
from tests.messaging.traffic import Parties

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def case(toegang_user, aanmeldpunt_user, sterk_huis):
    return build_case(
        stage="hulpverlenend", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis
    )


def case_url(case, what="") -> str:
    return f"/api/v1/cases/{case.public_id}/" + (f"{what}/" if what else "")


def last_log(user) -> AccessLog:
    return AccessLog.objects.filter(user=user).latest("pk")


@pytest.mark.parametrize("what", ["timeline", "coordination", "deadlines", "documents", "transitions"])
def test_case_endpoints_follow_need_to_know(what, api, case, toegang_user, regievoerder, waalwijk):
    assert api(toegang_user).get(case_url(case, what)).status_code == 200
    assert api(regievoerder).get(case_url(case, what)).status_code == 200
    outsider = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(waalwijk))
    assert_problem(api(outsider).get(case_url(case, what)), 404)
    assert_problem(api(None).get(case_url(case, what)), 401)


def test_timeline_lists_the_events_newest_first_and_logs_the_read(api, case, aanmeldpunt_user):
    events = api(aanmeldpunt_user).get(case_url(case, "timeline")).json()
    assert events[0]["kind"] == "hulpverlening_gestart"
    assert events[0]["label"] == "Hulpverlening gestart"
    assert events[0]["from_phase"] == "aanmeld" and events[0]["to_phase"] == "hulpverlenend"
    assert events[-1]["kind"] == "aangemaakt"
    log = last_log(aanmeldpunt_user)
    assert (log.action, log.object_type, log.object_id) == ("inzien", "tijdlijn", str(case.public_id))


def test_coordination_and_deadlines(api, case, toegang_user):
    coordination = api(toegang_user).get(case_url(case, "coordination")).json()
    assert coordination["level"] == "licht" and coordination["level_label"] == "Coördinatie licht"
    assert coordination["is_open"] is True and coordination["coordinator"]["username"] == toegang_user.username
    assert last_log(toegang_user).object_type == "coördinatie"
    deadlines = api(toegang_user).get(case_url(case, "deadlines")).json()
    assert deadlines, "a case in care has running deadlines"
    assert all(d["left"] and d["explanation"] for d in deadlines)
    assert last_log(toegang_user).object_type == "termijnen"


def test_documents_metadata_and_download_with_need_to_know(api, case, toegang_user, regievoerder):
    ipva = services.store_document(
        actor=toegang_user,
        case=case,
        kind="ipva",
        title="IPVA",
        uploaded_file=SimpleUploadedFile("ipva.pdf", PDF, content_type="application/pdf"),
    )
    plan = services.store_document(
        actor=toegang_user,
        case=case,
        kind="verwijzing",
        title="Verwijsbrief",
        uploaded_file=SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf"),
    )
    listed = api(toegang_user).get(case_url(case, "documents")).json()
    assert {d["id"] for d in listed} == {str(ipva.public_id), str(plan.public_id)}
    # Without the family's consent the regievoerder does not get the IPVA, in the list nor by its id.
    r = api(regievoerder)
    assert [d["id"] for d in r.get(case_url(case, "documents")).json()] == [str(plan.public_id)]
    assert_problem(r.get(case_url(case, f"documents/{ipva.public_id}")), 404)
    assert_problem(r.get(case_url(case, f"documents/{ipva.public_id}/content")), 404)
    meta = r.get(case_url(case, f"documents/{plan.public_id}")).json()
    assert meta["sha256"] == plan.sha256 and meta["download"].endswith("/content/")
    download = r.get(meta["download"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    log = last_log(regievoerder)
    assert (log.action, log.object_type, log.object_id) == ("downloaden", "document", str(plan.public_id))


@pytest.fixture
def p():
    return Parties()


def test_messages_per_role(api, p):
    case = p.case()
    jw315, jw301 = p.granted(case)
    for user in (p.aanmeldpunt, p.regievoerder, p.backoffice):
        listed = api(user).get("/api/v1/messages/")
        assert listed.status_code == 200, user.role
        assert {m["id"] for m in listed.json()["results"]} >= {str(jw315.public_id), str(jw301.public_id)}
    assert api(p.backoffice_waalwijk).get("/api/v1/messages/").json()["results"] == []
    for role_user in (p.toegang, factories.UserFactory(role="manager_crossroads", organisation=factories.crossroads())):
        body = assert_problem(api(role_user).get("/api/v1/messages/"), 403)
        assert body["title"] == "Geen toegang"
        assert_problem(api(role_user).get(f"/api/v1/messages/{jw315.public_id}/"), 403)
    assert_problem(api(p.backoffice_waalwijk).get(f"/api/v1/messages/{jw315.public_id}/"), 404)
    filtered = api(p.backoffice).get("/api/v1/messages/", {"bericht": "jw301"}).json()["results"]
    assert [m["id"] for m in filtered] == [str(jw301.public_id)]
    log = last_log(p.backoffice)
    assert log.action == "lijst" and case.reference in log.description


def test_message_detail_and_xml_download(api, p):
    case = p.case()
    jw315 = p.sent_request(case)
    a = api(p.aanmeldpunt)
    meta = a.get(f"/api/v1/messages/{jw315.public_id}/").json()
    assert meta["message_type"] == "jw315" and meta["case"] == case.reference
    assert last_log(p.aanmeldpunt).action == "inzien"
    xml = a.get(meta["xml"])
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    assert xml.content == Message.objects.get(pk=jw315.pk).data
    assert "attachment" in xml["Content-Disposition"]
    log = last_log(p.aanmeldpunt)
    assert (log.action, log.object_id) == ("downloaden", str(jw315.public_id))


def test_import_through_the_api(api, p):
    case = p.case()
    data = external_jw301(case)
    refused = api(p.toegang).post("/api/v1/messages/import/", data, content_type="application/xml")
    assert_problem(refused, 403)
    a = api(p.aanmeldpunt)
    body = assert_problem(a.post("/api/v1/messages/import/", b"<geen xml", content_type="application/xml"), 422)
    assert body["reasons"][0].startswith("Dit is geen leesbaar iJw-bericht")
    assert_problem(a.post("/api/v1/messages/import/", {"x": 1}, format="json"), 415)
    before = Message.objects.count()
    response = a.post("/api/v1/messages/import/", data, content_type="application/xml")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["accepted"] is True and body["message"]["message_type"] == "jw301"
    assert Message.objects.count() == before + 2  # the JW301 and its JW302 retour
    log = last_log(p.aanmeldpunt)
    assert (log.action, log.object_type) == ("inlezen", "bericht")


def test_token_by_password_and_by_command(db, aanmeldpunt_user, capsys):
    aanmeldpunt_user.set_password("geheim-wachtwoord-1")
    aanmeldpunt_user.save()
    client = APIClient()
    response = client.post(
        "/api/v1/token/", {"username": aanmeldpunt_user.username, "password": "geheim-wachtwoord-1"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=aanmeldpunt_user).key == token
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code == 200
    body = assert_problem(
        APIClient().post("/api/v1/token/", {"username": aanmeldpunt_user.username, "password": "fout"}, format="json"),
        400,
    )
    assert body["detail"] == "Gebruikersnaam of wachtwoord is onjuist."
    assert_problem(APIClient().post("/api/v1/token/", {}, format="json"), 400)
    call_command("api_token", aanmeldpunt_user.username)
    assert capsys.readouterr().out.strip() == token
    call_command("api_token", aanmeldpunt_user.username, "--reset")
    assert capsys.readouterr().out.strip() != token


def test_token_requests_are_throttled(db):
    # Ten requests a minute from one address, whatever the names tried (REST framework's throttle).
    client = APIClient()
    answers = [
        client.post("/api/v1/token/", {"username": f"naam{i}", "password": "fout"}, format="json") for i in range(11)
    ]
    assert [a.status_code for a in answers[:10]] == [400] * 10
    body = assert_problem(answers[10], 429)
    assert body["title"] == "Te veel verzoeken" and answers[10]["Retry-After"]


def test_wrong_passwords_for_one_name_lock_it_as_on_the_login_page(db, aanmeldpunt_user):
    # The fifth wrong password for one username from one address locks that login for 15 minutes (django-axes),
    # the right password included.
    client = APIClient()
    wrong = {"username": aanmeldpunt_user.username, "password": "fout"}
    assert [client.post("/api/v1/token/", wrong, format="json").status_code for _ in range(5)] == [400] * 4 + [429]
    right = {"username": aanmeldpunt_user.username, "password": factories.PASSWORD}
    body = assert_problem(client.post("/api/v1/token/", right, format="json"), 429)
    assert body["title"] == "Te veel mislukte aanmeldingen" and "15 minuten geblokkeerd" in body["detail"]


def test_session_login_works_for_the_browser(client, case, aanmeldpunt_user):
    client.force_login(aanmeldpunt_user)
    assert client.get(case_url(case)).status_code == 200
    # A session POST needs the CSRF token, as any form of the site does.
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(aanmeldpunt_user)
    assert_problem(strict.post(case_url(case, "transitions/afronding_starten"), HTTP_IF_MATCH="*"), 403)


def test_the_message_list_costs_a_fixed_number_of_queries(api, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = api(p.backoffice)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            response = a.get("/api/v1/messages/", {"page_size": 100})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    p.granted(p.case())
    a.get("/api/v1/messages/")  # warm the per-process caches
    small, n_small = cost()
    for _ in range(3):
        p.granted(p.case())
    large, n_large = cost()
    assert n_large > n_small
    assert small == large
