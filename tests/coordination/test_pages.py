"""The coordination pages as their users see them: the panel with the level, decisions, consents, escalations
and why a step cannot be taken yet; forms that keep what was typed and say in Dutch what is wrong; a fixed
number of queries however many rows; every look in the access log."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessLog
from coordination import guards, services
from coordination.models import Consent, Decision, Escalation, Level
from coordination.selectors import coordinator_work
from referrals.selectors import case_detail
from tests.helpers import TODAY, event_ids, field_error, make_user, read_page, text, value_of

from .helpers import eindevaluatie, fresh, joint, level_of, to_zwaar, toegang_case

pytestmark = pytest.mark.django_db


def page_url(case):
    return reverse("coordination:case", args=[case.public_id])


def level_url(case, name):
    return reverse("coordination:level", args=[case.public_id, name])


def test_the_coordinator_sees_the_level_and_the_steps(client):
    p = toegang_case()
    client.force_login(p.coordinator)

    response = client.get(page_url(p.case))

    assert response.status_code == 200
    page = text(response)
    assert "Coördinatie licht" in page
    assert "standaard, nog niet gezamenlijk vastgesteld" in page
    assert p.coordinator.get_full_name() in page
    links = [href for href, _ in read_page(response).links]
    assert level_url(p.case, "opschalen") in links
    assert level_url(p.case, "afsluiten") not in links
    assert guards.coordinator_bij_eindevaluatie.reason in page  # why afsluiten cannot be taken yet
    assert AccessLog.objects.filter(
        user=p.coordinator, object_type="coördinatie", object_id=str(p.case.public_id)
    ).exists()


def test_someone_who_may_not_see_the_case_gets_404(client, waalwijk):
    p = toegang_case()
    client.force_login(make_user("toegang_medewerker", gem=waalwijk))
    assert client.get(page_url(p.case)).status_code == 404
    assert client.get(level_url(p.case, "opschalen")).status_code == 404


def test_a_colleague_sees_the_steps_with_who_may_take_them(client):
    p = toegang_case()
    client.force_login(make_user("toegang_medewerker", gem=p.case.gemeente))
    response = client.get(page_url(p.case))
    assert guards.may_opschalen.reason in text(response)
    assert level_url(p.case, "opschalen") not in [href for href, _ in read_page(response).links]
    assert client.get(level_url(p.case, "opschalen")).status_code == 403


def test_opschalen_through_the_page(client):
    p = toegang_case()
    client.force_login(p.coordinator)
    url = level_url(p.case, "opschalen")
    form = client.get(url)
    assert read_page(form).values["expected_level"] == [Level.LICHT]

    data = {
        "expected_level": "licht",
        "decided_on": TODAY.isoformat(),
        "met_coordinator": "on",
        "met_gedragswetenschapper": "on",
        "toelichting": "Zorgen over veiligheid.",
    }
    before = event_ids(p.case)
    wrong = client.post(url, data)
    assert wrong.status_code == 200
    assert "Kies ten minste één reden" in field_error(wrong, "id_redenen")
    assert "met de regievoerder" in field_error(wrong, "id_met_regievoerder")
    assert value_of(wrong, "toelichting") == "Zorgen over veiligheid."  # what was typed stays
    assert event_ids(p.case) == before and level_of(p.case) == Level.LICHT

    right = client.post(url, {**data, "met_regievoerder": "on", "redenen": ["veiligheidsrisico"]}, follow=True)
    assert right.redirect_chain[-1][0] == page_url(p.case)
    assert "Opschalen naar coördinatie zwaar: vastgelegd." in text(right)
    assert level_of(p.case) == Level.ZWAAR
    assert "Toegenomen, aantoonbaar veiligheidsrisico" in text(right)  # in the decision history


def test_a_stale_form_says_so_and_changes_nothing(client):
    p = toegang_case()
    to_zwaar(p)
    client.force_login(p.coordinator)
    response = client.post(
        level_url(p.case, "afschalen"),
        {
            "expected_level": "licht",
            "decided_on": TODAY.isoformat(),
            "met_coordinator": "on",
            "met_gedragswetenschapper": "on",
            "met_regievoerder": "on",
            "indicatoren": ["positieve_ontwikkeling"],
        },
        follow=True,
    )
    assert "intussen door iemand anders gewijzigd" in text(response)
    assert level_of(p.case) == Level.ZWAAR


def test_afschalen_shows_the_warning(client):
    p = toegang_case()
    to_zwaar(p)
    client.force_login(p.coordinator)
    response = client.post(
        level_url(p.case, "afschalen"),
        {
            "expected_level": "zwaar",
            "decided_on": TODAY.isoformat(),
            "met_coordinator": "on",
            "met_gedragswetenschapper": "on",
            "met_regievoerder": "on",
            "indicatoren": ["positieve_ontwikkeling"],
            "veilig_sinds": (TODAY - timedelta(days=30)).isoformat(),
        },
        follow=True,
    )
    assert "korter dan 6 maanden structureel veilig" in text(response)
    assert level_of(p.case) == Level.LICHT


def test_afsluiten_zwaar_page_asks_since_when_it_is_safe(client):
    p = toegang_case()
    to_zwaar(p)
    eindevaluatie(p.case)
    client.force_login(p.coordinator)
    url = level_url(p.case, "afsluiten")
    assert "veilig_sinds" in read_page(client.get(url)).values
    refused = client.post(
        url,
        {
            "expected_level": "zwaar",
            "decided_on": TODAY.isoformat(),
            "veilig_sinds": (TODAY - timedelta(days=90)).isoformat(),
        },
        follow=True,
    )
    assert "Dit kan nog niet: " + guards.zwaar_zes_maanden_veilig.reason in text(refused)
    assert level_of(p.case) == Level.ZWAAR
    client.post(
        url,
        {
            "expected_level": "zwaar",
            "decided_on": TODAY.isoformat(),
            "veilig_sinds": guards.months_before(TODAY, 7).isoformat(),
        },
    )
    assert level_of(p.case) == Level.AFGESLOTEN


def test_the_toegang_assigns_and_sets_the_level_through_the_pages(client):
    from .test_level_machine import requested_case

    case, _ = requested_case()
    toegang = make_user("toegang_medewerker", gem=case.gemeente)
    colleague = make_user("toegang_medewerker", gem=case.gemeente)
    client.force_login(toegang)
    page = client.get(page_url(case))
    assert guards.coordinator_toegewezen.reason in text(page)
    assign = reverse("coordination:assign", args=[case.public_id])
    options = text(client.get(assign))
    assert colleague.get_full_name() in options
    assert client.post(assign, {"coordinator": colleague.pk, "reason": "Kent het gezin"}).status_code == 302
    assert fresh(case).coordinator == colleague
    response = client.post(
        level_url(case, "vaststellen_zwaar"),
        {"expected_level": "aangevraagd", "decided_on": TODAY.isoformat(), "met_gedragswetenschapper": "on"},
    )
    assert "samen met Crossroads" in field_error(response, "id_met_crossroads")
    client.post(
        level_url(case, "vaststellen_zwaar"),
        {
            "expected_level": "aangevraagd",
            "decided_on": TODAY.isoformat(),
            "met_gedragswetenschapper": "on",
            "met_crossroads": "on",
        },
    )
    assert level_of(case) == Level.ZWAAR


def test_consent_page_names_who_must_consent(client):
    p = toegang_case(age_years=13)
    client.force_login(p.aanmeldpunt)
    url = reverse("coordination:consent", args=[p.case.public_id])
    wrong = client.post(url, {"subject": "wat_advies_delen", "given_by": "ouders", "given_on": TODAY.isoformat()})
    assert "toestemming nodig van: ouders en jeugdige" in field_error(wrong, "id_given_by")
    assert not Consent.objects.exists()
    client.post(url, {"subject": "wat_advies_delen", "given_by": "ouders_en_jeugdige", "given_on": TODAY.isoformat()})
    consent = Consent.objects.get()
    page = client.get(page_url(p.case))
    withdraw = reverse("coordination:consent_withdraw", args=[p.case.public_id, consent.pk])
    assert withdraw in [href for href, _ in read_page(page).links]
    bad = client.post(withdraw, {"withdrawn_on": (TODAY - timedelta(days=3)).isoformat(), "reden": "Wil niet meer"})
    assert "vóór de toestemming" in field_error(bad, "id_withdrawn_on")
    assert value_of(bad, "reden") == "Wil niet meer"
    client.post(withdraw, {"withdrawn_on": TODAY.isoformat(), "reden": "Wil niet meer"})
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY


def test_sharing_without_consent_is_refused_on_the_page(client):
    p = toegang_case()
    client.force_login(p.coordinator)
    page = text(client.get(page_url(p.case)))
    assert "Zonder toestemming wordt niet gedeeld" in page
    response = client.post(reverse("coordination:share", args=[p.case.public_id, "ipva_delen"]), follow=True)
    assert "Zonder toestemming wordt niet gedeeld" in text(response)
    assert not p.case.sharings.exists()


def test_escalation_pages(client):
    p = toegang_case()
    client.force_login(p.regievoerder)
    url = reverse("coordination:escalation", args=[p.case.public_id])
    bad = client.post(url, {"kind": "inhoud", "topic": "geadviseerde_zorg", "description": "Oneens over de zorg."})
    assert "welke criteria gelden" in field_error(bad, "id_ret_criteria")
    assert value_of(bad, "description") == "Oneens over de zorg."
    assert not Escalation.objects.exists()
    client.post(
        url,
        {
            "kind": "inhoud",
            "topic": "geadviseerde_zorg",
            "description": "Oneens over de zorg.",
            "ret_criteria": ["thuiszitter"],
        },
    )
    escalation = Escalation.objects.get()
    page = text(client.get(page_url(p.case)))
    assert "Wacht op gesprek in de hiërarchische lijn" in page
    assert "(Dreigende) thuiszitter" in page
    talk = reverse("coordination:escalation_talk", args=[p.case.public_id, escalation.pk])
    bad = client.post(talk, {"held_on": "gisteren", "participants": "", "summary": ""})
    assert bad.status_code == 200 and field_error(bad, "id_held_on")
    client.post(talk, {"held_on": TODAY.isoformat(), "participants": "Teamleiders", "summary": "Afgestemd."})
    commitment = reverse("coordination:escalation_commitment", args=[p.case.public_id, escalation.pk])
    client.post(commitment, {"committed_on": TODAY.isoformat(), "commitment": "Start.", "agreements": "Overleg."})
    escalation.refresh_from_db()
    assert escalation.state == "afgerond"


def test_nonsense_input_never_gives_a_500(client):
    p = toegang_case()
    client.force_login(p.coordinator)
    pid = p.case.public_id
    attempts = [
        (level_url(p.case, "opschalen"), {"expected_level": "\x00", "decided_on": "0001-01-01", "redenen": ["x"]}),
        (level_url(p.case, "afschalen"), {"expected_level": "licht", "veilig_sinds": "99-99-9999"}),
        (level_url(p.case, "bestaat_niet"), {}),
        (reverse("coordination:assign", args=[pid]), {"coordinator": "abc"}),
        (reverse("coordination:consent", args=[pid]), {"subject": "x", "given_by": "y", "given_on": "z"}),
        (reverse("coordination:consent_withdraw", args=[pid, 999999]), {"withdrawn_on": "2026-01-01"}),
        (reverse("coordination:share", args=[pid, "alles"]), {}),
        (reverse("coordination:escalation", args=[pid]), {"kind": "x", "ret_criteria": ["y"]}),
        (reverse("coordination:escalation_talk", args=[pid, 999999]), {}),
        (reverse("coordination:request", args=[pid]), {"given_by": "buurman"}),
    ]
    before = event_ids(p.case)
    for url, data in attempts:
        assert client.post(url, data).status_code < 500, url
    assert event_ids(p.case) == before


# --- fixed number of queries ---------------------------------------------------------------------------


def render_panel(case, user) -> str:
    return Template("{% load coordination %}{% coordination_panel case user %}").render(
        Context({"case": case, "user": user})
    )


def panel_queries(case, user) -> int:
    shown = case_detail(user, case.public_id)
    render_panel(shown, user)  # warm the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        render_panel(shown, user)
    return len(ctx.captured_queries)


def test_the_panel_costs_the_same_queries_however_many_rows():
    p = toegang_case()
    services.record_consent(
        actor=p.coordinator, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
    )
    services.open_escalation(actor=p.coordinator, case=p.case, kind="proces", topic="urgentie", description="Oneens.")
    small = panel_queries(p.case, p.coordinator)

    case = to_zwaar(p)
    services.afschalen(
        actor=p.coordinator,
        case=case,
        expected_level=Level.ZWAAR,
        decision=joint(indicatoren=["positieve_ontwikkeling"]),
    )
    for subject in ("wat_advies_delen",):
        services.record_consent(
            actor=p.aanmeldpunt, case=case, subject=subject, given_by="ouders_en_jeugdige", given_on=TODAY
        )
    services.share_documents(actor=p.coordinator, case=case, subject="ipva_delen")
    for topic in ("afspraken", "anders", "geadviseerde_zorg"):
        e = services.open_escalation(actor=p.regievoerder, case=case, kind="proces", topic=topic, description="Oneens.")
        services.record_escalation_talk(
            actor=p.regievoerder, case=case, escalation_id=e.pk, held_on=TODAY, participants="Lijn", summary="Ok"
        )
    assert Decision.objects.filter(coordination__case=case).count() == 3
    large = panel_queries(case, p.coordinator)

    assert small == large


def test_the_work_list_costs_the_same_queries_however_many_rows(client):
    from .test_level_machine import requested_case

    case, _ = requested_case()
    toegang = make_user("toegang_medewerker", gem=case.gemeente)
    client.force_login(toegang)

    def measure():
        coordinator_work(toegang)
        with CaptureQueriesContext(connection) as ctx:
            work = coordinator_work(toegang)
            [row.escalation.case.reference for row in work["escalations"]]
        return len(ctx.captured_queries), len(work["requests"])

    small, n_small = measure()
    requested_case(achternaam="Bakker")
    requested_case(achternaam="Visser")
    large, n_large = measure()
    assert (n_small, n_large) == (1, 3)
    assert small == large


# --- the start page's block ----------------------------------------------------------------------------


def test_work_list_shows_requests_and_the_most_pressing_escalation_first(time_machine):
    from .test_level_machine import requested_case

    p = toegang_case()
    older = services.open_escalation(
        actor=p.coordinator, case=p.case, kind="proces", topic="urgentie", description="Eerst."
    )
    services.record_escalation_talk(
        actor=p.coordinator, case=p.case, escalation_id=older.pk, held_on=TODAY, participants="Lijn", summary="Ok"
    )
    newer = services.open_escalation(
        actor=p.coordinator, case=p.case, kind="proces", topic="afspraken", description="Later."
    )
    request, _ = requested_case()
    gw = make_user("gedragswetenschapper", gem=request.gemeente)

    work = coordinator_work(p.coordinator)
    # the commitment is due in 5 working days, the talk of the newer one in 14 days
    assert [row.escalation for row in work["escalations"]] == [older, newer]
    assert [c.pk for c in coordinator_work(gw)["requests"]] == [request.pk]

    html = Template("{% load coordination %}{% coordinator_work_panel user %}").render(Context({"user": gw}))
    assert request.reference in html
    assert AccessLog.objects.filter(user=gw, action="lijst", description__contains=request.reference).exists()


def test_forms_for_steps_the_user_may_not_take_are_not_shown(client):
    p = toegang_case()
    client.force_login(make_user("gedragswetenschapper", gem=p.case.gemeente))
    pid = p.case.public_id
    assert client.get(page_url(p.case)).status_code == 200
    for url in (
        reverse("coordination:consent", args=[pid]),
        reverse("coordination:escalation", args=[pid]),
        level_url(p.case, "opschalen"),
    ):
        assert client.get(url).status_code == 403, url
    page = read_page(client.get(page_url(p.case)))
    assert reverse("coordination:consent", args=[pid]) not in [href for href, _ in page.links]


# The doorbraakteam's criteria a-j, in the order of [ZOU 4].
RET_CRITERIA = [
    ("geen_lokale_oplossing", "Geen lokale oplossing"),
    ("vraag_gericht_op_jeugdige", "De ondersteuningsvraag van het gezin richt zich op de jeugdige"),
    ("urgent_geen_crisis", "Urgent, maar geen crisis"),
    ("vrijwillig_kader", "De ondersteuningsvraag ligt binnen het vrijwillig kader"),
    ("meerdere_aanbieders", "Meerdere aanbieders nodig"),
    ("thuiszitter", "(Dreigende) thuiszitter"),
    ("doorplaatsing", "(Mogelijke) doorplaatsing"),
    ("uithuisplaatsing", "(Mogelijke) uithuisplaatsing"),
    ("lange_historie", "Lange hulpverleningshistorie en opnieuw geen passende plek"),
    ("overbruggingszorg", "Overbruggingszorg nodig"),
]


def test_the_ret_escalation_form_offers_the_ten_criteria_in_order(client):
    p = toegang_case()
    client.force_login(p.regievoerder)
    response = client.get(reverse("coordination:escalation", args=[p.case.public_id]))
    boxes = re.findall(r'<input[^>]*name="ret_criteria"[^>]*>', response.content.decode())
    assert [re.search(r'value="([^"]*)"', box).group(1) for box in boxes] == [value for value, _ in RET_CRITERIA]
    shown = text(response)
    positions = [shown.index(label) for _, label in RET_CRITERIA]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("value", "label"), RET_CRITERIA)
def test_each_ret_criterion_is_stored_and_shown(client, value, label):
    p = toegang_case()
    client.force_login(p.regievoerder)
    url = reverse("coordination:escalation", args=[p.case.public_id])
    data = {"kind": "inhoud", "topic": "geadviseerde_zorg", "description": "Oneens.", "ret_criteria": [value]}
    assert client.post(url, data).status_code == 302
    assert Escalation.objects.get().ret_criteria == [value]
    assert f"Criteria RET: {label}" in text(client.get(page_url(p.case)))
