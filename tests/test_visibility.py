"""Need to know (DOMAIN.md section 9): who sees which case, in the selector and on the pages; the geheim
BSN; the access log of every case page view; the masked BSN in lists."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.models import AccessLog
from referrals.models import Case, Phase
from referrals.selectors import CaseFilters, search_cases, visible_cases
from tests import factories
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, NOW, make_user, read_page, text

pytestmark = pytest.mark.django_db

HIDDEN = "Afgeschermd"


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def world(tilburg, waalwijk, sterk_huis):
    """Cases in two gemeenten, at several phases, with two partners holding regie."""
    amarant = factories.partner("Amarant", "80000303")
    toegang_tilburg = make_user("toegang_medewerker", gem=tilburg)
    toegang_waalwijk = make_user("toegang_medewerker", gem=waalwijk)
    ap = make_user("aanmeldpunt")
    cases = {
        "tilburg_concept": build_case(stage="voorbereid", toegang_user=toegang_tilburg),
        "tilburg_aanmeld": build_case(stage="aanmeld", toegang_user=toegang_tilburg, aanmeldpunt_user=ap),
        "tilburg_sterk_huis": build_case(
            stage="hulpverlenend", toegang_user=toegang_tilburg, aanmeldpunt_user=ap, partner_org=sterk_huis
        ),
        "waalwijk_concept": build_case(stage="voorbereid", toegang_user=toegang_waalwijk),
        "waalwijk_amarant": build_case(
            stage="hulpverlenend", toegang_user=toegang_waalwijk, aanmeldpunt_user=ap, partner_org=amarant
        ),
        "waalwijk_terug": build_case(stage="terugverwezen", toegang_user=toegang_waalwijk, segment1=False),
        # Registered by the aanmeldpunt (medisch domein), still a concept at Crossroads.
        "medisch_concept": build_case(stage="concept", route="medisch_domein", aanmeldpunt_user=ap),
    }
    return {
        "cases": cases,
        "tilburg": tilburg,
        "waalwijk": waalwijk,
        "sterk_huis": sterk_huis,
        "amarant": amarant,
        "toegang_tilburg": toegang_tilburg,
        "toegang_waalwijk": toegang_waalwijk,
        "aanmeldpunt": ap,
    }


def visible(user, world) -> set[str]:
    ids = set(visible_cases(user).values_list("pk", flat=True))
    return {name for name, case in world["cases"].items() if case.pk in ids}


def detail(case):
    return reverse("referrals:case_detail", args=[case.public_id])


def test_toegang_sees_its_own_gemeente_only(world, client):
    colleague = make_user("toegang_medewerker", gem=world["tilburg"])

    assert visible(colleague, world) == {"tilburg_concept", "tilburg_aanmeld", "tilburg_sterk_huis"}
    client.force_login(colleague)
    assert client.get(detail(world["cases"]["tilburg_aanmeld"])).status_code == 200
    assert client.get(detail(world["cases"]["waalwijk_amarant"])).status_code == 404
    assert client.get(detail(world["cases"]["waalwijk_concept"])).status_code == 404


def test_gedragswetenschapper_sees_its_own_gemeente_only(world):
    gw = make_user("gedragswetenschapper", gem=world["waalwijk"])

    assert visible(gw, world) == {"waalwijk_concept", "waalwijk_amarant", "waalwijk_terug"}


def test_regievoerder_sees_only_the_cases_of_its_own_partner(world, client):
    regie = make_user("regievoerder", partner_org=world["sterk_huis"])

    assert visible(regie, world) == {"tilburg_sterk_huis"}
    client.force_login(regie)
    assert client.get(detail(world["cases"]["tilburg_sterk_huis"])).status_code == 200
    assert client.get(detail(world["cases"]["waalwijk_amarant"])).status_code == 404
    assert client.get(detail(world["cases"]["tilburg_aanmeld"])).status_code == 404


def test_aanmeldpunt_sees_every_case_that_was_submitted(world, client):
    other_desk_member = make_user("aanmeldpunt")

    assert visible(other_desk_member, world) == {
        "tilburg_aanmeld",
        "tilburg_sterk_huis",
        "waalwijk_amarant",
        "waalwijk_terug",
        "medisch_concept",  # a concept of Crossroads itself
    }
    client.force_login(other_desk_member)
    assert client.get(detail(world["cases"]["tilburg_concept"])).status_code == 404


def test_manager_gemeente_sees_its_own_gemeente_only(world, client):
    manager = make_user("manager_gemeente", gem=world["waalwijk"])

    assert visible(manager, world) == {"waalwijk_amarant", "waalwijk_terug"}
    client.force_login(manager)
    assert client.get(detail(world["cases"]["tilburg_aanmeld"])).status_code == 404


@pytest.mark.parametrize("role", ["backoffice", "functioneel_beheerder"])
def test_roles_without_need_to_know_see_no_case(world, client, role):
    user = make_user(role, gem=world["tilburg"])

    assert visible(user, world) == set()
    client.force_login(user)
    for case in world["cases"].values():
        assert client.get(detail(case)).status_code == 404


def test_case_list_page_shows_only_what_the_user_may_see(world, client):
    client.force_login(world["toegang_waalwijk"])

    response = client.get(reverse("referrals:case_list"))

    hrefs = {href for href, _ in read_page(response).links}
    shown = {name for name, case in world["cases"].items() if detail(case) in hrefs}
    assert shown == {"waalwijk_concept", "waalwijk_amarant", "waalwijk_terug"}


# --- geheim BSN ------------------------------------------------------------------------------------


@pytest.fixture
def secret(toegang_user):
    """A youth with a geheim BSN, registered and submitted by `toegang_user`."""
    return build_case(
        stage="aanmeld", toegang_user=toegang_user, bsn_status="geheim", voornaam="Zoë", achternaam="Verborgen"
    )


def test_geheim_bsn_is_hidden_in_lists_without_a_grant(secret, client, tilburg):
    colleague = make_user("toegang_medewerker", gem=tilburg)
    desk = make_user("aanmeldpunt")

    for user, url in [
        (colleague, reverse("referrals:case_list")),
        (desk, reverse("referrals:case_list")),
        (desk, reverse("start")),
    ]:
        client.force_login(user)
        page = text(client.get(url))
        assert detail(secret) in page  # the case is there ...
        assert HIDDEN in page  # ... without who it is
        assert "Verborgen" not in page
        assert "Zoë" not in page


def test_geheim_bsn_case_page_hides_the_identity_without_a_grant(secret, client, tilburg):
    client.force_login(make_user("toegang_medewerker", gem=tilburg))

    page = text(client.get(detail(secret)))

    assert HIDDEN in page
    assert "Verborgen" not in page
    assert "Zoë" not in page


def test_geheim_bsn_cannot_be_found_by_name_without_a_grant(secret, tilburg, client):
    colleague = make_user("toegang_medewerker", gem=tilburg)

    assert not search_cases(colleague, CaseFilters(q="Verborgen")).exists()
    assert not search_cases(colleague, CaseFilters(q="Zoë Verborgen")).exists()
    client.force_login(colleague)
    page = text(client.get(reverse("referrals:case_list"), {"q": "Verborgen"}))
    assert detail(secret) not in page


def test_a_normal_case_is_found_by_name_and_by_bsn(toegang_user, tilburg):
    case = build_case(stage="aanmeld", toegang_user=toegang_user, achternaam="Zichtbaar")
    colleague = make_user("toegang_medewerker", gem=tilburg)
    bsn = case.jeugdige.bsn

    assert list(search_cases(colleague, CaseFilters(q="zichtbaar"))) == [case]
    assert list(search_cases(colleague, CaseFilters(q=f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"))) == [case]


def test_a_secret_youth_is_not_found_by_the_bsn_of_a_normal_case_either(secret, toegang_user, tilburg):
    # A geheim BSN is never stored; searching any BSN can only find normal cases.
    colleague = make_user("toegang_medewerker", gem=tilburg)
    normal = build_case(stage="aanmeld", toegang_user=toegang_user)

    assert list(search_cases(colleague, CaseFilters(q=normal.jeugdige.bsn))) == [normal]
    assert secret.jeugdige.bsn == ""


def test_the_registering_user_sees_and_finds_the_secret_youth(secret, toegang_user, client):
    assert list(search_cases(toegang_user, CaseFilters(q="Verborgen"))) == [secret]
    client.force_login(toegang_user)

    list_page = text(client.get(reverse("referrals:case_list")))
    case_page = text(client.get(detail(secret)))

    assert "Zoë Verborgen" in list_page
    assert "Zoë Verborgen" in case_page


def test_a_named_grant_opens_the_identity(secret, tilburg):
    colleague = make_user("toegang_medewerker", gem=tilburg)
    assign_perm("referrals.view_identity", colleague, secret)

    assert list(search_cases(colleague, CaseFilters(q="Verborgen"))) == [secret]
    assert visible_cases(colleague).get(pk=secret.pk).identity_visible is True


def test_a_grant_on_another_case_does_not_open_this_one(secret, toegang_user, tilburg):
    colleague = make_user("toegang_medewerker", gem=tilburg)
    other = build_case(stage="aanmeld", toegang_user=toegang_user, bsn_status="geheim", achternaam="Anders")
    assign_perm("referrals.view_identity", colleague, other)

    assert visible_cases(colleague).get(pk=secret.pk).identity_visible is False
    assert not search_cases(colleague, CaseFilters(q="Verborgen")).exists()


# --- access log and masked BSN ---------------------------------------------------------------------


def test_every_case_page_view_is_logged(world, client):
    user = world["aanmeldpunt"]
    case = world["cases"]["tilburg_aanmeld"]
    client.force_login(user)

    client.get(detail(case))
    client.get(detail(case))

    rows = AccessLog.objects.filter(user=user, object_id=str(case.public_id))
    assert rows.count() == 2
    assert {(r.action, r.role, r.object_type) for r in rows} == {("inzien", "aanmeldpunt", "casus")}


def test_a_refused_case_page_is_not_logged_as_viewed(world, client):
    user = world["toegang_waalwijk"]
    case = world["cases"]["tilburg_aanmeld"]
    client.force_login(user)

    assert client.get(detail(case)).status_code == 404

    rows = AccessLog.objects.filter(object_id=str(case.public_id))
    assert [(r.user, r.action, r.object_type) for r in rows] == [(user, "geweigerd", "casus")]


def test_bsn_is_masked_in_lists(world, client):
    case = world["cases"]["tilburg_aanmeld"]
    bsn = case.jeugdige.bsn

    for user, url in [
        (world["aanmeldpunt"], reverse("referrals:case_list")),
        (world["aanmeldpunt"], reverse("start")),
        (world["toegang_tilburg"], reverse("referrals:case_list")),
        (world["toegang_tilburg"], reverse("start")),
    ]:
        client.force_login(user)
        page = text(client.get(url))
        assert "••••••" + bsn[-3:] in page, url
        assert bsn not in page, url
        assert bsn[:6] not in page, url


def test_the_case_page_shows_the_full_bsn_to_a_role_that_needs_it(world, client):
    case = world["cases"]["tilburg_aanmeld"]
    client.force_login(world["aanmeldpunt"])

    assert case.jeugdige.bsn in text(client.get(detail(case)))


def test_the_case_page_masks_the_bsn_for_a_role_without_that_need(world, client):
    case = world["cases"]["tilburg_aanmeld"]
    gw = make_user("gedragswetenschapper", gem=world["tilburg"])
    client.force_login(gw)

    page = text(client.get(detail(case)))

    assert "••••••" + case.jeugdige.bsn[-3:] in page
    assert case.jeugdige.bsn not in page


def test_phase_filter_on_the_list_respects_visibility(world):
    regie = make_user("regievoerder", partner_org=world["amarant"])

    assert list(search_cases(regie, CaseFilters(fase=Phase.HULPVERLENEND))) == [world["cases"]["waalwijk_amarant"]]
    assert Case.objects.filter(phase=Phase.HULPVERLENEND).count() == 2
