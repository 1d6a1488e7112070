"""The hulpverlenende fase, crisis and afronding through the real services (referrals.services).

Each phase transition: allowed for the right person, refused for every other role, refused by each guard
with its Dutch reason and nothing changed. Then the bad input of the issue, substitutes, and the
records of care (plan versions, evaluations, signals)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from referrals import services
from referrals.models import Behandelplan, Case, CaseEvent, Crisis, Eindevaluatie, Phase, Substitution
from tests import factories
from tests.factories import build_care_case
from tests.helpers import FAST_HASHERS, NOW, TODAY, event_ids, make_user, new_events, phase_in_db, roles_except

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def people(case):
    return case.regievoerder, case.coordinator


def crisis_kwargs(**over):
    kw = {"gesignaleerd_door": "school", "reden": "Weggelopen.", "cit_gecontacteerd": True, "geinformeerd": "ouders"}
    kw.update(over)
    return kw


def plan_kwargs(**over):
    kw = {
        "plan": "Veilig bij oma.",
        "met_cit": True,
        "met_jeugdige": True,
        "met_crisisaanbieder": True,
        "met_regievoerder": True,
    }
    kw.update(over)
    return kw


def assert_unchanged(case, before, phase):
    assert phase_in_db(case) == phase
    assert event_ids(case) == before


def refused(call) -> list[str]:
    with pytest.raises(services.TransitionRefused) as info:
        call()
    return info.value.reasons


# --- crisis melden / crisis afsluiten --------------------------------------------------------------


@pytest.mark.parametrize("who", ["regievoerder", "coordinator", "aanmeldpunt"])
def test_anyone_on_the_case_reports_a_crisis(who, aanmeldpunt_user):
    case = build_care_case(stage="in_zorg", aanmeldpunt_user=aanmeldpunt_user)
    actor = {"regievoerder": case.regievoerder, "coordinator": case.coordinator, "aanmeldpunt": aanmeldpunt_user}[who]
    before = event_ids(case)

    services.crisis_melden(actor=actor, case=case, expected_phase=Phase.HULPVERLENEND, **crisis_kwargs())

    assert phase_in_db(case) == Phase.CRISIS
    (event,) = new_events(case, before)
    assert (event.kind, event.actor, event.from_phase, event.to_phase) == (
        "crisis_gemeld",
        actor,
        "hulpverlenend",
        "crisis",
    )
    assert "Gesignaleerd door school" in event.reason and "CIT ingeschakeld" in event.reason
    crisis = Crisis.objects.get(case=case)
    assert crisis.afgesloten_op is None and crisis.reported_by == actor


@pytest.mark.parametrize("role", roles_except("aanmeldpunt"))
def test_a_crisis_is_not_reported_by_someone_outside_the_case(role):
    case = build_care_case(stage="in_zorg")
    outsider = make_user(role, partner_org=factories.partner("GGZ Breburg", "80000202"))
    before = event_ids(case)
    with pytest.raises(PermissionDenied):
        services.crisis_melden(actor=outsider, case=case, expected_phase=Phase.HULPVERLENEND, **crisis_kwargs())
    assert_unchanged(case, before, Phase.HULPVERLENEND)
    assert not Crisis.objects.exists()


@pytest.mark.parametrize("field", ["gesignaleerd_door", "reden", "geinformeerd"])
def test_a_crisis_report_needs_who_what_and_who_was_told(field):
    case = build_care_case(stage="in_zorg")
    before = event_ids(case)
    with pytest.raises(ValidationError) as info:
        services.crisis_melden(
            actor=case.regievoerder, case=case, expected_phase=Phase.HULPVERLENEND, **crisis_kwargs(**{field: " "})
        )
    assert field in info.value.error_dict
    assert_unchanged(case, before, Phase.HULPVERLENEND)


def test_the_coordinator_ends_a_crisis_after_the_perspectiefplan_crisis():
    case = build_care_case(stage="crisis")
    coordinator = case.coordinator
    services.record_perspectiefplan_crisis(actor=coordinator, case=case, **plan_kwargs())
    before = event_ids(case)

    services.crisis_afsluiten(actor=coordinator, case=Case.objects.get(pk=case.pk), toelichting="Rust.")

    assert phase_in_db(case) == Phase.HULPVERLENEND
    assert [e.kind for e in new_events(case, before)] == ["crisis_afgesloten"]
    assert Crisis.objects.get(case=case).afgesloten_op is not None


def test_ending_a_crisis_without_a_plan_is_refused():
    case = build_care_case(stage="crisis")
    before = event_ids(case)
    reasons = refused(lambda: services.crisis_afsluiten(actor=case.coordinator, case=case))
    assert reasons == [
        "Leg eerst het Perspectiefplan Crisis vast, opgesteld met het CIT, de jeugdige, de "
        "crisisaanbieder en de regievoerder."
    ]
    assert_unchanged(case, before, Phase.CRISIS)


@pytest.mark.parametrize("missing", ["met_cit", "met_jeugdige", "met_crisisaanbieder", "met_regievoerder"])
def test_the_crisis_plan_is_made_with_all_four(missing):
    case = build_care_case(stage="crisis")
    with pytest.raises(ValidationError) as info:
        services.record_perspectiefplan_crisis(actor=case.coordinator, case=case, **plan_kwargs(**{missing: False}))
    assert "Nog niet betrokken" in info.value.messages[0]
    assert Crisis.objects.get(case=case).plan_vastgelegd_op is None


def test_only_the_coordinator_ends_a_crisis():
    case = build_care_case(stage="crisis")
    services.record_perspectiefplan_crisis(actor=case.coordinator, case=case, **plan_kwargs())
    case = Case.objects.get(pk=case.pk)
    colleague = factories.UserFactory(role="toegang_medewerker", organisation=case.coordinator.organisation)
    for actor in (case.regievoerder, colleague, make_user("aanmeldpunt")):
        with pytest.raises(PermissionDenied):
            services.crisis_afsluiten(actor=actor, case=case)
    assert phase_in_db(case) == Phase.CRISIS


def test_with_a_coordinator_the_regievoerder_and_the_aanmeldpunt_do_not_record_the_crisis_plan():
    case = build_care_case(stage="crisis")
    for actor in (case.regievoerder, make_user("aanmeldpunt")):
        with pytest.raises(PermissionDenied):
            services.record_perspectiefplan_crisis(actor=actor, case=case, **plan_kwargs())
    assert Crisis.objects.get(case=case).plan_vastgelegd_op is None


# A case without coördinator (GI, LTA): the regievoerder or the aanmeldpunt leads the crisis (ADR 0017).


@pytest.mark.parametrize("who", ["regievoerder", "aanmeldpunt"])
def test_without_a_coordinator_the_crisis_is_planned_and_closed_by_regievoerder_or_aanmeldpunt(who):
    case = build_care_case(stage="crisis", coordinated=False)
    assert case.coordinator_id is None and case.phase == Phase.CRISIS
    actor = case.regievoerder if who == "regievoerder" else make_user("aanmeldpunt")
    plan = plan_kwargs()
    if who == "regievoerder":
        plan.pop("met_regievoerder")  # the regievoerder who records the plan made it
    services.record_perspectiefplan_crisis(actor=actor, case=case, **plan)
    before = event_ids(case)

    services.crisis_afsluiten(actor=actor, case=Case.objects.get(pk=case.pk), toelichting="Veilig bij oma.")

    assert phase_in_db(case) == Phase.HULPVERLENEND
    (event,) = new_events(case, before)
    assert (event.kind, event.actor) == ("crisis_afgesloten", actor)
    crisis = Crisis.objects.get(case=case)
    assert crisis.plan_by == actor and crisis.afgesloten_op is not None


def test_without_a_coordinator_the_aanmeldpunt_still_needs_the_regievoerder_at_the_plan():
    case = build_care_case(stage="crisis", coordinated=False)
    with pytest.raises(ValidationError) as info:
        services.record_perspectiefplan_crisis(
            actor=make_user("aanmeldpunt"), case=case, **plan_kwargs(met_regievoerder=False)
        )
    assert "Nog niet betrokken: de regievoerder." in info.value.messages[0]


@pytest.mark.parametrize("role", roles_except("aanmeldpunt"))
def test_without_a_coordinator_others_do_not_lead_the_crisis(role):
    case = build_care_case(stage="crisis", coordinated=False)
    outsider = make_user(role, partner_org=factories.partner("GGZ Breburg", "80000202"))
    with pytest.raises(PermissionDenied) as info:
        services.record_perspectiefplan_crisis(actor=outsider, case=case, **plan_kwargs())
    assert str(info.value) == (
        "Alleen de coördinator van deze casus (of diens vervanger); heeft de casus geen coördinator, dan de "
        "regievoerder of het aanmeldpunt."
    )
    services.record_perspectiefplan_crisis(actor=case.regievoerder, case=case, **plan_kwargs())
    with pytest.raises(PermissionDenied) as info:
        services.crisis_afsluiten(actor=outsider, case=Case.objects.get(pk=case.pk))
    assert "heeft de casus geen coördinator, dan de regievoerder of het aanmeldpunt" in str(info.value)
    assert phase_in_db(case) == Phase.CRISIS


# --- afronding starten / hervatten / afsluiten --------------------------------------------------------


def test_the_regievoerder_starts_the_afronding_once_both_recorded_the_results():
    case = build_care_case(stage="resultaten")
    before = event_ids(case)
    services.afronding_starten(actor=case.regievoerder, case=case)
    assert phase_in_db(case) == Phase.AFRONDEND
    assert [e.kind for e in new_events(case, before)] == ["afronding_gestart"]


def test_afronding_waits_for_the_coordinator():
    case = build_care_case(stage="in_zorg")
    services.record_resultaten_bereikt(actor=case.regievoerder, case=case)
    case = Case.objects.get(pk=case.pk)
    before = event_ids(case)
    assert refused(lambda: services.afronding_starten(actor=case.regievoerder, case=case)) == [
        "De coördinator heeft nog niet vastgelegd dat de resultaten zijn bereikt."
    ]
    assert_unchanged(case, before, Phase.HULPVERLENEND)


def test_afronding_needs_the_regievoerder_and_the_start_of_care(sterk_huis, aanmeldpunt_user):
    case = factories.build_case(stage="hulpverlenend", partner_org=sterk_huis, aanmeldpunt_user=aanmeldpunt_user)
    regievoerder = factories.UserFactory(role="regievoerder", organisation=sterk_huis)
    assert set(refused(lambda: services.afronding_starten(actor=regievoerder, case=case))) == {
        "De start van de jeugdhulp is nog niet vastgelegd.",
        "De regievoerder heeft nog niet vastgelegd dat de resultaten zijn bereikt.",
        # The verwijzer became coördinator licht at the aanmelding.
        "De coördinator heeft nog niet vastgelegd dat de resultaten zijn bereikt.",
    }


@pytest.mark.parametrize("role", roles_except("regievoerder"))
def test_only_the_regievoerder_starts_the_afronding(role):
    case = build_care_case(stage="resultaten")
    with pytest.raises(PermissionDenied):
        services.afronding_starten(actor=make_user(role), case=case)
    assert phase_in_db(case) == Phase.HULPVERLENEND


def test_a_regievoerder_of_another_partner_is_refused():
    case = build_care_case(stage="resultaten")
    other = make_user("regievoerder", partner_org=factories.partner("Amarant", "80000303"))
    with pytest.raises(PermissionDenied):
        services.afronding_starten(actor=other, case=case)


def test_resuming_needs_a_reason_and_asks_both_again():
    case = build_care_case(stage="afrondend")
    with pytest.raises(ValidationError):
        services.hervatten(actor=case.regievoerder, case=case, reden=" ")
    assert phase_in_db(case) == Phase.AFRONDEND

    services.hervatten(actor=case.regievoerder, case=case, reden="Terugval op school.")

    case.refresh_from_db()
    assert case.phase == Phase.HULPVERLENEND
    assert case.resultaten_bereikt_regievoerder_op is None and case.resultaten_bereikt_coordinator_op is None
    assert CaseEvent.objects.filter(case=case, kind="hervat", reason="Terugval op school.").count() == 1


def test_closing_a_case(aanmeldpunt_user):
    case = build_care_case(stage="afsluitbaar")
    before = event_ids(case)
    services.afsluiten(actor=case.regievoerder, case=case)
    case.refresh_from_db()
    assert case.phase == Phase.AFGESLOTEN and case.afgesloten_op == TODAY
    # Closing ends the care: the stop of care is on the timeline (the JW307 deadline starts there).
    assert [e.kind for e in new_events(case, before)] == ["zorg_gestopt", "afgesloten"]


def test_closing_without_an_eindevaluatie_is_refused():
    case = build_care_case(stage="afrondend")
    before = event_ids(case)
    assert set(refused(lambda: services.afsluiten(actor=case.regievoerder, case=case))) == {
        "Leg de eindevaluatie vast: gehouden met de jeugdige en de verwijzer, en met de coördinator als de casus "
        "er een heeft.",
        "Spreek de einddatum af met de coördinator en leg die vast.",
        "Leg vast of de zorg doorgaat in een ander segment: dan is een FOA nodig, of het gezamenlijke besluit dat "
        "er geen FOA nodig is.",
    }
    assert_unchanged(case, before, Phase.AFRONDEND)


ABSENT_AT_EINDEVALUATIE = {
    "jeugdige_aanwezig": "De eindevaluatie houdt u met de jeugdige (en ouders).",
    "verwijzer_aanwezig": "De eindevaluatie houdt u met de verwijzer.",
    "coordinator_aanwezig": "De coördinator van deze casus sluit altijd aan bij de eindevaluatie.",
}


@pytest.mark.parametrize("absent", list(ABSENT_AT_EINDEVALUATIE))
def test_an_eindevaluatie_without_everyone_is_refused_at_the_field_and_not_stored(absent):
    case = build_care_case(stage="afrondend")
    before = event_ids(case)
    present = {"jeugdige_aanwezig": True, "verwijzer_aanwezig": True, "coordinator_aanwezig": True, absent: False}
    with pytest.raises(ValidationError) as info:
        services.record_eindevaluatie(actor=case.regievoerder, case=case, datum=TODAY, verslag="Zonder.", **present)
    assert list(info.value.error_dict) == [absent]
    assert info.value.error_dict[absent][0].message.startswith(ABSENT_AT_EINDEVALUATIE[absent])
    assert not Eindevaluatie.objects.filter(case=case).exists()
    assert_unchanged(case, before, Phase.AFRONDEND)


@pytest.mark.parametrize("absent", list(ABSENT_AT_EINDEVALUATIE))
def test_an_eindevaluatie_without_everyone_does_not_replace_the_one_that_counts(absent):
    case = build_care_case(stage="afsluitbaar")
    present = {"jeugdige_aanwezig": True, "verwijzer_aanwezig": True, "coordinator_aanwezig": True, absent: False}
    with pytest.raises(ValidationError):
        services.record_eindevaluatie(actor=case.regievoerder, case=case, datum=TODAY, verslag="Zonder.", **present)
    assert Eindevaluatie.objects.get(case=case).verslag == "Doelen bereikt."
    services.afsluiten(actor=case.regievoerder, case=Case.objects.get(pk=case.pk))
    assert phase_in_db(case) == Phase.AFGESLOTEN


def test_without_a_coordinator_the_eindevaluatie_needs_the_jeugdige_and_the_verwijzer_only():
    case = build_care_case(stage="afrondend", coordinated=False)
    assert case.coordinator_id is None
    with pytest.raises(ValidationError) as info:
        services.record_eindevaluatie(
            actor=case.regievoerder,
            case=case,
            datum=TODAY,
            verslag="GI.",
            jeugdige_aanwezig=True,
            verwijzer_aanwezig=False,
        )
    assert list(info.value.error_dict) == ["verwijzer_aanwezig"]

    services.record_eindevaluatie(
        actor=case.regievoerder, case=case, datum=TODAY, verslag="GI.", jeugdige_aanwezig=True, verwijzer_aanwezig=True
    )
    services.record_vervolg(actor=case.regievoerder, case=case, besluit="geen_vervolg")
    services.record_einddatum(actor=case.regievoerder, case=case, einddatum=TODAY)
    services.afsluiten(actor=case.regievoerder, case=Case.objects.get(pk=case.pk))
    assert phase_in_db(case) == Phase.AFGESLOTEN
    assert Eindevaluatie.objects.get(case=case).coordinator_aanwezig is False


def test_light_help_after_closing_starts_its_clock():
    case = build_care_case(stage="afsluitbaar")
    services.record_vervolg(actor=case.regievoerder, case=case, besluit="geen_vervolg", lichte_hulp_loopt_door=True)
    services.afsluiten(actor=case.regievoerder, case=Case.objects.get(pk=case.pk))
    assert CaseEvent.objects.filter(case=case, kind="lichte_hulp_doorlopend").count() == 1


def test_no_foa_needs_its_reason_and_an_foa_needs_the_document():
    case = build_care_case(stage="afrondend")
    with pytest.raises(ValidationError) as info:
        services.record_vervolg(actor=case.regievoerder, case=case, besluit="geen_foa", toelichting="")
    assert "toelichting" in info.value.error_dict
    with pytest.raises(ValidationError) as info:
        services.record_vervolg(actor=case.regievoerder, case=case, besluit="foa")
    assert info.value.error_dict["besluit"][0].message == "Voeg eerst de FOA toe bij de documenten."


def test_an_end_date_before_the_start_of_care_is_refused():
    case = build_care_case(stage="afrondend")
    with pytest.raises(ValidationError) as info:
        services.record_einddatum(
            actor=case.regievoerder, case=case, einddatum=TODAY - timedelta(days=1), afgesproken_met_coordinator=True
        )
    assert "vóór de start van de jeugdhulp (10 maart 2026)" in info.value.error_dict["einddatum"][0].message
    with pytest.raises(ValidationError) as info:
        services.record_einddatum(
            actor=case.regievoerder, case=case, einddatum=TODAY + timedelta(days=30), afgesproken_met_coordinator=False
        )
    assert "afgesproken_met_coordinator" in info.value.error_dict
    assert Case.objects.get(pk=case.pk).einddatum is None


# --- voortijdig beëindigen from care ----------------------------------------------------------------


def test_ending_early_after_moving_records_the_warm_handover_and_stops_care():
    case = build_care_case(stage="in_zorg")
    services.voortijdig_beeindigen(
        actor=case.regievoerder,
        case=case,
        expected_phase=Phase.HULPVERLENEND,
        reden="verhuisd",
        toelichting="Overgedragen aan Toegang Breda op 9 maart.",
    )
    case.refresh_from_db()
    assert case.phase == Phase.AFGESLOTEN and case.einde_reden == "verhuisd" and case.afgesloten_op == TODAY
    assert CaseEvent.objects.filter(case=case, kind="zorg_gestopt").count() == 1


# --- records of care ----------------------------------------------------------------------------------


def test_the_behandelplan_grows_in_versions_that_say_what_changed():
    case = build_care_case(stage="in_zorg")
    with pytest.raises(ValidationError) as info:
        services.record_behandelplan(actor=case.regievoerder, case=case, doelen="Nieuw.", resultaten="Nieuw.")
    assert "wijziging" in info.value.error_dict
    services.record_behandelplan(
        actor=case.regievoerder, case=case, doelen="Nieuw.", resultaten="Nieuw.", wijziging="Schooldoel erbij."
    )
    plans = list(Behandelplan.objects.filter(case=case).order_by("version"))
    assert [(p.version, p.doelen) for p in plans] == [(1, "Rust thuis."), (2, "Nieuw.")]
    assert plans[1].wijziging == "Schooldoel erbij." and plans[1].created_by == case.regievoerder


def test_only_the_regievoerder_writes_the_plan():
    case = build_care_case(stage="in_zorg")
    for actor in (case.coordinator, make_user("aanmeldpunt")):
        with pytest.raises(PermissionDenied):
            services.record_behandelplan(actor=actor, case=case, doelen="x", resultaten="y", wijziging="z")


def test_an_evaluation_cannot_lie_before_the_start_of_care_or_in_the_future():
    case = build_care_case(stage="in_zorg")
    for day in (TODAY - timedelta(days=1), TODAY + timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.record_evaluatie(actor=case.regievoerder, case=case, datum=day, aanwezigen="ouders", verslag="x")
    services.record_evaluatie(actor=case.regievoerder, case=case, datum=TODAY, aanwezigen="ouders", verslag="Goed.")
    assert case.evaluaties.count() == 1


def test_an_evaluation_on_a_good_date_without_a_report_is_refused_at_the_field():
    case = build_care_case(stage="in_zorg")
    with pytest.raises(ValidationError) as info:
        services.record_evaluatie(actor=case.regievoerder, case=case, datum=TODAY, aanwezigen="ouders", verslag=" ")
    assert list(info.value.error_dict) == ["verslag"]
    assert case.evaluaties.count() == 0


def test_a_signal_reaches_the_coordinator_who_picks_it_up_once():
    case = build_care_case(stage="in_zorg")
    signaal = services.record_signaal(actor=case.regievoerder, case=case, domein="schulden", beschrijving="Schulden.")
    with pytest.raises(PermissionDenied):
        services.pick_up_signaal(actor=case.regievoerder, case=case, signaal_id=signaal.pk, reactie="x")
    services.pick_up_signaal(actor=case.coordinator, case=case, signaal_id=signaal.pk, reactie="Schuldhulp gebeld.")
    with pytest.raises(services.StaleCase):
        services.pick_up_signaal(actor=case.coordinator, case=case, signaal_id=signaal.pk, reactie="Nogmaals.")
    signaal.refresh_from_db()
    assert signaal.reactie == "Schuldhulp gebeld." and signaal.opgepakt_door == case.coordinator


# --- substitutes ---------------------------------------------------------------------------------------


def test_a_substitute_coordinator_acts_during_the_period_only(time_machine):
    case = build_care_case(stage="crisis")
    colleague = factories.UserFactory(role="toegang_medewerker", organisation=case.coordinator.organisation)
    services.record_substitution(
        actor=case.coordinator,
        case=case,
        role="coordinator",
        substitute=colleague,
        start=TODAY,
        end=TODAY + timedelta(days=7),
        gezin_geinformeerd=True,
        andere_partij_geinformeerd=True,
    )
    services.record_perspectiefplan_crisis(actor=colleague, case=Case.objects.get(pk=case.pk), **plan_kwargs())
    assert CaseEvent.objects.filter(case=case, kind="vervanging_vastgelegd").count() == 1

    time_machine.move_to(NOW + timedelta(days=8), tick=False)
    with pytest.raises(PermissionDenied):
        services.crisis_afsluiten(actor=colleague, case=Case.objects.get(pk=case.pk))
    services.crisis_afsluiten(actor=case.coordinator, case=Case.objects.get(pk=case.pk))
    assert phase_in_db(case) == Phase.HULPVERLENEND


@pytest.mark.parametrize(
    "change, field",
    [
        ({"end": TODAY - timedelta(days=2), "start": TODAY}, "end"),
        ({"gezin_geinformeerd": False}, "gezin_geinformeerd"),
        ({"andere_partij_geinformeerd": False}, "andere_partij_geinformeerd"),
        ({"substitute": "self"}, "substitute"),
        ({"substitute": "other_partner"}, "substitute"),
    ],
)
def test_bad_substitutions_are_refused(change, field):
    case = build_care_case(stage="in_zorg")
    colleague = factories.UserFactory(role="regievoerder", organisation=case.regie_organisatie)
    kw = {
        "role": "regievoerder",
        "substitute": colleague,
        "start": TODAY,
        "end": TODAY + timedelta(days=7),
        "gezin_geinformeerd": True,
        "andere_partij_geinformeerd": True,
    }
    kw.update(change)
    if kw["substitute"] == "self":
        kw["substitute"] = case.regievoerder
    elif kw["substitute"] == "other_partner":
        kw["substitute"] = make_user("regievoerder", partner_org=factories.partner("Amarant", "80000303"))
    before = event_ids(case)
    with pytest.raises(ValidationError) as info:
        services.record_substitution(actor=case.regievoerder, case=case, **kw)
    assert field in info.value.error_dict
    assert not Substitution.objects.exists()
    assert event_ids(case) == before


# --- people -------------------------------------------------------------------------------------------


def test_role_history_is_kept_and_one_coordinator_at_a_time():
    case = build_care_case(stage="in_zorg")
    first = case.coordinator
    second = factories.UserFactory(role="toegang_medewerker", organisation=first.organisation)
    services.assign_coordinator(actor=first, case=case, coordinator=second, reason="Overdracht.")
    case.refresh_from_db()
    assert case.coordinator == second
    history = list(case.role_history.filter(role="coordinator").order_by("started_at", "pk"))
    assert [(a.user, a.ended_at is None) for a in history] == [(first, False), (second, True)]


def test_the_database_refuses_a_second_current_coordinator():
    from django.db import IntegrityError, transaction

    from referrals.models import CaseRoleHolder

    case = build_care_case(stage="in_zorg")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseRoleHolder.objects.create(
            case=case, role="coordinator", user=case.regievoerder, started_at=NOW, assigned_by=case.regievoerder
        )


# --- concurrency ----------------------------------------------------------------------------------------


def test_two_people_firing_on_the_same_state_one_wins():
    case = build_care_case(stage="crisis")
    services.record_perspectiefplan_crisis(actor=case.coordinator, case=case, **plan_kwargs())
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)  # loaded by the second person before the first acted
    services.crisis_afsluiten(actor=case.coordinator, case=first)
    with pytest.raises(services.StaleCase):
        services.crisis_afsluiten(actor=case.coordinator, case=second)
    assert phase_in_db(case) == Phase.HULPVERLENEND
    assert CaseEvent.objects.filter(case=case, kind="crisis_afgesloten").count() == 1


# --- beschikking and perspectiefplan ----------------------------------------------------------------


def beschikking_kwargs(**over):
    kw = {
        "afgegeven_op": TODAY,
        "resultaat": "Toegekend: hoog specialistische jeugdhulp (segment 1)",
        "productcategorie": "45",
        "productcode": "45a01",
        "activiteiten": "Intensieve ambulante gezinsbehandeling.",
        "frequentie": "6 uur per week",
        "ingangsdatum": TODAY,
    }
    kw.update(over)
    return kw


def test_the_aanmeldpunt_records_the_beschikking_without_end_date(aanmeldpunt_user):
    case = build_care_case(stage="in_zorg", aanmeldpunt_user=aanmeldpunt_user)
    beschikking = services.record_beschikking(actor=aanmeldpunt_user, case=case, **beschikking_kwargs())
    assert beschikking.productcode == "45A01" and beschikking.aanbieder == case.regie_organisatie
    assert beschikking.beschikkingsnummer == f"S1B-2026-{case.pk:06d}"
    event = CaseEvent.objects.get(case=case, kind="beschikking_afgegeven")
    assert beschikking.beschikkingsnummer in event.reason
    # No herindicatie in segment 1: a second beschikking is refused.
    with pytest.raises(ValidationError) as info:
        services.record_beschikking(actor=aanmeldpunt_user, case=case, **beschikking_kwargs())
    assert "geen herindicatie" in info.value.messages[0]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"productcode": "43A12", "productcategorie": "43"}, "productcode"),
        ({"productcode": "41A01"}, "productcode"),
        ({"productcode": "abc"}, "productcode"),
        ({"afgegeven_op": TODAY + timedelta(days=1)}, "afgegeven_op"),
        ({"ingangsdatum": TODAY - timedelta(days=30)}, "ingangsdatum"),
        ({"activiteiten": " "}, "activiteiten"),
    ],
)
def test_a_beschikking_with_bad_content_is_refused(change, field, aanmeldpunt_user):
    case = build_care_case(stage="in_zorg", aanmeldpunt_user=aanmeldpunt_user)
    with pytest.raises(ValidationError) as info:
        services.record_beschikking(actor=aanmeldpunt_user, case=case, **beschikking_kwargs(**change))
    assert field in info.value.error_dict
    assert not CaseEvent.objects.filter(case=case, kind="beschikking_afgegeven").exists()


def test_only_the_aanmeldpunt_records_a_beschikking():
    case = build_care_case(stage="in_zorg")
    with pytest.raises(PermissionDenied):
        services.record_beschikking(actor=case.regievoerder, case=case, **beschikking_kwargs())


def test_the_perspectiefplan_starts_and_is_finished_when_every_domain_is_filled():
    case = build_care_case(stage="in_zorg")
    texts = {"zorg__stand": "Ambulant.", "zorg__resultaten": "Zelfstandig wonen."}
    services.save_perspectiefplan(actor=case.regievoerder, case=case, texts=texts)
    assert CaseEvent.objects.filter(case=case, kind="perspectiefplan_gestart").count() == 1
    with pytest.raises(ValidationError) as info:
        services.save_perspectiefplan(actor=case.regievoerder, case=case, texts=texts, gereed=True)
    assert "Nog leeg: onderwijs, werk, vrije tijd, gezondheid, financiën." in info.value.messages[0]
    full = {
        f"{d}__{a}": "Ingevuld."
        for d in ("zorg", "onderwijs", "werk", "vrije_tijd", "gezondheid", "financien")
        for a in ("stand", "resultaten")
    }
    plan = services.save_perspectiefplan(actor=case.regievoerder, case=case, texts=full, gereed=True)
    assert plan.gereed_op == TODAY
    assert CaseEvent.objects.filter(case=case, kind="perspectiefplan_gestart").count() == 1
    assert CaseEvent.objects.filter(case=case, kind="perspectiefplan_gereed").count() == 1
