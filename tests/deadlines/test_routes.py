"""The rules on every route: light help after closing that can be met, message deadlines that reach the
backoffice that handles the messages, the beschikking only where there is one, the final answer after "in
onderzoek", escalations warned in both lines, reminder and breach to different people, and a check of every
default rule, per route, against who can meet it and who is warned."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import ROLE_PERMISSIONS
from deadlines import services as deadline_services
from deadlines.models import COORDINATOR, Deadline, DeadlineRule, DeadlineState, Notification, Outcome
from deadlines.sweep import run_sweep
from deadlines.who_meets import WHO_MEETS, warned_who_can_meet, who_can_meet
from deadlines.workdays import end_of_day
from referrals import services as case_services
from referrals.models import Beschikking, CaseDocument, EventKind, Route
from referrals.services import record_event
from tests import factories
from tests.factories import build_care_case, build_case
from tests.helpers import field_error, make_user, text, value_of

from .conftest import ams

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def deadline_of(case, code) -> Deadline:
    return Deadline.objects.get(case=case, rule__code=code)


def notified(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


# --- Light help after closing [HvB-WI 2.1] --------------------------------------------------------------


@pytest.fixture
def closed_with_light_help(clock, regievoerder):
    """Closed on Tuesday 10 March 2026 with light help that continues: at most until 10 June 2026."""
    return build_care_case(stage="afgesloten", regievoerder=regievoerder, lichte_hulp=True)


def test_the_regievoerder_records_that_light_help_stopped_and_the_deadline_is_met(
    client, closed_with_light_help, regievoerder, clock
):
    case = closed_with_light_help
    assert deadline_of(case, "lichte-hulp-na-afsluiting").state == DeadlineState.OPEN
    clock.move_to(ams(2026, 4, 20), tick=False)
    client.force_login(regievoerder)
    page = text(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    assert "Lichte hulp gestopt" in page and "Loopt door na de afsluiting" in page
    url = reverse("referrals:lichte_hulp_gestopt", args=[case.public_id])
    response = client.post(url, {"gestopt_op": "2026-04-17", "afloop": "afgerond", "toelichting": "Doelen gehaald."})
    assert response.status_code == 302
    light = deadline_of(case, "lichte-hulp-na-afsluiting")
    assert (light.state, light.outcome) == (DeadlineState.MET, Outcome.ON_TIME)
    page = text(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    assert "De lichte hulp is afgerond op 17 april 2026: Doelen gehaald." in page
    assert (
        "Lichte hulp gestopt</a>"
        not in client.get(reverse("referrals:case_detail", args=[case.public_id])).content.decode()
    )
    # Once recorded, the step is not offered again and a second post is refused.
    assert client.post(url, {"gestopt_op": "2026-04-18", "afloop": "afgerond"}).status_code == 403


def test_light_help_stopped_refuses_bad_input_at_the_field_and_keeps_it(client, closed_with_light_help, regievoerder):
    case = closed_with_light_help
    client.force_login(regievoerder)
    url = reverse("referrals:lichte_hulp_gestopt", args=[case.public_id])
    response = client.post(url, {"gestopt_op": "2026-03-09", "afloop": "gestopt", "toelichting": ""})
    assert response.status_code == 200
    assert field_error(response, "id_gestopt_op").startswith("De lichte hulp loopt na de afsluiting (10 maart 2026)")
    assert field_error(response, "id_toelichting") == "Geef aan waarom de lichte hulp is gestopt."
    assert value_of(response, "gestopt_op") in ("2026-03-09", "09-03-2026")
    # "Continues in an FOA" needs the FOA among the documents first.
    response = client.post(url, {"gestopt_op": "2026-03-10", "afloop": "foa"})
    assert field_error(response, "id_afloop") == "Voeg eerst de FOA van de lichte hulp toe bij de documenten."
    assert deadline_of(case, "lichte-hulp-na-afsluiting").state == DeadlineState.OPEN
    assert not case.events.filter(kind=EventKind.LICHTE_HULP_GESTOPT).exists()


def test_a_closed_case_takes_the_foa_of_its_light_help_and_nothing_else(client, closed_with_light_help, regievoerder):
    case = closed_with_light_help
    client.force_login(regievoerder)
    url = reverse("referrals:document_new", args=[case.public_id])
    form = client.get(url).content.decode()
    assert 'value="foa"' in form and 'value="ipva"' not in form
    refused = client.post(url, {"kind": "ipva", "title": "", "bestand": SimpleUploadedFile("x.pdf", PDF)})
    assert refused.status_code == 200 and not CaseDocument.objects.filter(case=case, kind="ipva").exists()
    stored = client.post(url, {"kind": "foa", "title": "FOA", "bestand": SimpleUploadedFile("foa.pdf", PDF)})
    assert stored.status_code == 302
    # With the FOA, the light help can end in it: the deadline is met.
    case_services.record_lichte_hulp_gestopt(actor=regievoerder, case=case, gestopt_op=date(2026, 3, 10), afloop="foa")
    assert deadline_of(case, "lichte-hulp-na-afsluiting").state == DeadlineState.MET
    # After that the closed case takes no documents at all.
    assert client.get(url).status_code == 403


def test_a_case_closed_without_light_help_takes_no_documents(client, clock, regievoerder):
    case = build_care_case(stage="afgesloten", regievoerder=regievoerder)
    client.force_login(regievoerder)
    url = reverse("referrals:document_new", args=[case.public_id])
    assert client.get(url).status_code == 403
    response = client.post(url, {"kind": "foa", "title": "", "bestand": SimpleUploadedFile("foa.pdf", PDF)})
    assert response.status_code == 403
    assert not CaseDocument.objects.filter(case=case, kind="foa").exists()


def test_a_breached_light_help_deadline_stays_on_the_work_list_and_the_managers_list(
    client, closed_with_light_help, regievoerder, clock
):
    case = closed_with_light_help
    manager = make_user("manager_crossroads")
    clock.move_to(ams(2026, 6, 12), tick=False)
    run_sweep(ams(2026, 6, 12))
    assert deadline_of(case, "lichte-hulp-na-afsluiting").state == DeadlineState.BREACHED
    assert any("Lichte hulp na afsluiting" in t and "verstreken" in t for t in notified(regievoerder))
    client.force_login(regievoerder)
    start = text(client.get(reverse("start")))
    assert case.reference in start and "Lichte hulp na afsluiting hoogstens 3 maanden" in start
    assert "einde vastleggen" in start
    assert any("Lichte hulp na afsluiting" in t for t in notified(manager))
    client.force_login(manager)
    listing = text(client.get(reverse("deadlines:dashboard_list", args=["verstreken"])))
    assert case.reference in listing and "Lichte hulp na afsluiting" in listing


# --- Message deadlines: the gastheergemeente's backoffice [HvB-STAP] ------------------------------------


def test_a_waalwijk_jw315_warns_the_tilburg_backoffice_which_may_extend_it(clock, aanmeldpunt, time_machine):
    waalwijk = factories.gemeente("Waalwijk", "0867")
    tilburg = factories.gemeente("Tilburg", "0855")
    toegang = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(waalwijk))
    case = build_case(stage="hulpverlenend", toegang_user=toegang, aanmeldpunt_user=aanmeldpunt)
    host = factories.UserFactory(role="backoffice", organisation=tilburg)
    goirle = factories.UserFactory(role="backoffice", organisation=factories.gemeente("Goirle", "0785"))
    record_event(case, EventKind.JW315_ONTVANGEN, None, payload={"ref": "msg-1"})
    jw315 = deadline_of(case, "antwoord-jw315")
    assert deadline_services.may_manage(host, jw315)
    assert not deadline_services.may_manage(goirle, jw315)
    deadline_services.extend_deadline(
        actor=host, deadline=jw315, reason="Wacht op de woonplaats", amount=2, unit="working_days"
    )
    run_sweep(jw315.due_at + timedelta(days=7))
    assert any("JW315" in t and "verstreken" in t for t in notified(host))
    assert not notified(goirle)


def test_the_gastheergemeente_is_configurable(settings, clock, aanmeldpunt):
    settings.IJW_GASTHEERGEMEENTE = "0867"
    waalwijk = factories.gemeente("Waalwijk", "0867")
    case = build_case(stage="hulpverlenend", aanmeldpunt_user=aanmeldpunt)  # a Tilburg case
    waalwijk_backoffice = factories.UserFactory(role="backoffice", organisation=waalwijk)
    record_event(case, EventKind.JW315_ONTVANGEN, None, payload={"ref": "msg-2"})
    assert deadline_services.may_manage(waalwijk_backoffice, deadline_of(case, "antwoord-jw315"))


# --- The beschikking only where there is one [HvB-STAP] ------------------------------------------------


def test_the_beschikking_deadline_warns_crossroads_who_makes_it(clock, sanne, aanmeldpunt):
    case = build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)
    run_sweep(end_of_day(date(2026, 5, 3)))
    assert any("Beschikking binnen 8 weken" in t for t in notified(aanmeldpunt))
    assert not any("Beschikking" in t for t in notified(sanne))
    assert deadline_services.may_manage(aanmeldpunt, deadline_of(case, "beschikking"))


def test_no_beschikking_deadline_on_the_gi_route(clock, aanmeldpunt):
    case = build_case(stage="aanmeld", route="gi", aanmeldpunt_user=aanmeldpunt)
    assert not Deadline.objects.filter(case=case, rule__code="beschikking").exists()
    assert Deadline.objects.filter(case=case, rule__code="aanmeldgesprek").exists()


def test_no_beschikking_for_jeugdzorgplus_once_the_advice_says_so(clock, sanne, aanmeldpunt):
    case = build_case(
        stage="advies", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, hulpvorm="behandelverblijf_gesloten"
    )
    assert deadline_of(case, "beschikking").state == DeadlineState.LAPSED
    run_sweep(end_of_day(date(2026, 6, 1)))
    assert not any("Beschikking" in t for t in notified(aanmeldpunt))
    other = build_case(stage="advies", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, achternaam="Bakker")
    assert deadline_of(other, "beschikking").state in (DeadlineState.OPEN, DeadlineState.BREACHED)


# --- "In onderzoek": the final answer within 8 weeks [iJw OP274] ---------------------------------------


def test_in_onderzoek_answers_in_time_and_starts_eight_weeks_for_the_final_answer(
    clock, sanne, aanmeldpunt, time_machine
):
    case = build_case(stage="hulpverlenend", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)
    record_event(case, EventKind.JW315_ONTVANGEN, None, payload={"ref": "msg-9"})
    time_machine.move_to(ams(2026, 3, 12), tick=False)
    record_event(case, EventKind.JW315_IN_ONDERZOEK, None, payload={"ref": "msg-9"})
    first = deadline_of(case, "antwoord-jw315")
    assert (first.state, first.outcome) == (DeadlineState.MET, Outcome.ON_TIME)
    final = deadline_of(case, "definitief-antwoord-jw315")
    assert final.state == DeadlineState.OPEN and final.due_at == end_of_day(date(2026, 5, 7))
    time_machine.move_to(ams(2026, 4, 20), tick=False)
    record_event(case, EventKind.JW315_BEANTWOORD, None, payload={"ref": "msg-9"})
    assert deadline_of(case, "definitief-antwoord-jw315").state == DeadlineState.MET


# --- Escalation in each side's own line [ZOU 4, HvB-QA 4] ----------------------------------------------


def test_an_escalation_warns_both_lines_and_the_people_on_the_case(clock, regievoerder):
    case = build_care_case(stage="in_zorg", regievoerder=regievoerder)
    crossroads_manager = make_user("manager_crossroads")
    gemeente_manager = factories.UserFactory(role="manager_gemeente", organisation=case.gemeente)
    other_gemeente_manager = make_user("manager_gemeente", gem=factories.gemeente("Dongen", "0766"))
    record_event(case, EventKind.ESCALATIE_GEOPEND, case.coordinator, payload={"ref": "esc-1"})
    run_sweep(ams(2026, 3, 30))
    for person in (crossroads_manager, gemeente_manager, case.coordinator, regievoerder):
        assert any("Escalatiegesprek" in t and "verstreken" in t for t in notified(person)), person
    assert not notified(other_gemeente_manager)
    assert deadline_services.may_manage(case.coordinator, deadline_of(case, "escalatie-gesprek"))


# --- Before and after: who gets the reminder, who gets the breach --------------------------------------


def test_a_rule_names_who_is_reminded_and_who_is_warned_after(clock, sanne, aanmeldpunt):
    manager = make_user("manager_crossroads")
    case = build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)
    run_sweep(ams(2026, 3, 19, 8))  # the aanmeldgesprek's reminder
    assert any("verloopt op 21 maart 2026" in t for t in notified(aanmeldpunt))
    assert not notified(manager)
    run_sweep(ams(2026, 3, 22, 0, 5))  # and its breach
    assert any("Aanmeldgesprek" in t and "verstreken" in t for t in notified(manager))
    assert Notification.objects.filter(user=aanmeldpunt, case=case).count() == 2


# --- Every default rule, per route: someone who meets it and someone who is warned --------------------


def test_who_meets_names_the_permission_each_role_holds():
    for kind, (permission, targets) in WHO_MEETS.items():
        for target in targets:
            role = "toegang_medewerker" if target == COORDINATOR else target
            assert permission in ROLE_PERMISSIONS[role], (kind, target)


@pytest.mark.parametrize("route", Route.values)
def test_every_deadline_on_each_route_has_someone_to_meet_it_and_someone_warned(route, clock, time_machine):
    region = {
        "toegang": factories.UserFactory(
            role="toegang_medewerker", organisation=factories.toegang_team(factories.gemeente())
        ),
        "aanmeldpunt": make_user("aanmeldpunt"),
        "regievoerder": make_user("regievoerder"),
        "manager_crossroads": make_user("manager_crossroads"),
        "manager_gemeente": make_user("manager_gemeente"),
        "backoffice": make_user("backoffice"),
    }
    verwijzer_type = "gi_anders" if route == Route.GI else ""
    case = build_case(
        stage="hulpverlenend",
        route=route,
        toegang_user=region["toegang"] if route == Route.TOEGANG else None,
        aanmeldpunt_user=region["aanmeldpunt"],
        partner_org=region["regievoerder"].organisation,
        verwijzer_type=verwijzer_type,
    )
    # Every event that starts a rule, on this case.
    for rule in DeadlineRule.objects.filter(active=True):
        record_event(case, rule.start_event, None, payload={"ref": f"r-{rule.pk}"})
    opened = Deadline.objects.filter(case=case).select_related("rule")
    assert opened
    for deadline in opened:
        rule = deadline.rule
        assert not rule.routes or route in rule.routes
        for kind in ("reminder", "breach"):
            assert warned_who_can_meet(rule, kind), f"{rule.code} ({route}): nobody warned {kind} can meet it"
        assert who_can_meet(rule), rule.code
    before = Notification.objects.count()
    run_sweep(ams(2030, 1, 1))  # everything breached
    warned_rules = set(Notification.objects.filter(case=case).values_list("text", flat=True))
    assert Notification.objects.count() > before
    for deadline in opened.filter(state=DeadlineState.BREACHED):
        assert any(deadline.rule.name in t for t in warned_rules), f"{deadline.rule.code} ({route}) warned nobody"
    if route == Route.GI:
        assert not opened.filter(rule__code="beschikking").exists()


# --- A step the route does not have is not offered, and refused with the reason -------------------------


def test_no_beschikking_step_on_the_gi_route_and_a_direct_post_says_why(client, clock, aanmeldpunt):
    case = build_case(stage="hulpverlenend", route="gi", aanmeldpunt_user=aanmeldpunt, verwijzer_type="gi_jbb")
    client.force_login(aanmeldpunt)
    page = client.get(reverse("referrals:case_detail", args=[case.public_id])).content.decode()
    assert reverse("referrals:beschikking", args=[case.public_id]) not in page
    url = reverse("referrals:beschikking", args=[case.public_id])
    response = client.post(url, {"afgegeven_op": "2026-03-10", "resultaat": "Toegekend"}, follow=True)
    assert "Op de GI-route is de bepaling van de GI de basis: er wordt geen beschikking afgegeven." in text(response)
    assert not Beschikking.objects.filter(case=case).exists()
    with pytest.raises(ValidationError) as refused:
        case_services.record_beschikking(
            actor=aanmeldpunt,
            case=case,
            afgegeven_op=date(2026, 3, 10),
            resultaat="Toegekend",
            productcategorie="45",
            productcode="45A01",
            activiteiten="Behandeling",
            frequentie="wekelijks",
            ingangsdatum=date(2026, 3, 10),
        )
    assert "bepaling van de GI" in str(refused.value)


def test_no_beschikking_for_jeugdzorgplus(client, clock, sanne, aanmeldpunt):
    case = build_case(
        stage="hulpverlenend", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, hulpvorm="behandelverblijf_gesloten"
    )
    client.force_login(aanmeldpunt)
    response = client.get(reverse("referrals:beschikking", args=[case.public_id]), follow=True)
    assert "Gesloten behandelverblijf is Jeugdzorgplus: daarvoor wordt geen beschikking afgegeven." in text(response)


# --- Edge cases of the rules as data ----------------------------------------------------------------


def test_a_rule_switched_off_opens_nothing_but_its_running_deadlines_are_still_met(clock, sanne, aanmeldpunt):
    case = build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)
    DeadlineRule.objects.filter(code="aanmeldgesprek").update(active=False)
    other = build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, achternaam="Bakker")
    assert not Deadline.objects.filter(case=other, rule__code="aanmeldgesprek").exists()
    from .conftest import hold_gesprek

    hold_gesprek(case, aanmeldpunt, date(2026, 3, 9))
    assert deadline_of(case, "aanmeldgesprek").state == DeadlineState.MET


def _advise(case, actor, hulpvorm):
    case_services.record_aanmeldtafel_advies(
        actor=actor,
        case=case,
        datum=date(2026, 3, 10),
        segment1_nodig=True,
        regie_partner=case.aanmeldtafel_advies.regie_partner,
        hulpvorm=hulpvorm,
        geadviseerd_segment="",
        te_behalen_resultaten="Rust thuis.",
        verwijzer_geraadpleegd_op=date(2026, 3, 10),
    )


def test_a_corrected_advice_opens_the_beschikking_deadline_again(clock, sanne, aanmeldpunt):
    case = build_case(
        stage="advies", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, hulpvorm="behandelverblijf_gesloten"
    )
    assert deadline_of(case, "beschikking").state == DeadlineState.LAPSED
    case.refresh_from_db()
    _advise(case, aanmeldpunt, "intensief_ambulant")
    assert deadline_of(case, "beschikking").state == DeadlineState.OPEN


def test_a_breached_beschikking_lapses_when_the_advice_says_jeugdzorgplus(clock, sanne, aanmeldpunt):
    case = build_case(stage="advies", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt)
    run_sweep(end_of_day(date(2026, 5, 3)))
    assert deadline_of(case, "beschikking").state == DeadlineState.BREACHED
    case.refresh_from_db()
    _advise(case, aanmeldpunt, "behandelverblijf_gesloten")
    assert deadline_of(case, "beschikking").state == DeadlineState.LAPSED


def test_the_migration_sets_where_a_rule_applies_also_on_a_rule_the_region_edited(db):
    import importlib

    from django.apps import apps

    DeadlineRule.objects.filter(code="beschikking").update(warn="aanmeldpunt", routes=[], excluded_hulpvormen=[])
    DeadlineRule.objects.filter(code="antwoord-jw315").update(warn="manager_gemeente", also_met_by=[])
    importlib.import_module("deadlines.migrations.0010_rules_by_route_and_recipient").apply(apps, None)
    beschikking = DeadlineRule.objects.get(code="beschikking")
    assert "gi" not in beschikking.routes and beschikking.excluded_hulpvormen == ["behandelverblijf_gesloten"]
    answer = DeadlineRule.objects.get(code="antwoord-jw315")
    assert answer.also_met_by == ["jw315_in_onderzoek"] and answer.warn == "manager_gemeente"


def test_the_tilburg_backoffice_opens_the_extend_page_of_a_waalwijk_message_deadline(client, clock, aanmeldpunt):
    waalwijk = factories.gemeente("Waalwijk", "0867")
    toegang = factories.UserFactory(role="toegang_medewerker", organisation=factories.toegang_team(waalwijk))
    case = build_case(stage="hulpverlenend", toegang_user=toegang, aanmeldpunt_user=aanmeldpunt)
    host = factories.UserFactory(role="backoffice", organisation=factories.gemeente("Tilburg", "0855"))
    goirle = factories.UserFactory(role="backoffice", organisation=factories.gemeente("Goirle", "0785"))
    record_event(case, EventKind.JW315_ONTVANGEN, None, payload={"ref": "msg-3"})
    jw315 = deadline_of(case, "antwoord-jw315")
    url = reverse("deadlines:extend", args=[jw315.pk])
    client.force_login(host)
    page = client.get(url)
    assert page.status_code == 200 and "Antwoord op het verzoek om toewijzing" in text(page)
    response = client.post(url, {"until": "2026-03-31", "reason": "Woonplaats wordt uitgezocht."})
    assert response.status_code == 302 and response["Location"] == reverse("start")
    jw315.refresh_from_db()
    assert jw315.extended
    # Not the case's file, and not another gemeente's backoffice.
    assert client.get(reverse("referrals:case_detail", args=[case.public_id])).status_code == 404
    client.force_login(goirle)
    assert client.get(url).status_code == 404
    assert client.get(reverse("deadlines:extend", args=[deadline_of(case, "beschikking").pk])).status_code == 404


def test_a_closed_case_keeps_no_new_letters_but_its_reports(client, clock, regievoerder, aanmeldpunt):
    from referrals.letters import LetterRefused

    case = build_care_case(stage="afgesloten", regievoerder=regievoerder, aanmeldpunt_user=aanmeldpunt)
    with pytest.raises(LetterRefused) as refused:
        case_services.store_letter(actor=aanmeldpunt, case=case, slug="wat-brief")
    assert "niet meer bij de casus bewaren" in str(refused.value)
    assert not CaseDocument.objects.filter(case=case, kind="wat_brief").exists()


def test_the_foa_from_before_closing_does_not_end_the_light_help(clock, regievoerder, time_machine):
    case = build_care_case(stage="afsluitbaar", regievoerder=regievoerder)
    case_services.store_document(
        actor=regievoerder, case=case, kind="foa", title="FOA", uploaded_file=SimpleUploadedFile("foa.pdf", PDF)
    )
    from referrals.models import Vervolg

    Vervolg.objects.filter(case=case).update(lichte_hulp_loopt_door=True)
    time_machine.move_to(ams(2026, 3, 10, 15), tick=False)
    case = case_services.afsluiten(actor=regievoerder, case=case)
    with pytest.raises(ValidationError) as refused:
        case_services.record_lichte_hulp_gestopt(
            actor=regievoerder, case=case, gestopt_op=date(2026, 3, 10), afloop="foa"
        )
    assert "FOA van de lichte hulp" in str(refused.value)
