"""The four phase transitions of the aanmeldfase, through the real services (referrals.services).

For each: who may fire it, that every other role is refused, that every guard refuses with its own
Dutch reason and leaves the case untouched, and that a successful step writes exactly one timeline
event with actor, from and to phase.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import Consent
from coordination.services import request_coordination
from referrals import guards, services
from referrals.models import Case, CaseEvent, Leefgebied, Phase
from tests import factories
from tests.factories import build_case
from tests.helpers import (
    FAST_HASHERS,
    NOW,
    TODAY,
    event_ids,
    make_user,
    new_events,
    phase_in_db,
    roles_except,
    years_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def assert_one_transition_event(case, before, *, kind, actor, from_phase, to_phase):
    events = new_events(case, before)
    assert len(events) == 1, [e.kind for e in events]
    (event,) = events
    assert event.kind == kind
    assert event.actor == actor
    assert event.actor_role == actor.role
    assert event.from_phase == from_phase
    assert event.to_phase == to_phase
    return event


def assert_unchanged(case, before, phase):
    assert phase_in_db(case) == phase
    assert event_ids(case) == before


def refused_reasons(call) -> list[str]:
    with pytest.raises(services.TransitionRefused) as info:
        call()
    return info.value.reasons


# --- aanmelden -------------------------------------------------------------------------------------


def test_toegang_worker_submits_a_toegang_referral(toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    before = event_ids(case)

    services.aanmelden(actor=toegang_user, case=case)

    case.refresh_from_db()
    assert case.phase == Phase.AANMELD
    assert case.aanmelddatum == TODAY
    # In the same step the verwijzer becomes coördinator licht (coordination app, ADR 0009).
    defaults = {e.pk: e.kind for e in new_events(case, before) if e.kind != "aangemeld"}
    assert sorted(defaults.values()) == ["coordinatie_vastgesteld", "coordinator_toegewezen"]
    assert_one_transition_event(
        case,
        before | set(defaults),
        kind="aangemeld",
        actor=toegang_user,
        from_phase=Phase.CONCEPT,
        to_phase=Phase.AANMELD,
    )


@pytest.mark.parametrize("route", ["medisch_domein", "gi", "overgangsclient", "lta"])
def test_aanmeldpunt_registers_the_aanmelding_of_the_other_routes(route, aanmeldpunt_user):
    case = build_case(stage="concept", route=route, aanmeldpunt_user=aanmeldpunt_user)
    before = event_ids(case)

    services.aanmelden(actor=aanmeldpunt_user, case=case, aanmelddatum=TODAY - timedelta(days=2))

    case.refresh_from_db()
    assert case.phase == Phase.AANMELD
    assert case.aanmelddatum == TODAY - timedelta(days=2)
    assert_one_transition_event(
        case, before, kind="aangemeld", actor=aanmeldpunt_user, from_phase=Phase.CONCEPT, to_phase=Phase.AANMELD
    )


@pytest.mark.parametrize("role", roles_except("toegang_medewerker"))
def test_only_the_toegang_submits_a_toegang_referral(role, toegang_user, tilburg):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    before = event_ids(case)
    other = make_user(role, gem=tilburg)

    with pytest.raises(PermissionDenied):
        services.aanmelden(actor=other, case=case)

    assert_unchanged(case, before, Phase.CONCEPT)
    assert Case.objects.get(pk=case.pk).aanmelddatum is None


@pytest.mark.parametrize("route", ["medisch_domein", "gi", "overgangsclient", "lta"])
@pytest.mark.parametrize("role", roles_except("aanmeldpunt"))
def test_only_the_aanmeldpunt_submits_the_other_routes(route, role, tilburg):
    case = build_case(stage="concept", route=route)
    before = event_ids(case)
    other = make_user(role, gem=tilburg)

    with pytest.raises(PermissionDenied):
        services.aanmelden(actor=other, case=case)

    assert_unchanged(case, before, Phase.CONCEPT)


def test_aanmelden_refused_without_ipva(toegang_user):
    case = build_case(stage="concept", toegang_user=toegang_user)
    services.record_phone_consultation(
        actor=toegang_user, case=case, datum=TODAY, contactpersoon="Ellen", samenvatting="Besproken."
    )
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.aanmelden(actor=toegang_user, case=case))

    assert reasons == [guards.ipva_aanwezig.reason]
    assert_unchanged(case, before, Phase.CONCEPT)


def test_aanmelden_refused_with_an_ipva_that_misses_a_leefgebied(toegang_user):
    case = build_case(stage="concept", toegang_user=toegang_user)
    services.record_phone_consultation(
        actor=toegang_user, case=case, datum=TODAY, contactpersoon="Ellen", samenvatting="Besproken."
    )
    texts = dict.fromkeys(Leefgebied.values, "Analyse.")
    texts[Leefgebied.WONEN_FINANCIEN] = "   "
    services.save_ipva(actor=toegang_user, case=case, texts=texts)
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.aanmelden(actor=toegang_user, case=case))

    assert guards.ipva_aanwezig.reason in reasons
    assert_unchanged(case, before, Phase.CONCEPT)


def test_an_uploaded_ipva_document_counts_as_the_ipva(toegang_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = build_case(stage="concept", toegang_user=toegang_user)
    services.record_phone_consultation(
        actor=toegang_user, case=case, datum=TODAY, contactpersoon="Ellen", samenvatting="Besproken."
    )
    services.store_document(
        actor=toegang_user,
        case=case,
        kind="ipva",
        title="IPVA",
        uploaded_file=SimpleUploadedFile("ipva.pdf", b"%PDF-1.7\n...", content_type="application/pdf"),
    )

    services.aanmelden(actor=toegang_user, case=Case.objects.get(pk=case.pk))

    assert phase_in_db(case) == Phase.AANMELD


def test_aanmelden_refused_without_the_phone_consultation(toegang_user):
    case = build_case(stage="concept", toegang_user=toegang_user)
    services.save_ipva(actor=toegang_user, case=case, texts=dict.fromkeys(Leefgebied.values, "Analyse."))
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.aanmelden(actor=toegang_user, case=case))

    assert reasons == [guards.telefonisch_overleg_vastgelegd.reason]
    assert_unchanged(case, before, Phase.CONCEPT)


def test_aanmelden_refused_when_the_referral_data_is_incomplete(aanmeldpunt_user, tilburg):
    # The service accepts a blank verwijzer name; the guard is the last line that stops the aanmelding.
    (case,) = services.register_case(
        actor=aanmeldpunt_user,
        gezin_naam="Jansen",
        jeugdigen=[factories.youth()],
        gemeente=tilburg,
        route="medisch_domein",
        verwijzer_type="huisarts",
        verwijzer_naam="   ",
    )
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.aanmelden(actor=aanmeldpunt_user, case=case))

    assert reasons == [guards.gegevens_compleet.reason]
    assert_unchanged(case, before, Phase.CONCEPT)


def test_aanmelden_refused_once_the_youth_is_18(aanmeldpunt_user, time_machine):
    # Referred by the huisarts yesterday (TODAY), the day before the 18th birthday; submitted a day later.
    case = build_case(
        stage="concept",
        route="medisch_domein",
        aanmeldpunt_user=aanmeldpunt_user,
        geboortedatum=years_ago(18) + timedelta(days=1),
    )
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    before = event_ids(case)

    reasons = refused_reasons(
        lambda: services.aanmelden(actor=aanmeldpunt_user, case=Case.objects.get(pk=case.pk), aanmelddatum=TODAY)
    )

    assert reasons == [guards.jonger_dan_18.reason]
    assert_unchanged(case, before, Phase.CONCEPT)


def test_toegang_cannot_submit_for_a_youth_who_is_18_today(toegang_user, time_machine):
    case = build_case(stage="voorbereid", toegang_user=toegang_user, geboortedatum=years_ago(18) + timedelta(days=1))
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    before = event_ids(case)

    with pytest.raises(ValidationError) as info:
        services.aanmelden(actor=toegang_user, case=Case.objects.get(pk=case.pk))

    assert "18 jaar" in " ".join(info.value.message_dict["aanmelddatum"])
    assert_unchanged(case, before, Phase.CONCEPT)


def test_aanmelddatum_cannot_be_in_the_future(aanmeldpunt_user):
    case = build_case(stage="concept", route="gi", aanmeldpunt_user=aanmeldpunt_user)
    before = event_ids(case)

    with pytest.raises(ValidationError) as info:
        services.aanmelden(actor=aanmeldpunt_user, case=case, aanmelddatum=TODAY + timedelta(days=1))

    assert "toekomst" in " ".join(info.value.message_dict["aanmelddatum"])
    assert_unchanged(case, before, Phase.CONCEPT)


def test_aanmelden_twice_is_refused(toegang_user):
    case = build_case(stage="aanmeld", toegang_user=toegang_user)
    before = event_ids(case)

    reasons = refused_reasons(
        lambda: services.aanmelden(actor=toegang_user, case=Case.objects.get(pk=case.pk), expected_phase=Phase.AANMELD)
    )

    assert reasons and "niet mogelijk" in reasons[0]
    assert_unchanged(case, before, Phase.AANMELD)


# --- start hulpverlening ---------------------------------------------------------------------------


def test_aanmeldpunt_starts_care_with_the_advised_partner_as_regie(aanmeldpunt_user, sterk_huis):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis)
    before = event_ids(case)

    services.start_hulpverlening(actor=aanmeldpunt_user, case=case)

    case.refresh_from_db()
    assert case.phase == Phase.HULPVERLENEND
    assert case.regie_organisatie == sterk_huis
    assert_one_transition_event(
        case,
        before,
        kind="hulpverlening_gestart",
        actor=aanmeldpunt_user,
        from_phase=Phase.AANMELD,
        to_phase=Phase.HULPVERLENEND,
    )


@pytest.mark.parametrize("role", roles_except("aanmeldpunt"))
def test_only_the_aanmeldpunt_starts_care(role, tilburg, sterk_huis):
    case = build_case(stage="advies", partner_org=sterk_huis)
    before = event_ids(case)
    other = make_user(role, gem=tilburg, partner_org=sterk_huis)

    with pytest.raises(PermissionDenied):
        services.start_hulpverlening(actor=other, case=case)

    assert_unchanged(case, before, Phase.AANMELD)
    assert Case.objects.get(pk=case.pk).regie_organisatie is None


@pytest.mark.parametrize(
    ("stage", "segment1", "reason"),
    [
        ("gepland", True, guards.aanmeldgesprek_gehouden.reason),
        ("gehouden", True, guards.advies_segment1.reason),
        ("advies", False, guards.advies_segment1.reason),
    ],
)
def test_start_refused_until_gesprek_and_advice(stage, segment1, reason, aanmeldpunt_user):
    case = build_case(stage=stage, aanmeldpunt_user=aanmeldpunt_user, segment1=segment1)
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.start_hulpverlening(actor=aanmeldpunt_user, case=case))

    assert reason in reasons
    assert_unchanged(case, before, Phase.AANMELD)


@pytest.mark.parametrize("route", ["medisch_domein", "overgangsclient"])
def test_start_refused_until_coordination_is_requested(route, aanmeldpunt_user):
    case = build_case(stage="advies", route=route, aanmeldpunt_user=aanmeldpunt_user)
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.start_hulpverlening(actor=aanmeldpunt_user, case=case))

    assert reasons == [guards.coordinatie_aangevraagd.reason]
    assert_unchanged(case, before, Phase.AANMELD)


def test_toegang_and_gi_routes_need_no_coordination_request(aanmeldpunt_user):
    case = build_case(stage="advies", route="gi", aanmeldpunt_user=aanmeldpunt_user)

    services.start_hulpverlening(actor=aanmeldpunt_user, case=case)

    assert phase_in_db(case) == Phase.HULPVERLENEND


@pytest.mark.parametrize(
    ("born", "giver"),
    [
        (years_ago(12) + timedelta(days=1), "ouders"),  # 11, turns 12 tomorrow
        (years_ago(12), "ouders_en_jeugdige"),  # 12 today
        (years_ago(16) + timedelta(days=1), "ouders_en_jeugdige"),  # 15
        (years_ago(16), "jeugdige"),  # 16 today
        (years_ago(17), "jeugdige"),
    ],
)
def test_medisch_domein_starts_after_consent_of_the_right_people(born, giver, aanmeldpunt_user):
    case = build_case(stage="advies", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user, geboortedatum=born)

    request_coordination(actor=aanmeldpunt_user, case=case, given_by=giver, given_on=TODAY)
    case = Case.objects.get(pk=case.pk)
    assert case.coordinatie_aangevraagd_op is not None
    before = event_ids(case)
    services.start_hulpverlening(actor=aanmeldpunt_user, case=case)

    assert phase_in_db(case) == Phase.HULPVERLENEND
    assert [e.kind for e in new_events(case, before)] == ["hulpverlening_gestart"]


@pytest.mark.parametrize(
    ("born", "wrong_giver"),
    [
        (years_ago(11), "ouders_en_jeugdige"),
        (years_ago(11), "jeugdige"),
        (years_ago(12), "ouders"),
        (years_ago(15), "jeugdige"),
        (years_ago(16), "ouders"),
        (years_ago(16), "ouders_en_jeugdige"),
    ],
)
def test_consent_of_the_wrong_people_is_refused(born, wrong_giver, aanmeldpunt_user):
    case = build_case(stage="advies", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user, geboortedatum=born)
    before = event_ids(case)

    with pytest.raises(ValidationError) as info:
        request_coordination(actor=aanmeldpunt_user, case=case, given_by=wrong_giver, given_on=TODAY)

    assert "toestemming nodig van" in " ".join(info.value.message_dict["given_by"])
    assert not Consent.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).coordinatie_aangevraagd_op is None
    assert_unchanged(case, before, Phase.AANMELD)
    reasons = refused_reasons(
        lambda: services.start_hulpverlening(actor=aanmeldpunt_user, case=Case.objects.get(pk=case.pk))
    )
    assert reasons == [guards.coordinatie_aangevraagd.reason]


def test_consent_follows_the_age_on_the_day_it_was_given(aanmeldpunt_user):
    # 12 today, but the parents consented last week, when the youth was still 11.
    case = build_case(
        stage="advies", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user, geboortedatum=years_ago(12)
    )
    last_week = TODAY - timedelta(days=7)

    with pytest.raises(ValidationError):
        request_coordination(actor=aanmeldpunt_user, case=case, given_by="ouders_en_jeugdige", given_on=last_week)
    request_coordination(actor=aanmeldpunt_user, case=case, given_by="ouders", given_on=last_week)

    assert Consent.objects.get(case=case).given_by == "ouders"


def test_only_aanmeldpunt_or_regievoerder_request_coordination(toegang_user):
    case = build_case(stage="advies", route="medisch_domein")
    before = event_ids(case)

    with pytest.raises(PermissionDenied):
        request_coordination(actor=toegang_user, case=case, given_by="ouders_en_jeugdige", given_on=TODAY)

    assert_unchanged(case, before, Phase.AANMELD)
    assert not Consent.objects.filter(case=case).exists()


# --- terugverwijzen --------------------------------------------------------------------------------


def test_aanmeldpunt_refers_back_with_the_advised_segment(aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user, segment1=False)
    before = event_ids(case)

    services.terugverwijzen(actor=aanmeldpunt_user, case=case, toelichting="Segment 3 past beter.")

    case.refresh_from_db()
    assert case.phase == Phase.TERUGVERWEZEN
    assert case.geadviseerd_segment == "3"
    event = assert_one_transition_event(
        case,
        before,
        kind="terugverwezen",
        actor=aanmeldpunt_user,
        from_phase=Phase.AANMELD,
        to_phase=Phase.TERUGVERWEZEN,
    )
    assert event.reason == "Segment 3 past beter."


@pytest.mark.parametrize("role", roles_except("aanmeldpunt"))
def test_only_the_aanmeldpunt_refers_back(role, tilburg):
    case = build_case(stage="advies", segment1=False)
    before = event_ids(case)

    with pytest.raises(PermissionDenied):
        services.terugverwijzen(actor=make_user(role, gem=tilburg), case=case)

    assert_unchanged(case, before, Phase.AANMELD)


@pytest.mark.parametrize(
    ("stage", "segment1", "reason"),
    [
        ("gepland", False, guards.aanmeldgesprek_gehouden.reason),
        ("gehouden", False, guards.advies_niet_segment1.reason),
        ("advies", True, guards.advies_niet_segment1.reason),
    ],
)
def test_refer_back_refused_without_a_not_segment1_advice(stage, segment1, reason, aanmeldpunt_user):
    case = build_case(stage=stage, aanmeldpunt_user=aanmeldpunt_user, segment1=segment1)
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.terugverwijzen(actor=aanmeldpunt_user, case=case))

    assert reason in reasons
    assert_unchanged(case, before, Phase.AANMELD)


def test_refer_back_refused_until_the_verwijzer_is_consulted(aanmeldpunt_user):
    case = build_case(stage="gehouden", aanmeldpunt_user=aanmeldpunt_user)
    services.record_aanmeldtafel_advies(
        actor=aanmeldpunt_user,
        case=case,
        datum=TODAY,
        segment1_nodig=False,
        regie_partner=None,
        hulpvorm="",
        geadviseerd_segment="2",
        verwijzer_geraadpleegd_op=None,
    )
    case = Case.objects.get(pk=case.pk)
    before = event_ids(case)

    reasons = refused_reasons(lambda: services.terugverwijzen(actor=aanmeldpunt_user, case=case))

    assert reasons == [guards.verwijzer_geraadpleegd.reason]
    assert_unchanged(case, before, Phase.AANMELD)


# --- voortijdig beëindigen -------------------------------------------------------------------------


def test_aanmeldpunt_ends_a_case_in_the_aanmeldfase(aanmeldpunt_user):
    case = build_case(stage="gepland", aanmeldpunt_user=aanmeldpunt_user)
    before = event_ids(case)

    services.voortijdig_beeindigen(
        actor=aanmeldpunt_user,
        case=case,
        expected_phase=Phase.AANMELD,
        reden="verhuisd",
        toelichting="Overgedragen aan Toegang Breda op 9 maart.",
    )

    case.refresh_from_db()
    assert case.phase == Phase.AFGESLOTEN
    assert case.einde_reden == "verhuisd"
    event = assert_one_transition_event(
        case,
        before,
        kind="voortijdig_beeindigd",
        actor=aanmeldpunt_user,
        from_phase=Phase.AANMELD,
        to_phase=Phase.AFGESLOTEN,
    )
    assert "Toegang Breda" in event.reason


def test_regievoerder_of_the_regie_partner_ends_a_case_in_care(sterk_huis, regievoerder):
    case = build_case(stage="hulpverlenend", partner_org=sterk_huis)
    before = event_ids(case)

    services.voortijdig_beeindigen(
        actor=regievoerder,
        case=case,
        expected_phase=Phase.HULPVERLENEND,
        reden="wlz",
        toelichting="Wlz-indicatie afgegeven.",
    )

    assert phase_in_db(case) == Phase.AFGESLOTEN
    assert_one_transition_event(
        case,
        before,
        kind="voortijdig_beeindigd",
        actor=regievoerder,
        from_phase=Phase.HULPVERLENEND,
        to_phase=Phase.AFGESLOTEN,
    )


def test_regievoerder_of_another_partner_cannot_end_the_case(sterk_huis):
    case = build_case(stage="hulpverlenend", partner_org=sterk_huis)
    before = event_ids(case)
    stranger = make_user("regievoerder", partner_org=factories.partner("Amarant", "80000303"))

    with pytest.raises(PermissionDenied):
        services.voortijdig_beeindigen(
            actor=stranger, case=case, expected_phase=Phase.HULPVERLENEND, reden="wlz", toelichting="Wlz."
        )

    assert_unchanged(case, before, Phase.HULPVERLENEND)


def test_no_regievoerder_ends_a_case_before_care_started(sterk_huis, regievoerder):
    case = build_case(stage="advies", partner_org=sterk_huis)
    before = event_ids(case)

    with pytest.raises(PermissionDenied):
        services.voortijdig_beeindigen(
            actor=regievoerder, case=case, expected_phase=Phase.AANMELD, reden="wlz", toelichting="Wlz."
        )

    assert_unchanged(case, before, Phase.AANMELD)


@pytest.mark.parametrize("role", roles_except("aanmeldpunt", "regievoerder"))
def test_other_roles_cannot_end_a_case(role, tilburg):
    case = build_case(stage="gepland")
    before = event_ids(case)

    with pytest.raises(PermissionDenied):
        services.voortijdig_beeindigen(
            actor=make_user(role, gem=tilburg),
            case=case,
            expected_phase=Phase.AANMELD,
            reden="geen_hulpvraag",
            toelichting="Gezin ziet af van hulp.",
        )

    assert_unchanged(case, before, Phase.AANMELD)


@pytest.mark.parametrize(
    ("reden", "toelichting", "field"),
    [("", "Toelichting.", "reden"), ("onzin", "Toelichting.", "reden"), ("verhuisd", "  ", "toelichting")],
)
def test_ending_needs_a_reason_and_an_explanation(reden, toelichting, field, aanmeldpunt_user):
    case = build_case(stage="gepland", aanmeldpunt_user=aanmeldpunt_user)
    before = event_ids(case)

    with pytest.raises(ValidationError) as info:
        services.voortijdig_beeindigen(
            actor=aanmeldpunt_user, case=case, expected_phase=Phase.AANMELD, reden=reden, toelichting=toelichting
        )

    assert info.value.message_dict[field]
    assert_unchanged(case, before, Phase.AANMELD)


@pytest.mark.parametrize(("stage", "phase"), [("concept", Phase.CONCEPT), ("terugverwezen", Phase.TERUGVERWEZEN)])
def test_a_case_outside_the_open_phases_cannot_be_ended(stage, phase, aanmeldpunt_user):
    case = build_case(stage=stage, route="gi", aanmeldpunt_user=aanmeldpunt_user, segment1=False)
    before = event_ids(case)

    reasons = refused_reasons(
        lambda: services.voortijdig_beeindigen(
            actor=aanmeldpunt_user, case=case, expected_phase=phase, reden="wlz", toelichting="Wlz."
        )
    )

    assert "niet mogelijk" in reasons[0]
    assert_unchanged(case, before, phase)


def test_every_step_of_the_intake_leaves_one_event_per_transition(toegang_user, aanmeldpunt_user):
    case = build_case(stage="hulpverlenend", toegang_user=toegang_user, aanmeldpunt_user=aanmeldpunt_user)

    transitions = CaseEvent.objects.filter(case=case).exclude(from_phase="").order_by("at", "id")

    assert [(e.kind, e.from_phase, e.to_phase, e.actor) for e in transitions] == [
        ("aangemeld", Phase.CONCEPT, Phase.AANMELD, toegang_user),
        ("hulpverlening_gestart", Phase.AANMELD, Phase.HULPVERLENEND, aanmeldpunt_user),
    ]
