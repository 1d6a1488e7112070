"""The pages of the hulpverlenende fase as their users see them: what each person is offered, errors at
the field with what was typed kept, consent gating of the IPVA, the family page, the work lists, and a
fixed number of queries however much care there is."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import services
from referrals.models import Case, Eindevaluatie, Phase
from tests import factories
from tests.factories import build_care_case
from tests.helpers import (
    FAST_HASHERS,
    NOW,
    TODAY,
    field_error,
    make_user,
    phase_in_db,
    read_page,
    text,
    value_of,
)

pytestmark = pytest.mark.django_db


# A Perspectiefplan Crisis made with everyone [HvB-WI 4].
FULL_CRISIS_PLAN = {
    "plan": "Veilig.",
    "met_cit": "on",
    "met_jeugdige": "on",
    "met_crisisaanbieder": "on",
    "met_regievoerder": "on",
}


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path


def url(name, case, *args):
    return reverse(f"referrals:{name}", args=[case.public_id, *args])


def test_the_regievoerder_sees_the_care_and_what_to_do(client):
    case = build_care_case(stage="in_zorg")
    client.force_login(case.regievoerder)
    page = text(client.get(url("case_detail", case)))
    assert "Betrokkenen" in page and case.regievoerder.get_full_name() in page
    assert "Versie 1, 10 maart 2026" in page and "Rust thuis." in page
    for offered in (
        "Nieuwe versie van het behandelplan",
        "Evaluatie vastleggen",
        "Signaal aan de coördinator",
        "Resultaten bereikt",
        "Crisis melden",
    ):
        assert offered in page
    # Afronding is not offered yet, and says why.
    assert "De regievoerder heeft nog niet vastgelegd dat de resultaten zijn bereikt." in page


def test_a_gemeente_worker_who_is_not_on_the_case_gets_no_care_buttons(client):
    case = build_care_case(stage="crisis")
    colleague = factories.UserFactory(role="toegang_medewerker", organisation=case.coordinator.organisation)
    client.force_login(colleague)
    page = text(client.get(url("case_detail", case)))
    assert "Lopende crisis sinds" in page
    assert "Perspectiefplan Crisis vastleggen" not in page
    assert client.get(url("perspectiefplan_crisis", case)).status_code == 403


def test_crisis_report_errors_stay_at_their_fields_and_keep_what_was_typed(client):
    case = build_care_case(stage="in_zorg")
    client.force_login(case.regievoerder)
    response = client.post(
        url("transition", case, "crisis_melden"),
        {"expected_phase": "hulpverlenend", "gesignaleerd_door": "school", "reden": "", "geinformeerd": "ouders"},
    )
    assert response.status_code == 200
    assert field_error(response, "id_reden")
    assert value_of(response, "gesignaleerd_door") == "school"
    assert phase_in_db(case) == Phase.HULPVERLENEND


def test_a_crisis_walks_from_report_to_plan_to_end_through_the_pages(client):
    case = build_care_case(stage="in_zorg")
    client.force_login(case.regievoerder)
    response = client.post(
        url("transition", case, "crisis_melden"),
        {
            "expected_phase": "hulpverlenend",
            "gesignaleerd_door": "moeder",
            "reden": "Escalatie.",
            "cit_gecontacteerd": "on",
            "geinformeerd": "coördinator",
        },
    )
    assert response.status_code == 302 and phase_in_db(case) == Phase.CRISIS
    client.force_login(case.coordinator)
    response = client.post(url("perspectiefplan_crisis", case), {"plan": "Veilig.", "met_cit": "on"})
    assert "Nog niet betrokken: de jeugdige, de crisisaanbieder, de regievoerder." in text(response)
    assert value_of(response, "plan") == "Veilig."
    client.post(
        url("perspectiefplan_crisis", case),
        FULL_CRISIS_PLAN,
    )
    response = client.post(url("transition", case, "crisis_afsluiten"), {"expected_phase": "crisis"})
    assert response.status_code == 302 and phase_in_db(case) == Phase.HULPVERLENEND


def test_a_second_click_on_a_stale_page_is_told_and_nothing_happens_twice(client):
    case = build_care_case(stage="resultaten")
    client.force_login(case.regievoerder)
    for _ in range(2):
        response = client.post(
            url("transition", case, "afronding_starten"), {"expected_phase": "hulpverlenend"}, follow=True
        )
    assert "intussen door iemand anders gewijzigd" in text(response)
    assert case.events.filter(kind="afronding_gestart").count() == 1


def test_end_date_before_start_is_shown_at_the_field(client):
    case = build_care_case(stage="afrondend")
    client.force_login(case.regievoerder)
    response = client.post(
        url("einddatum", case),
        {"einddatum": (TODAY - timedelta(days=5)).isoformat(), "afgesproken_met_coordinator": "on"},
    )
    assert "vóór de start van de jeugdhulp (10 maart 2026)" in field_error(response, "id_einddatum")
    assert value_of(response, "einddatum") == (TODAY - timedelta(days=5)).isoformat()


def test_substitute_is_shown_as_the_contact(client):
    case = build_care_case(stage="in_zorg")
    colleague = factories.UserFactory(
        role="regievoerder", organisation=case.regie_organisatie, first_name="Vera", last_name="Vervanger"
    )
    client.force_login(case.regievoerder)
    response = client.post(
        url("vervanging", case),
        {
            "role": "regievoerder",
            "substitute": colleague.pk,
            "start": TODAY.isoformat(),
            "end": (TODAY + timedelta(days=14)).isoformat(),
            "gezin_geinformeerd": "on",
            "andere_partij_geinformeerd": "on",
        },
    )
    assert response.status_code == 302
    page = text(client.get(url("case_detail", case)))
    assert "Afwezig:</strong> vervanger Vera Vervanger t/m 24 maart 2026" in page


def test_the_ipva_reaches_the_regievoerder_only_with_consent(client):
    case = build_care_case(stage="in_zorg")
    client.force_login(case.regievoerder)
    page = text(client.get(url("case_detail", case)))
    assert "Het IPVA wordt met u gedeeld zodra de toestemming daarvoor is vastgelegd." in page
    assert "Analyse." not in page
    services.record_sharing_consent(actor=case.coordinator, case=case, subject="ipva_delen", allowed=True)
    assert "Analyse." in text(client.get(url("case_detail", case)))


def test_wat_brief_reaches_the_toegang_only_with_consent(client, aanmeldpunt_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = build_care_case(stage="in_zorg", aanmeldpunt_user=aanmeldpunt_user)
    doc = services.store_document(
        actor=aanmeldpunt_user,
        case=case,
        kind="wat_brief",
        title="WAT-brief",
        uploaded_file=SimpleUploadedFile("wat.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    client.force_login(case.coordinator)
    download = url("document_download", case, doc.public_id)
    assert download not in text(client.get(url("case_detail", case)))
    assert client.get(download).status_code == 404
    services.record_sharing_consent(actor=aanmeldpunt_user, case=case, subject="wat_advies_delen", allowed=True)
    assert download in text(client.get(url("case_detail", case)))
    assert client.get(download).status_code == 200


def test_the_family_page_shows_all_youths_and_the_one_coordinator(client, toegang_user, waalwijk):
    case = build_care_case(stage="in_zorg", toegang_user=toegang_user)
    client.force_login(toegang_user)
    response = client.get(reverse("referrals:gezin", args=[case.jeugdige.gezin.public_id]))
    page = text(response)
    assert "Coördinator van het gezin" in page and toegang_user.get_full_name() in page
    assert case.reference in page and "Hulpverlenende fase" in page
    outsider = make_user("toegang_medewerker", gem=waalwijk)
    client.force_login(outsider)
    assert client.get(reverse("referrals:gezin", args=[case.jeugdige.gezin.public_id])).status_code == 404


def test_work_lists_put_the_crisis_first(client, toegang_user, sterk_huis):
    regievoerder = factories.UserFactory(role="regievoerder", organisation=sterk_huis)
    calm = build_care_case(stage="in_zorg", regievoerder=regievoerder, toegang_user=toegang_user, achternaam="Rust")
    crisis = build_care_case(stage="crisis", regievoerder=regievoerder, toegang_user=toegang_user, achternaam="Storm")
    services.record_signaal(actor=regievoerder, case=calm, domein="wonen", beschrijving="Huis nodig.")
    client.force_login(regievoerder)
    page = text(client.get(reverse("start")))
    assert page.index(crisis.reference) < page.index(calm.reference)
    client.force_login(toegang_user)
    page = text(client.get(reverse("start")))
    assert "Als coördinator" in page and "1 signaal oppakken" in page
    assert page.index(crisis.reference) < page.index(calm.reference)


def test_the_case_page_costs_the_same_however_much_care(client):
    case = build_care_case(stage="in_zorg")
    client.force_login(case.regievoerder)
    client.get(url("case_detail", case))

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("case_detail", case)).status_code == 200
        return len(ctx.captured_queries)

    before = cost()
    for i in range(3):
        services.record_behandelplan(
            actor=case.regievoerder, case=case, doelen=f"D{i}", resultaten="R", wijziging="Bijgesteld."
        )
        services.record_evaluatie(actor=case.regievoerder, case=case, datum=TODAY, aanwezigen="ouders", verslag="x")
        services.record_signaal(actor=case.regievoerder, case=case, domein="wonen", beschrijving="x")
    assert cost() == before
    assert Case.objects.get(pk=case.pk).behandelplannen.count() == 4


def test_the_perspectiefplan_is_offered_from_15_only(client):
    young = build_care_case(stage="in_zorg", age_years=12)
    client.force_login(young.regievoerder)
    assert "Perspectiefplan starten" not in text(client.get(url("case_detail", young)))
    assert client.get(url("perspectiefplan", young)).status_code == 403
    older = build_care_case(stage="in_zorg", age_years=16, regievoerder=young.regievoerder)
    assert "Perspectiefplan starten" in text(client.get(url("case_detail", older)))
    assert client.get(url("perspectiefplan", older)).status_code == 200


def test_an_eindevaluatie_without_the_coordinator_is_refused_at_the_field_with_what_was_typed(client):
    case = build_care_case(stage="afrondend")
    client.force_login(case.regievoerder)
    response = client.post(
        url("eindevaluatie", case),
        {"datum": TODAY.isoformat(), "jeugdige_aanwezig": "on", "verwijzer_aanwezig": "on", "verslag": "Goed."},
    )
    assert response.status_code == 200
    assert "De coördinator van deze casus sluit altijd aan bij de eindevaluatie." in field_error(
        response, "id_coordinator_aanwezig"
    )
    assert "opgeslagen" not in text(response)
    assert value_of(response, "verslag") == "Goed." and value_of(response, "datum") == TODAY.isoformat()
    assert not Eindevaluatie.objects.filter(case=case).exists()


def test_a_case_without_coordinator_is_not_asked_about_one_at_the_eindevaluatie(client):
    case = build_care_case(stage="afrondend", coordinated=False)
    client.force_login(case.regievoerder)
    assert "Coördinator aanwezig" not in text(client.get(url("eindevaluatie", case)))
    response = client.post(
        url("eindevaluatie", case), {"datum": TODAY.isoformat(), "jeugdige_aanwezig": "on", "verslag": "Goed."}
    )
    assert "De eindevaluatie houdt u met de verwijzer." in field_error(response, "id_verwijzer_aanwezig")
    assert value_of(response, "verslag") == "Goed."
    assert not Eindevaluatie.objects.filter(case=case).exists()
    response = client.post(
        url("eindevaluatie", case),
        {"datum": TODAY.isoformat(), "jeugdige_aanwezig": "on", "verwijzer_aanwezig": "on", "verslag": "Goed."},
        follow=True,
    )
    assert "Eindevaluatie: opgeslagen." in text(response)
    assert Eindevaluatie.objects.get(case=case).verslag == "Goed."


def test_without_a_coordinator_the_regievoerder_is_offered_the_crisis_steps_and_takes_them(client):
    case = build_care_case(stage="crisis", coordinated=False)
    client.force_login(case.regievoerder)
    page = read_page(client.get(url("case_detail", case)))
    assert "Perspectiefplan Crisis vastleggen" in [label for _, label in page.links]
    assert (url("transition", case, "crisis_afsluiten"), "Crisis afsluiten") not in page.links  # the plan first
    form = text(client.get(url("perspectiefplan_crisis", case)))
    assert "Opgesteld met de regievoerder" not in form and "Opgesteld met het CIT" in form
    response = client.post(url("perspectiefplan_crisis", case), {"plan": "Veilig bij oma.", "met_cit": "on"})
    assert "Nog niet betrokken: de jeugdige, de crisisaanbieder." in text(response)
    assert value_of(response, "plan") == "Veilig bij oma."
    client.post(
        url("perspectiefplan_crisis", case),
        {"plan": "Veilig bij oma.", "met_cit": "on", "met_jeugdige": "on", "met_crisisaanbieder": "on"},
    )
    assert (url("transition", case, "crisis_afsluiten"), "Crisis afsluiten") in read_page(
        client.get(url("case_detail", case))
    ).links
    response = client.post(url("transition", case, "crisis_afsluiten"), {"expected_phase": "crisis"})
    assert response.status_code == 302 and phase_in_db(case) == Phase.HULPVERLENEND


def test_without_a_coordinator_the_aanmeldpunt_leads_the_crisis_and_a_toegang_worker_does_not(client):
    case = build_care_case(stage="crisis", coordinated=False)
    toegang = make_user("toegang_medewerker", gem=case.gemeente)
    client.force_login(toegang)
    assert "Perspectiefplan Crisis vastleggen" not in text(client.get(url("case_detail", case)))
    assert client.get(url("perspectiefplan_crisis", case)).status_code == 403
    client.force_login(make_user("aanmeldpunt"))
    assert "Perspectiefplan Crisis vastleggen" in text(client.get(url("case_detail", case)))
    client.post(
        url("perspectiefplan_crisis", case),
        FULL_CRISIS_PLAN,
    )
    response = client.post(url("transition", case, "crisis_afsluiten"), {"expected_phase": "crisis"})
    assert response.status_code == 302 and phase_in_db(case) == Phase.HULPVERLENEND


def test_with_a_coordinator_the_regievoerder_is_not_offered_the_crisis_steps(client):
    case = build_care_case(stage="crisis")
    client.force_login(case.regievoerder)
    page = text(client.get(url("case_detail", case)))
    assert "Perspectiefplan Crisis vastleggen" not in page
    assert client.get(url("perspectiefplan_crisis", case)).status_code == 403
    assert "Alleen de coördinator van deze casus (of diens vervanger)" in page
