"""Cases through the API: need-to-know per role, filters, pagination, the access log and a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessLog
from tests import factories
from tests.factories import build_case
from tests.helpers import ALL_ROLES

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases/"


def detail(case) -> str:
    return f"/api/v1/cases/{case.public_id}/"


@pytest.fixture
def world(toegang_user, aanmeldpunt_user, sterk_huis, regievoerder, waalwijk):
    """Two Tilburg cases (one urgent, one in care at Sterk Huis) and one Waalwijk case."""
    in_care = build_case(
        stage="hulpverlenend", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis
    )
    aangemeld = build_case(
        stage="aanmeld",
        toegang_user=toegang_user,
        aanmeldpunt_user=aanmeldpunt_user,
        voornaam="Sara",
        achternaam="de Vries",
    )
    waalwijk_toegang = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(waalwijk))
    elsewhere = build_case(stage="aanmeld", toegang_user=waalwijk_toegang, aanmeldpunt_user=aanmeldpunt_user)
    return {"in_care": in_care, "aangemeld": aangemeld, "elsewhere": elsewhere, "waalwijk_toegang": waalwijk_toegang}


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def test_without_a_token_the_api_answers_401_in_dutch(api, world):
    body = assert_problem(api(None).get(LIST), 401)
    assert body["title"] == "Niet aangemeld"
    assert_problem(api(None).get(detail(world["in_care"])), 401)


def test_a_wrong_token_is_refused(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert_problem(client.get(LIST), 401)


def test_each_role_lists_only_the_cases_it_may_see(api, world, toegang_user, aanmeldpunt_user, regievoerder):
    c = {k: str(v.public_id) for k, v in world.items() if k != "waalwijk_toegang"}
    assert ids(api(toegang_user).get(LIST)) == {c["in_care"], c["aangemeld"]}
    assert ids(api(world["waalwijk_toegang"]).get(LIST)) == {c["elsewhere"]}
    assert ids(api(aanmeldpunt_user).get(LIST)) == set(c.values())
    assert ids(api(regievoerder).get(LIST)) == {c["in_care"]}
    for role in ("backoffice", "functioneel_beheerder"):
        user = factories.UserFactory(role=role, organisation=factories.crossroads())
        assert ids(api(user).get(LIST)) == set()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_detail_per_role_is_200_or_404_as_the_case_page(role, api, world, client, toegang_user, regievoerder):
    case = world["in_care"]
    user = {"toegang_medewerker": toegang_user, "regievoerder": regievoerder}.get(role)
    if user is None:
        org = {
            "gedragswetenschapper": toegang_user.organisation,
            "manager_gemeente": case.gemeente,
            "backoffice": case.gemeente,
        }.get(role) or factories.crossroads()
        user = factories.UserFactory(role=role, organisation=org)
    client.force_login(user)
    page = client.get(f"/casussen/{case.public_id}/")
    response = api(user).get(detail(case))
    if page.status_code == 200:
        assert response.status_code == 200
        assert response.json()["reference"] == case.reference
        assert response["ETag"] == response.json()["etag"]
    else:
        assert page.status_code == 404
        assert_problem(response, 404)


def test_detail_masks_or_hides_the_identity_as_the_page_does(api, aanmeldpunt_user, toegang_user, regievoerder):
    normal = build_case(
        stage="hulpverlenend",
        toegang_user=toegang_user,
        aanmeldpunt_user=aanmeldpunt_user,
        partner_org=regievoerder.organisation,
    )
    secret = build_case(
        stage="hulpverlenend",
        toegang_user=toegang_user,
        aanmeldpunt_user=aanmeldpunt_user,
        partner_org=regievoerder.organisation,
        bsn_status="geheim",
        voornaam="Zilvia",
    )
    youth = api(aanmeldpunt_user).get(detail(normal)).json()["jeugdige"]
    assert youth["bsn"] == normal.jeugdige.bsn  # the aanmeldpunt needs the full BSN
    gedragswetenschapper = factories.UserFactory(role="gedragswetenschapper", organisation=toegang_user.organisation)
    masked = api(gedragswetenschapper).get(detail(normal)).json()["jeugdige"]["bsn"]
    assert masked != normal.jeugdige.bsn and masked.endswith(normal.jeugdige.bsn[-3:])
    hidden = api(regievoerder).get(detail(secret)).json()["jeugdige"]
    assert hidden["identity_visible"] is False
    assert "Zilvia" not in str(hidden) and hidden["geboortedatum"] is None


def test_an_unknown_or_malformed_case_id_is_404(api, toegang_user, world):
    assert_problem(api(toegang_user).get("/api/v1/cases/00000000-0000-0000-0000-000000000000/"), 404)
    assert api(toegang_user).get("/api/v1/cases/niet-een-uuid/").status_code == 404


def test_filters(api, world, aanmeldpunt_user, sterk_huis, tilburg):
    a = api(aanmeldpunt_user)
    aangemeld = {str(world["aangemeld"].public_id), str(world["elsewhere"].public_id)}
    assert ids(a.get(LIST, {"fase": "aanmeld"})) == aangemeld
    assert ids(a.get(LIST, {"fase": "hulpverlenend"})) == {str(world["in_care"].public_id)}
    assert ids(a.get(LIST, {"partner": sterk_huis.pk})) == {str(world["in_care"].public_id)}
    assert ids(a.get(LIST, {"gemeente": tilburg.pk, "fase": "aanmeld"})) == {str(world["aangemeld"].public_id)}
    assert ids(a.get(LIST, {"q": "Sara"})) == {str(world["aangemeld"].public_id)}
    assert ids(a.get(LIST, {"q": world["in_care"].reference})) == {str(world["in_care"].public_id)}
    assert ids(a.get(LIST, {"route": "gi"})) == set()


def test_a_bad_filter_is_a_400_with_the_dutch_message_at_the_field(api, world, aanmeldpunt_user):
    body = assert_problem(api(aanmeldpunt_user).get(LIST, {"fase": "bestaat-niet", "gemeente": "x"}), 400)
    assert set(body["errors"]) == {"fase", "gemeente"}
    assert "Selecteer een geldige keuze" in body["errors"]["fase"][0]


def test_pagination(api, world, aanmeldpunt_user):
    a = api(aanmeldpunt_user)
    first = a.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"]
    second = a.get(LIST, {"page_size": 2, "page": 2}).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    body = assert_problem(a.get(LIST, {"page": 9}), 404)
    assert body["detail"] == "Deze pagina bestaat niet."


def test_list_detail_and_search_write_the_access_log(api, world, toegang_user):
    a = api(toegang_user)
    a.get(LIST, {"q": "Sara"})
    a.get(detail(world["in_care"]))
    rows = list(AccessLog.objects.filter(user=toegang_user).order_by("pk"))
    assert [(r.action, r.object_type) for r in rows] == [
        ("lijst", "casussen"),
        ("zoeken", "casussen"),
        ("inzien", "casus"),
    ]
    assert world["aangemeld"].reference in rows[0].description
    assert rows[1].description == "Zoekterm (API): Sara"
    assert rows[2].object_id == str(world["in_care"].public_id) and rows[2].role == "toegang_medewerker"


def test_the_list_costs_a_fixed_number_of_queries(api, aanmeldpunt_user, toegang_user, sterk_huis):
    a = api(aanmeldpunt_user)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            response = a.get(LIST, {"page_size": 100})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    build_case(stage="aanmeld", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)
    a.get(LIST)  # warm the per-process caches
    small, n_small = cost()
    for i in range(6):
        build_case(
            stage="hulpverlenend" if i % 2 else "aanmeld",
            toegang_user=toegang_user,
            aanmeldpunt_user=aanmeldpunt_user,
            partner_org=sterk_huis,
            bsn_status="geheim" if i % 3 == 0 else "normaal",
        )
    large, n_large = cost()
    assert (n_small, n_large) == (1, 7)
    assert small == large
