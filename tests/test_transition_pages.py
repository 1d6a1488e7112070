"""The phase transitions as a user meets them: the case page offers the steps that are possible now as
links, explains in Dutch why the others are not, and the step page POSTs with the phase the user saw."""

import pytest
from django.urls import reverse

from referrals import guards
from referrals.models import Case, Phase
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, NOW, TODAY, event_ids, make_user, new_events, phase_in_db, read_page, text

pytestmark = pytest.mark.django_db

STALE_MESSAGE = "intussen door iemand anders gewijzigd"


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def case_url(case):
    return reverse("referrals:case_detail", args=[case.public_id])


def step_url(case, name):
    return reverse("referrals:transition", args=[case.public_id, name])


def links(response) -> dict[str, str]:
    return dict(read_page(response).links)


def test_toegang_sees_aanmelden_blocked_with_what_is_missing(client, toegang_user):
    case = build_case(stage="concept", toegang_user=toegang_user)
    client.force_login(toegang_user)

    response = client.get(case_url(case))

    assert response.status_code == 200
    page = text(response)
    assert step_url(case, "aanmelden") not in links(response)
    assert "Aanmelden bij Crossroads" in page
    assert guards.ipva_aanwezig.reason in page
    assert guards.telefonisch_overleg_vastgelegd.reason in page


def test_toegang_gets_the_aanmelden_link_once_ready(client, toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    client.force_login(toegang_user)

    response = client.get(case_url(case))

    assert links(response).get(step_url(case, "aanmelden")) == "Aanmelden bij Crossroads"
    assert guards.ipva_aanwezig.reason not in text(response)


def test_a_role_that_may_not_act_sees_why(client, tilburg, toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    gw = make_user("gedragswetenschapper", gem=tilburg)
    client.force_login(gw)

    response = client.get(case_url(case))

    assert step_url(case, "aanmelden") not in links(response)
    assert guards.may_aanmelden.reason in text(response)


def test_aanmeldpunt_after_the_gesprek_sees_start_and_terugverwijzen_blocked(client, aanmeldpunt_user):
    case = build_case(stage="gehouden", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)

    response = client.get(case_url(case))

    found = links(response)
    page = text(response)
    assert step_url(case, "start_hulpverlening") not in found
    assert step_url(case, "terugverwijzen") not in found
    assert guards.advies_segment1.reason in page
    assert guards.advies_niet_segment1.reason in page
    assert guards.verwijzer_geraadpleegd.reason in page
    # Ending the case early is possible in every open phase.
    assert found.get(step_url(case, "voortijdig_beeindigen")) == "Voortijdig beëindigen"


def test_aanmeldpunt_with_a_segment1_advice_gets_the_start_link(client, aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)

    response = client.get(case_url(case))

    found = links(response)
    assert found.get(step_url(case, "start_hulpverlening")) == "Hulpverlening starten"
    assert step_url(case, "terugverwijzen") not in found
    assert guards.advies_niet_segment1.reason in text(response)


def test_medisch_domein_case_shows_that_coordination_is_missing(client, aanmeldpunt_user):
    case = build_case(stage="advies", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)

    response = client.get(case_url(case))

    assert step_url(case, "start_hulpverlening") not in links(response)
    assert guards.coordinatie_aangevraagd.reason in text(response)
    assert reverse("coordination:request", args=[case.public_id]) in links(response)


def test_coordination_request_page_then_start(client, aanmeldpunt_user):
    case = build_case(stage="advies", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user, age_years=13)
    client.force_login(aanmeldpunt_user)
    url = reverse("coordination:request", args=[case.public_id])

    wrong = client.post(url, {"given_by": "ouders", "given_on": TODAY.isoformat()})
    assert wrong.status_code == 200
    assert "toestemming nodig van: ouders en jeugdige" in read_page(wrong).by_id.get("id_given_by_error", "")
    assert Case.objects.get(pk=case.pk).coordinatie_aangevraagd_op is None

    right = client.post(url, {"given_by": "ouders_en_jeugdige", "given_on": TODAY.isoformat()})
    assert right.status_code == 302
    response = client.get(case_url(case))
    assert step_url(case, "start_hulpverlening") in links(response)


def test_post_the_step_with_the_phase_seen(client, aanmeldpunt_user, sterk_huis):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis)
    client.force_login(aanmeldpunt_user)
    before = event_ids(case)

    form = client.get(step_url(case, "start_hulpverlening"))
    assert read_page(form).values["expected_phase"] == [Phase.AANMELD]
    response = client.post(step_url(case, "start_hulpverlening"), {"expected_phase": Phase.AANMELD}, follow=True)

    assert response.redirect_chain[-1][0] == case_url(case)
    assert "De casus is nu in de hulpverlenende fase" in text(response)
    assert phase_in_db(case) == Phase.HULPVERLENEND
    events = new_events(case, before)
    assert [(e.kind, e.actor, e.from_phase, e.to_phase) for e in events] == [
        ("hulpverlening_gestart", aanmeldpunt_user, Phase.AANMELD, Phase.HULPVERLENEND)
    ]


def test_toegang_submits_through_the_page(client, toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    client.force_login(toegang_user)

    response = client.post(step_url(case, "aanmelden"), {"expected_phase": Phase.CONCEPT}, follow=True)

    assert "De casus is nu in de aanmeldfase" in text(response)
    case.refresh_from_db()
    assert case.phase == Phase.AANMELD
    assert case.aanmelddatum == TODAY


def test_terugverwijzen_through_the_page(client, aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user, segment1=False)
    client.force_login(aanmeldpunt_user)

    client.post(
        step_url(case, "terugverwijzen"), {"expected_phase": Phase.AANMELD, "toelichting": "Segment 3 past beter."}
    )

    assert phase_in_db(case) == Phase.TERUGVERWEZEN
    assert new_events(case, set())[0].reason == "Segment 3 past beter."


@pytest.mark.parametrize(
    ("name", "stage", "data"),
    [
        ("start_hulpverlening", "advies", {}),
        ("voortijdig_beeindigen", "advies", {"reden": "wlz", "toelichting": "Wlz-indicatie."}),
    ],
)
def test_a_stale_page_changes_nothing_and_says_so_in_dutch(client, aanmeldpunt_user, name, stage, data):
    case = build_case(stage=stage, aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)
    before = event_ids(case)

    # The page was loaded while the case was still a concept; someone else moved it on since.
    response = client.post(step_url(case, name), {"expected_phase": Phase.CONCEPT, **data}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == case_url(case)
    assert STALE_MESSAGE in text(response)
    assert phase_in_db(case) == Phase.AANMELD
    assert event_ids(case) == before


def test_a_step_already_taken_by_someone_else_is_reported_as_stale(client, aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    colleague = make_user("aanmeldpunt")
    client.force_login(aanmeldpunt_user)
    form = client.get(step_url(case, "start_hulpverlening"))
    seen = read_page(form).values["expected_phase"][0]

    client.force_login(colleague)
    client.post(step_url(case, "start_hulpverlening"), {"expected_phase": seen})
    before = event_ids(case)
    client.force_login(aanmeldpunt_user)
    response = client.post(step_url(case, "start_hulpverlening"), {"expected_phase": seen}, follow=True)

    assert STALE_MESSAGE in text(response)
    assert event_ids(case) == before
    assert [e.actor for e in new_events(case, set()) if e.kind == "hulpverlening_gestart"] == [colleague]


def test_a_refused_step_posted_anyway_shows_the_reasons(client, aanmeldpunt_user):
    case = build_case(stage="gehouden", aanmeldpunt_user=aanmeldpunt_user)
    client.force_login(aanmeldpunt_user)
    before = event_ids(case)

    response = client.post(step_url(case, "start_hulpverlening"), {"expected_phase": Phase.AANMELD}, follow=True)

    assert guards.advies_segment1.reason in text(response)
    assert phase_in_db(case) == Phase.AANMELD
    assert event_ids(case) == before


def test_a_role_without_the_right_gets_403_and_nothing_changes(client, tilburg):
    case = build_case(stage="advies")
    gw = make_user("gedragswetenschapper", gem=tilburg)
    client.force_login(gw)
    before = event_ids(case)

    response = client.post(step_url(case, "start_hulpverlening"), {"expected_phase": Phase.AANMELD})

    assert response.status_code == 403
    assert phase_in_db(case) == Phase.AANMELD
    assert event_ids(case) == before
