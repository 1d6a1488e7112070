"""Every transition of the coordination level machine (DOMAIN.md section 5), through the real services:
allowed for the right person, refused by each guard with its Dutch reason, refused for every other role,
and nothing changed when refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coordination import guards, services
from coordination.models import Coordination, Decision, Level, required_consent_giver
from coordination.services.level import fire_transition
from referrals import services as case_services
from referrals.models import CaseEvent, CaseRoleHolder, Phase
from referrals.services import StaleCase, TransitionRefused
from tests import factories
from tests.factories import build_case
from tests.helpers import TODAY, event_ids, make_user, roles_except

from .helpers import eindevaluatie, event_kinds, fresh, joint, level_of, substitute_for, to_zwaar, toegang_case

pytestmark = pytest.mark.django_db


def assert_nothing_changed(case, before_events, level):
    assert level_of(case) == level
    assert event_ids(case) == before_events


def refused(call) -> list[str]:
    with pytest.raises(TransitionRefused) as info:
        call()
    return info.value.reasons


def requested_case(route="medisch_domein", **kw):
    """A medisch domein case in the aanmeldfase for which Crossroads asked the Toegang to coordinate."""
    aanmeldpunt = make_user("aanmeldpunt")
    case = build_case(stage="advies", route=route, aanmeldpunt_user=aanmeldpunt, **kw)
    giver = required_consent_giver(case.jeugdige.age_on(TODAY))
    services.request_coordination(actor=aanmeldpunt, case=case, given_by=giver, given_on=TODAY)
    return fresh(case), aanmeldpunt


# --- default: the verwijzer is coördinator licht -----------------------------------------------------------


def test_the_toegang_verwijzer_becomes_coordinator_licht_on_aanmelding(toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    before = event_ids(case)

    case_services.aanmelden(actor=toegang_user, case=case)

    case = fresh(case)
    assert case.coordinator == toegang_user
    assert level_of(case) == Level.LICHT
    assert Coordination.objects.get(case=case).besloten_op is None  # the default, not yet a joint decision
    holder = CaseRoleHolder.objects.get(case=case, role="coordinator")
    assert (holder.user, holder.ended_at) == (toegang_user, None)
    assert event_kinds(case, before) == ["aangemeld", "coordinator_toegewezen", "coordinatie_vastgesteld"]
    decision = Decision.objects.get(coordination__case=case)
    assert (decision.kind, decision.from_level, decision.to_level) == ("standaard", "geen", "licht")


@pytest.mark.parametrize("route", ["medisch_domein", "gi", "overgangsclient", "lta"])
def test_other_routes_start_without_coordination(route, aanmeldpunt_user):
    case = build_case(stage="aanmeld", route=route, aanmeldpunt_user=aanmeldpunt_user)
    assert level_of(case) == Level.GEEN
    assert fresh(case).coordinator is None


def test_a_refused_aanmelding_leaves_no_coordinator(toegang_user):
    case = build_case(stage="concept", toegang_user=toegang_user)  # no IPVA, no phone consultation
    with pytest.raises(TransitionRefused):
        case_services.aanmelden(actor=toegang_user, case=case)
    assert fresh(case).coordinator is None
    assert not Coordination.objects.filter(case=case).exists()


# --- aanvragen (geen -> aangevraagd) ------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["medisch_domein", "overgangsclient"])
def test_aanmeldpunt_requests_coordination_after_consent(route):
    case, _ = requested_case(route=route)
    assert level_of(case) == Level.AANGEVRAAGD
    assert case.coordinatie_aangevraagd_op is not None
    assert event_kinds(case)[-1] == "coordinatie_aangevraagd"
    assert case.consents.get().subject == "coordinatie"


def test_the_regievoerder_requests_coordination_during_care(sterk_huis):
    case = build_case(stage="hulpverlenend", route="gi", partner_org=sterk_huis)
    regievoerder = factories.UserFactory(role="regievoerder", organisation=sterk_huis)

    services.request_coordination(actor=regievoerder, case=case, given_by="ouders_en_jeugdige", given_on=TODAY)

    assert level_of(case) == Level.AANGEVRAAGD


def test_aanvragen_refused_for_a_toegang_referral_which_has_its_coordinator(aanmeldpunt_user):
    p = toegang_case(stage="advies")
    before = event_ids(p.case)

    reasons = refused(
        lambda: services.request_coordination(
            actor=p.aanmeldpunt, case=p.case, given_by="ouders_en_jeugdige", given_on=TODAY
        )
    )

    assert reasons == [f"Deze stap is niet mogelijk bij {Level.LICHT.label.lower()}."]
    assert_nothing_changed(p.case, before, Level.LICHT)


def test_aanvragen_refused_by_guard_for_a_case_not_yet_aangemeld(aanmeldpunt_user):
    case = build_case(stage="concept", route="medisch_domein", aanmeldpunt_user=aanmeldpunt_user)
    before = event_ids(case)

    reasons = refused(
        lambda: services.request_coordination(
            actor=aanmeldpunt_user, case=case, given_by="ouders_en_jeugdige", given_on=TODAY
        )
    )

    assert reasons == [guards.casus_open.reason]
    assert_nothing_changed(case, before, Level.GEEN)
    assert not case.consents.exists()


def test_aanvragen_refused_by_guard_for_the_toegang_route_without_coordination_yet(toegang_user, aanmeldpunt_user):
    """A Toegang referral whose verwijzer left the Toegang has no default coördinator: still no aanvragen."""
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    toegang_user.role = "gedragswetenschapper"
    toegang_user.save()
    case_services.aanmelden(actor=make_user("toegang_medewerker", gem=case.gemeente), case=fresh(case))
    assert level_of(case) == Level.GEEN
    before = event_ids(case)

    reasons = refused(
        lambda: services.request_coordination(
            actor=aanmeldpunt_user, case=fresh(case), given_by="ouders_en_jeugdige", given_on=TODAY
        )
    )

    assert reasons == [guards.niet_route_toegang.reason]
    assert_nothing_changed(case, before, Level.GEEN)


def test_the_machine_refuses_aanvragen_without_consent():
    """The guard itself: the request service always records the consent first."""
    case = build_case(stage="advies", route="medisch_domein")
    coordination = Coordination(case=case)
    assert not guards.toestemming_coordinatie(coordination)


@pytest.mark.parametrize("role", roles_except("aanmeldpunt", "regievoerder"))
def test_aanvragen_refused_for_other_roles(role):
    case = build_case(stage="advies", route="medisch_domein")
    before = event_ids(case)
    with pytest.raises(PermissionDenied):
        services.request_coordination(
            actor=make_user(role, gem=case.gemeente), case=case, given_by="ouders_en_jeugdige", given_on=TODAY
        )
    assert_nothing_changed(case, before, Level.GEEN)


def test_aanvragen_refused_for_a_regievoerder_of_another_organisation(sterk_huis):
    case = build_case(stage="hulpverlenend", route="gi", partner_org=sterk_huis)
    other = make_user("regievoerder", partner_org=factories.partner("Amarant", "80000303"))
    before = event_ids(case)
    with pytest.raises(PermissionDenied):
        services.request_coordination(actor=other, case=case, given_by="ouders_en_jeugdige", given_on=TODAY)
    assert_nothing_changed(case, before, Level.GEEN)


# --- toewijzen and vaststellen (geen/aangevraagd -> licht/zwaar) -------------------------------------------


@pytest.mark.parametrize("level", ["licht", "zwaar"])
@pytest.mark.parametrize("decider", ["toegang_medewerker", "gedragswetenschapper"])
def test_the_toegang_assigns_a_coordinator_and_sets_the_level(level, decider):
    case, _ = requested_case()
    actor = make_user(decider, gem=case.gemeente)
    coordinator = make_user("toegang_medewerker", gem=case.gemeente)
    before = event_ids(case)

    services.assign_coordinator(actor=actor, case=case, coordinator=coordinator, reason="Kent het gezin.")
    services.vaststellen(
        actor=actor, case=fresh(case), level=level, expected_level=Level.AANGEVRAAGD, decision=joint(toelichting="IPVA")
    )

    case = fresh(case)
    assert case.coordinator == coordinator
    assert level_of(case) == level
    assert event_kinds(case, before) == ["coordinator_toegewezen", "coordinatie_vastgesteld"]
    event = CaseEvent.objects.get(case=case, kind="coordinatie_vastgesteld")
    assert (event.actor, event.payload["van"], event.payload["naar"]) == (actor, "aangevraagd", level)
    decision = Decision.objects.get(coordination__case=case)
    assert decision.met_gedragswetenschapper and decision.met_crossroads
    assert decision.recorded_by == actor


def test_vaststellen_refused_by_guard_without_a_coordinator():
    case, _ = requested_case()
    toegang = make_user("toegang_medewerker", gem=case.gemeente)
    before = event_ids(case)

    reasons = refused(
        lambda: services.vaststellen(
            actor=toegang, case=case, level="licht", expected_level=Level.AANGEVRAAGD, decision=joint()
        )
    )

    assert reasons == [guards.coordinator_toegewezen.reason]
    assert_nothing_changed(case, before, Level.AANGEVRAAGD)


def test_vaststellen_refused_by_guard_once_the_level_was_jointly_set():
    p = toegang_case(stage="advies")
    toegang = make_user("toegang_medewerker", gem=p.case.gemeente)
    services.vaststellen(actor=toegang, case=p.case, level="zwaar", expected_level=Level.LICHT, decision=joint())
    before = event_ids(p.case)

    reasons = refused(
        lambda: services.vaststellen(
            actor=toegang, case=p.case, level="licht", expected_level=Level.ZWAAR, decision=joint()
        )
    )

    assert reasons == [f"Deze stap is niet mogelijk bij {Level.ZWAAR.label.lower()}."]
    to_licht = services.afschalen(
        actor=p.coordinator,
        case=p.case,
        expected_level=Level.ZWAAR,
        decision=joint(indicatoren=["positieve_ontwikkeling"]),
    )
    assert to_licht[0].level == Level.LICHT
    before = event_ids(p.case)
    reasons = refused(
        lambda: services.vaststellen(
            actor=toegang, case=p.case, level="zwaar", expected_level=Level.LICHT, decision=joint()
        )
    )
    assert reasons == [guards.niveau_nog_niet_besloten.reason]
    assert_nothing_changed(p.case, before, Level.LICHT)


def test_the_default_licht_can_be_set_zwaar_at_the_start():
    p = toegang_case(stage="aanmeld")
    services.vaststellen(
        actor=p.gedragswetenschapper, case=p.case, level="zwaar", expected_level=Level.LICHT, decision=joint()
    )
    assert level_of(p.case) == Level.ZWAAR


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("met_gedragswetenschapper", {"met_gedragswetenschapper": False}),
        ("met_crossroads", {"met_crossroads": False}),
        ("decided_on", {"decided_on": TODAY + timedelta(days=1)}),
        ("decided_on", {"decided_on": TODAY - timedelta(days=400)}),
        ("decided_on", {"decided_on": None}),
    ],
)
def test_vaststellen_bad_input_is_refused_at_the_field(field, change):
    case, _ = requested_case()
    toegang = make_user("toegang_medewerker", gem=case.gemeente)
    services.assign_coordinator(actor=toegang, case=case, coordinator=toegang)
    before = event_ids(case)

    with pytest.raises(ValidationError) as info:
        services.vaststellen(
            actor=toegang, case=fresh(case), level="licht", expected_level=Level.AANGEVRAAGD, decision=joint(**change)
        )

    assert list(info.value.message_dict) == [field]
    assert_nothing_changed(case, before, Level.AANGEVRAAGD)
    assert not Decision.objects.filter(coordination__case=case).exists()


@pytest.mark.parametrize("role", roles_except("toegang_medewerker", "gedragswetenschapper"))
def test_vaststellen_refused_for_other_roles(role):
    case, _ = requested_case()
    toegang = make_user("toegang_medewerker", gem=case.gemeente)
    services.assign_coordinator(actor=toegang, case=case, coordinator=toegang)
    before = event_ids(case)
    with pytest.raises(PermissionDenied):
        services.vaststellen(
            actor=make_user(role, gem=case.gemeente),
            case=fresh(case),
            level="licht",
            expected_level=Level.AANGEVRAAGD,
            decision=joint(),
        )
    assert_nothing_changed(case, before, Level.AANGEVRAAGD)


def test_vaststellen_and_toewijzen_refused_for_the_toegang_of_another_gemeente(waalwijk):
    case, _ = requested_case()
    elsewhere = make_user("toegang_medewerker", gem=waalwijk)
    before = event_ids(case)
    with pytest.raises(PermissionDenied):
        services.assign_coordinator(actor=elsewhere, case=case, coordinator=elsewhere)
    with pytest.raises(PermissionDenied):
        services.vaststellen(
            actor=elsewhere, case=case, level="licht", expected_level=Level.AANGEVRAAGD, decision=joint()
        )
    assert_nothing_changed(case, before, Level.AANGEVRAAGD)


@pytest.mark.parametrize("who", ["other_gemeente", "regievoerder", "gedragswetenschapper"])
def test_the_coordinator_is_a_toegang_worker_of_the_gemeente(who, waalwijk, sterk_huis):
    case, _ = requested_case()
    toegang = make_user("toegang_medewerker", gem=case.gemeente)
    candidate = {
        "other_gemeente": lambda: make_user("toegang_medewerker", gem=waalwijk),
        "regievoerder": lambda: make_user("regievoerder", partner_org=sterk_huis),
        "gedragswetenschapper": lambda: make_user("gedragswetenschapper", gem=case.gemeente),
    }[who]()
    before = event_ids(case)
    with pytest.raises(ValidationError) as info:
        services.assign_coordinator(actor=toegang, case=case, coordinator=candidate)
    assert "medewerker van de Toegang van Gemeente Tilburg" in info.value.message_dict["coordinator"][0]
    assert fresh(case).coordinator is None
    assert event_ids(case) == before


def test_a_new_coordinator_ends_the_previous_holders_role():
    p = toegang_case()
    colleague = make_user("toegang_medewerker", gem=p.case.gemeente)

    services.assign_coordinator(actor=p.coordinator, case=p.case, coordinator=colleague, reason="Overdracht")

    rows = list(CaseRoleHolder.objects.filter(case=p.case, role="coordinator").order_by("started_at", "pk"))
    assert [(a.user, a.ended_at is None) for a in rows] == [(p.coordinator, False), (colleague, True)]
    assert fresh(p.case).coordinator == colleague


# --- opschalen (licht -> zwaar) -----------------------------------------------------------------------------


def test_the_coordinator_scales_up_as_a_joint_decision():
    p = toegang_case()
    before = event_ids(p.case)

    services.opschalen(
        actor=p.coordinator,
        case=p.case,
        expected_level=Level.LICHT,
        decision=joint(redenen=["veiligheidsrisico", "gedwongen_kader"], toelichting="Politie betrokken."),
    )

    assert level_of(p.case) == Level.ZWAAR
    assert event_kinds(p.case, before) == ["opgeschaald"]
    event = CaseEvent.objects.get(case=p.case, kind="opgeschaald")
    assert "Toegenomen, aantoonbaar veiligheidsrisico" in event.reason
    assert event.payload["redenen"] == ["veiligheidsrisico", "gedwongen_kader"]
    decision = Decision.objects.get(coordination__case=p.case, kind="opgeschaald")
    assert decision.deelnemers == ["coördinator", "gedragswetenschapper Toegang", "regievoerder", "Crossroads"]
    assert decision.reden_labels == ["Toegenomen, aantoonbaar veiligheidsrisico", "Risico op het gedwongen kader"]


def test_a_substitute_of_the_coordinator_scales_up():
    p = toegang_case()
    colleague = make_user("toegang_medewerker", gem=p.case.gemeente)
    substitute_for(p.case, p.coordinator, colleague)
    services.opschalen(
        actor=colleague, case=fresh(p.case), expected_level=Level.LICHT, decision=joint(redenen=["veilig_thuis"])
    )
    assert level_of(p.case) == Level.ZWAAR


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("redenen", {"redenen": []}),
        ("redenen", {"redenen": ["onbekend"]}),
        ("met_regievoerder", {"redenen": ["veilig_thuis"], "met_regievoerder": False}),
        ("met_gedragswetenschapper", {"redenen": ["veilig_thuis"], "met_gedragswetenschapper": False}),
        ("met_coordinator", {"redenen": ["veilig_thuis"], "met_coordinator": False}),
        ("decided_on", {"redenen": ["veilig_thuis"], "decided_on": TODAY + timedelta(days=2)}),
    ],
)
def test_opschalen_bad_input_is_refused_at_the_field(field, change):
    p = toegang_case()
    before = event_ids(p.case)
    with pytest.raises(ValidationError) as info:
        services.opschalen(actor=p.coordinator, case=p.case, expected_level=Level.LICHT, decision=joint(**change))
    assert list(info.value.message_dict) == [field]
    assert_nothing_changed(p.case, before, Level.LICHT)


def test_opschalen_refused_by_guard_when_the_case_has_ended():
    p = toegang_case()
    case_services.voortijdig_beeindigen(
        actor=p.aanmeldpunt, case=p.case, expected_phase=Phase.HULPVERLENEND, reden="wlz", toelichting="Wlz."
    )
    before = event_ids(p.case)
    reasons = refused(
        lambda: services.opschalen(
            actor=p.coordinator,
            case=fresh(p.case),
            expected_level=Level.LICHT,
            decision=joint(redenen=["veilig_thuis"]),
        )
    )
    assert reasons == [guards.casus_open.reason]
    assert_nothing_changed(p.case, before, Level.LICHT)


@pytest.mark.parametrize("role", [*roles_except("toegang_medewerker"), "toegang_medewerker"])
def test_opschalen_refused_for_everyone_but_the_coordinator(role):
    p = toegang_case()
    other = make_user(role, gem=p.case.gemeente)  # a Toegang colleague is not the coördinator
    before = event_ids(p.case)
    with pytest.raises(PermissionDenied):
        services.opschalen(
            actor=other, case=p.case, expected_level=Level.LICHT, decision=joint(redenen=["veilig_thuis"])
        )
    assert_nothing_changed(p.case, before, Level.LICHT)


# --- afschalen (zwaar -> licht) -----------------------------------------------------------------------------


def test_afschalen_after_six_months_of_safety_without_warning():
    p = toegang_case()
    case = to_zwaar(p)
    since = guards.months_before(TODAY, 6)
    before = event_ids(case)

    coordination, warnings = services.afschalen(
        actor=p.coordinator,
        case=case,
        expected_level=Level.ZWAAR,
        decision=joint(indicatoren=["structureel_veilig", "grip_op_domeinen"], veilig_sinds=since),
    )

    assert warnings == []
    assert (coordination.level, coordination.veilig_sinds) == (Level.LICHT, since)
    assert event_kinds(case, before) == ["afgeschaald"]
    decision = Decision.objects.get(coordination__case=case, kind="afgeschaald")
    assert decision.indicatoren == ["structureel_veilig", "grip_op_domeinen"]
    assert decision.veilig_sinds == since


@pytest.mark.parametrize("since", [TODAY - timedelta(days=60), None])
def test_afschalen_with_less_than_six_months_of_safety_warns_but_goes_ahead(since):
    p = toegang_case()
    case = to_zwaar(p)

    _, warnings = services.afschalen(
        actor=p.coordinator,
        case=case,
        expected_level=Level.ZWAAR,
        decision=joint(indicatoren=["positieve_ontwikkeling"], veilig_sinds=since),
    )

    assert level_of(case) == Level.LICHT
    assert len(warnings) == 1
    assert "korter dan 6 maanden structureel veilig" in warnings[0]
    assert "korter dan 6 maanden" in CaseEvent.objects.get(case=case, kind="afgeschaald").reason


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("indicatoren", {"indicatoren": []}),
        ("veilig_sinds", {"indicatoren": ["structureel_veilig"], "veilig_sinds": None}),
        ("veilig_sinds", {"indicatoren": ["structureel_veilig"], "veilig_sinds": TODAY - timedelta(days=100)}),
        ("veilig_sinds", {"indicatoren": ["positieve_ontwikkeling"], "veilig_sinds": TODAY + timedelta(days=1)}),
        ("met_regievoerder", {"indicatoren": ["positieve_ontwikkeling"], "met_regievoerder": False}),
    ],
)
def test_afschalen_bad_input_is_refused_at_the_field(field, change):
    p = toegang_case()
    case = to_zwaar(p)
    before = event_ids(case)
    with pytest.raises(ValidationError) as info:
        services.afschalen(actor=p.coordinator, case=case, expected_level=Level.ZWAAR, decision=joint(**change))
    assert list(info.value.message_dict) == [field]
    assert_nothing_changed(case, before, Level.ZWAAR)


@pytest.mark.parametrize("role", [*roles_except("toegang_medewerker"), "toegang_medewerker"])
def test_afschalen_refused_for_everyone_but_the_coordinator(role):
    p = toegang_case()
    case = to_zwaar(p)
    before = event_ids(case)
    with pytest.raises(PermissionDenied):
        services.afschalen(
            actor=make_user(role, gem=case.gemeente),
            case=case,
            expected_level=Level.ZWAAR,
            decision=joint(indicatoren=["positieve_ontwikkeling"]),
        )
    assert_nothing_changed(case, before, Level.ZWAAR)


def test_afschalen_refused_by_guard_when_the_case_has_ended():
    p = toegang_case()
    case = to_zwaar(p)
    case_services.voortijdig_beeindigen(
        actor=p.aanmeldpunt, case=case, expected_phase=Phase.HULPVERLENEND, reden="wlz", toelichting="Wlz."
    )
    before = event_ids(case)
    reasons = refused(
        lambda: services.afschalen(
            actor=p.coordinator,
            case=fresh(case),
            expected_level=Level.ZWAAR,
            decision=joint(indicatoren=["positieve_ontwikkeling"]),
        )
    )
    assert reasons == [guards.casus_open.reason]
    assert_nothing_changed(case, before, Level.ZWAAR)


# --- afsluiten (licht/zwaar -> afgesloten) --------------------------------------------------------------


def test_afsluiten_licht_after_the_eindevaluatie_with_the_coordinator():
    p = toegang_case()
    eindevaluatie(p.case)
    before = event_ids(p.case)

    services.afsluiten(actor=p.coordinator, case=p.case, expected_level=Level.LICHT, decision=joint())

    coordination = Coordination.objects.get(case=p.case)
    assert (coordination.level, coordination.afgesloten_op) == (Level.AFGESLOTEN, TODAY)
    assert event_kinds(p.case, before) == ["coordinatie_afgesloten"]


@pytest.mark.parametrize("present", [None, False])
def test_afsluiten_refused_by_guard_without_the_coordinator_at_the_eindevaluatie(present):
    p = toegang_case()
    if present is not None:
        eindevaluatie(p.case, coordinator_aanwezig=present)
    before = event_ids(p.case)
    reasons = refused(
        lambda: services.afsluiten(actor=p.coordinator, case=p.case, expected_level=Level.LICHT, decision=joint())
    )
    assert reasons == [guards.coordinator_bij_eindevaluatie.reason]
    assert_nothing_changed(p.case, before, Level.LICHT)


def test_afsluiten_zwaar_needs_six_months_of_structural_safety():
    p = toegang_case()
    case = to_zwaar(p)
    eindevaluatie(case)
    before = event_ids(case)
    five_months = guards.months_before(TODAY, 5)

    reasons = refused(
        lambda: services.afsluiten(
            actor=p.coordinator, case=case, expected_level=Level.ZWAAR, decision=joint(veilig_sinds=five_months)
        )
    )
    assert reasons == [guards.zwaar_zes_maanden_veilig.reason]
    assert_nothing_changed(case, before, Level.ZWAAR)
    assert Coordination.objects.get(case=case).veilig_sinds is None  # nothing half stored

    reasons = refused(
        lambda: services.afsluiten(actor=p.coordinator, case=case, expected_level=Level.ZWAAR, decision=joint())
    )
    assert reasons == [guards.zwaar_zes_maanden_veilig.reason]

    services.afsluiten(
        actor=p.coordinator,
        case=case,
        expected_level=Level.ZWAAR,
        decision=joint(veilig_sinds=guards.months_before(TODAY, 6)),
    )
    assert level_of(case) == Level.AFGESLOTEN


def test_afsluiten_zwaar_without_eindevaluatie_names_both_reasons():
    p = toegang_case()
    case = to_zwaar(p)
    reasons = refused(
        lambda: services.afsluiten(actor=p.coordinator, case=case, expected_level=Level.ZWAAR, decision=joint())
    )
    assert reasons == [guards.coordinator_bij_eindevaluatie.reason, guards.zwaar_zes_maanden_veilig.reason]


@pytest.mark.parametrize("role", [*roles_except("toegang_medewerker"), "toegang_medewerker"])
def test_afsluiten_refused_for_everyone_but_the_coordinator(role):
    p = toegang_case()
    eindevaluatie(p.case)
    before = event_ids(p.case)
    with pytest.raises(PermissionDenied):
        services.afsluiten(
            actor=make_user(role, gem=p.case.gemeente), case=p.case, expected_level=Level.LICHT, decision=joint()
        )
    assert_nothing_changed(p.case, before, Level.LICHT)


def test_nothing_follows_afgesloten():
    p = toegang_case()
    eindevaluatie(p.case)
    services.afsluiten(actor=p.coordinator, case=p.case, expected_level=Level.LICHT, decision=joint())
    reasons = refused(
        lambda: services.opschalen(
            actor=p.coordinator, case=p.case, expected_level=Level.AFGESLOTEN, decision=joint(redenen=["veilig_thuis"])
        )
    )
    assert reasons == [f"Deze stap is niet mogelijk bij {Level.AFGESLOTEN.label.lower()}."]


# --- the level the user saw ------------------------------------------------------------------------------


def test_a_step_on_a_level_that_changed_meanwhile_is_stale():
    p = toegang_case()
    to_zwaar(p)
    before = event_ids(p.case)
    with pytest.raises(StaleCase):
        services.opschalen(
            actor=p.coordinator, case=p.case, expected_level=Level.LICHT, decision=joint(redenen=["veilig_thuis"])
        )
    assert_nothing_changed(p.case, before, Level.ZWAAR)
    assert Decision.objects.filter(coordination__case=p.case, kind="opgeschaald").count() == 1


def test_a_superuser_without_a_role_takes_no_part():
    p = toegang_case()
    admin = factories.UserFactory(role="", is_superuser=True)
    with pytest.raises(PermissionDenied):
        services.opschalen(
            actor=admin, case=p.case, expected_level=Level.LICHT, decision=joint(redenen=["veilig_thuis"])
        )
    assert level_of(p.case) == Level.LICHT


# --- standaard_licht (geen -> licht), fired by the aanmelding ----------------------------------------------


def test_standaard_licht_is_refused_by_guard_outside_the_toegang_route(aanmeldpunt_user):
    case = build_case(stage="aanmeld", route="gi", aanmeldpunt_user=aanmeldpunt_user)
    before = event_ids(case)
    with pytest.raises(PermissionDenied):  # nobody is its verwijzer (Toegang)
        fire_transition(actor=aanmeldpunt_user, case=case, name="standaard_licht", expected_level=Level.GEEN)
    coordination = Coordination(case=fresh(case))
    assert not guards.route_toegang(coordination)
    assert not guards.coordinator_toegewezen(coordination)
    assert_nothing_changed(case, before, Level.GEEN)


def test_standaard_licht_is_refused_by_guard_without_a_coordinator(toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    toegang_user.role = "gedragswetenschapper"  # no longer a Toegang worker: no default coördinator
    toegang_user.save()
    case_services.aanmelden(actor=make_user("toegang_medewerker", gem=case.gemeente), case=fresh(case))
    toegang_user.role = "toegang_medewerker"
    toegang_user.save()
    before = event_ids(case)

    reasons = refused(
        lambda: fire_transition(actor=toegang_user, case=fresh(case), name="standaard_licht", expected_level=Level.GEEN)
    )

    assert reasons == [guards.coordinator_toegewezen.reason]
    assert_nothing_changed(case, before, Level.GEEN)


@pytest.mark.parametrize("role", roles_except())
def test_standaard_licht_is_only_for_the_verwijzer(role, toegang_user):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    toegang_user.role = "gedragswetenschapper"
    toegang_user.save()
    case_services.aanmelden(actor=make_user("toegang_medewerker", gem=case.gemeente), case=fresh(case))
    before = event_ids(case)
    with pytest.raises(PermissionDenied):
        fire_transition(
            actor=make_user(role, gem=case.gemeente),
            case=fresh(case),
            name="standaard_licht",
            expected_level=Level.GEEN,
        )
    assert_nothing_changed(case, before, Level.GEEN)


def test_refresh_from_db_reloads_the_level():
    p = toegang_case()
    stale = Coordination.objects.get(case=p.case)
    to_zwaar(p)
    stale.refresh_from_db()
    assert stale.level == Level.ZWAAR


def test_no_new_coordinator_once_coordination_is_closed():
    p = toegang_case()
    eindevaluatie(p.case)
    services.afsluiten(actor=p.coordinator, case=p.case, expected_level=Level.LICHT, decision=joint())
    colleague = make_user("toegang_medewerker", gem=p.case.gemeente)
    with pytest.raises(ValidationError) as info:
        services.assign_coordinator(actor=p.coordinator, case=fresh(p.case), coordinator=colleague)
    assert "coördinatie is afgesloten" in info.value.messages[0]
    assert fresh(p.case).coordinator == p.coordinator
