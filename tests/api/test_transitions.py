"""Firing a phase transition through the API: ETag / If-Match, the same guards, roles and Dutch reasons as
the case page, and one timeline event per step."""

import pytest

from accounts.models import AccessLog
from referrals.models import Case, CaseEvent, EventKind
from tests import factories
from tests.factories import build_case

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def url(case, name="") -> str:
    return f"/api/v1/cases/{case.public_id}/transitions/" + (f"{name}/" if name else "")


@pytest.fixture
def advised(toegang_user, aanmeldpunt_user, sterk_huis):
    return build_case(
        stage="advies", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis
    )


def test_options_say_what_can_be_fired_and_why_not(api, advised, aanmeldpunt_user, toegang_user):
    response = api(aanmeldpunt_user).get(url(advised))
    assert response.status_code == 200
    body = response.json()
    assert body["phase"] == "aanmeld" and response["ETag"] == body["etag"]
    options = {o["name"]: o for o in body["transitions"]}
    assert options["start_hulpverlening"]["allowed"] is True
    assert options["start_hulpverlening"]["url"] == url(advised, "start_hulpverlening")
    refused = {o["name"]: o for o in api(toegang_user).get(url(advised)).json()["transitions"]}
    assert refused["start_hulpverlening"]["allowed"] is False and refused["start_hulpverlening"]["reasons"]


def test_etag_flow_fire_then_a_stale_client_gets_412(api, advised, aanmeldpunt_user):
    a = api(aanmeldpunt_user)
    etag = a.get(f"/api/v1/cases/{advised.public_id}/")["ETag"]
    fired = a.post(url(advised, "start_hulpverlening"), {}, format="json", HTTP_IF_MATCH=etag)
    assert fired.status_code == 200, fired.content
    assert fired.json()["phase"] == "hulpverlenend"
    assert fired["ETag"] != etag and fired["ETag"] == fired.json()["etag"]
    assert Case.objects.get(pk=advised.pk).phase == "hulpverlenend"
    assert CaseEvent.objects.filter(case=advised, kind=EventKind.HULPVERLENING_GESTART).count() == 1
    # A second client still holding the old ETag does not overwrite: 412, nothing written.
    events = CaseEvent.objects.filter(case=advised).count()
    stale = a.post(
        url(advised, "voortijdig_beeindigen"),
        {"reden": "verhuisd", "toelichting": "Warme overdracht."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    body = assert_problem(stale, 412)
    assert body["title"] == "De casus is intussen gewijzigd"
    assert "door iemand anders gewijzigd" in body["detail"]
    assert Case.objects.get(pk=advised.pk).phase == "hulpverlenend"
    assert CaseEvent.objects.filter(case=advised).count() == events


def test_without_if_match_the_answer_is_428(api, advised, aanmeldpunt_user):
    body = assert_problem(api(aanmeldpunt_user).post(url(advised, "start_hulpverlening"), {}, format="json"), 428)
    assert "If-Match" in body["detail"]
    assert Case.objects.get(pk=advised.pk).phase == "aanmeld"


def test_a_role_that_may_not_fire_gets_403_with_the_dutch_reason(api, advised, toegang_user):
    etag = api(toegang_user).get(url(advised))["ETag"]
    body = assert_problem(
        api(toegang_user).post(url(advised, "start_hulpverlening"), {}, format="json", HTTP_IF_MATCH=etag), 403
    )
    assert body["reasons"] and body["detail"] == " ".join(body["reasons"])
    assert Case.objects.get(pk=advised.pk).phase == "aanmeld"


def test_a_guard_that_refuses_gives_409_with_the_reasons(api, toegang_user, aanmeldpunt_user):
    gepland = build_case(stage="gepland", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)
    a = api(aanmeldpunt_user)
    etag = a.get(url(gepland))["ETag"]
    body = assert_problem(a.post(url(gepland, "start_hulpverlening"), {}, format="json", HTTP_IF_MATCH=etag), 409)
    assert body["title"] == "Deze stap kan nu niet"
    assert body["reasons"] and all(isinstance(r, str) and r for r in body["reasons"])
    assert body["detail"].startswith("Dit kan nog niet: ")
    # A step that does not start from this phase at all.
    body = assert_problem(a.post(url(gepland, "afsluiten"), {}, format="json", HTTP_IF_MATCH=etag), 409)
    assert body["reasons"] == ["Deze stap is niet mogelijk in de aanmeldfase."]


def test_bad_input_is_422_with_dutch_messages_per_field_and_nothing_changes(api, advised, aanmeldpunt_user):
    a = api(aanmeldpunt_user)
    etag = a.get(url(advised))["ETag"]
    body = assert_problem(
        a.post(url(advised, "voortijdig_beeindigen"), {"reden": "iets"}, format="json", HTTP_IF_MATCH=etag), 422
    )
    assert set(body["errors"]) == {"reden", "toelichting"}
    assert body["errors"]["toelichting"] == ["Dit veld is verplicht."]
    body = assert_problem(
        a.post(url(advised, "terugverwijzen"), {"toelichting": ["a", "b"]}, format="json", HTTP_IF_MATCH=etag), 422
    )
    assert "toelichting" in body["errors"]
    assert_problem(a.post(url(advised, "terugverwijzen"), [1, 2], format="json", HTTP_IF_MATCH=etag), 400)
    assert_problem(
        a.post(url(advised, "terugverwijzen"), "{niet json", content_type="application/json", HTTP_IF_MATCH=etag), 400
    )
    assert Case.objects.get(pk=advised.pk).phase == "aanmeld"


def test_service_validation_comes_back_at_the_field(api, aanmeldpunt_user):
    case = build_case(stage="voorbereid", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user)
    a = api(aanmeldpunt_user)
    etag = a.get(url(case))["ETag"]
    body = assert_problem(
        a.post(url(case, "aanmelden"), {"aanmelddatum": "2026-04-01"}, format="json", HTTP_IF_MATCH=etag), 422
    )
    assert body["errors"] == {"aanmelddatum": ["De aanmelddatum kan niet in de toekomst liggen."]}
    body = assert_problem(
        a.post(url(case, "aanmelden"), {"aanmelddatum": 20260301}, format="json", HTTP_IF_MATCH=etag), 422
    )
    assert list(body["errors"]) == ["aanmelddatum"]
    fired = a.post(url(case, "aanmelden"), {"aanmelddatum": "2026-03-09"}, format="json", HTTP_IF_MATCH=etag)
    assert fired.status_code == 200, fired.content
    assert fired.json()["phase"] == "aanmeld" and fired.json()["aanmelddatum"] == "2026-03-09"


def test_the_toegang_fires_aanmelden_for_today(api, toegang_user):
    concept = build_case(stage="voorbereid", toegang_user=toegang_user)
    aanmeldpunt = factories.UserFactory(role="aanmeldpunt", organisation=factories.crossroads())
    # The aanmeldpunt does not see another organisation's concept: 404 as on the page.
    assert_problem(api(aanmeldpunt).get(url(concept)), 404)
    t = api(toegang_user)
    etag = t.get(url(concept))["ETag"]
    fired = t.post(url(concept, "aanmelden"), {}, format="json", HTTP_IF_MATCH=etag)
    assert fired.status_code == 200, fired.content
    assert fired.json()["phase"] == "aanmeld" and fired.json()["aanmelddatum"] == "2026-03-10"


def test_unknown_step_or_invisible_case_is_404(api, advised, aanmeldpunt_user, regievoerder):
    a = api(aanmeldpunt_user)
    etag = a.get(url(advised))["ETag"]
    body = assert_problem(a.post(url(advised, "vliegen"), {}, format="json", HTTP_IF_MATCH=etag), 404)
    assert body["detail"] == "Deze stap bestaat niet."
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Ander Huis", "80000202"))
    assert_problem(api(other).post(url(advised, "start_hulpverlening"), {}, format="json", HTTP_IF_MATCH=etag), 404)
    assert Case.objects.get(pk=advised.pk).phase == "aanmeld"


def test_firing_logs_the_view_of_the_case_it_returns(api, advised, aanmeldpunt_user):
    a = api(aanmeldpunt_user)
    etag = a.get(url(advised))["ETag"]
    before = AccessLog.objects.filter(user=aanmeldpunt_user).count()
    a.post(url(advised, "start_hulpverlening"), {}, format="json", HTTP_IF_MATCH=etag)
    rows = list(AccessLog.objects.filter(user=aanmeldpunt_user).order_by("pk")[before:])
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [("inzien", "casus", str(advised.public_id))]
