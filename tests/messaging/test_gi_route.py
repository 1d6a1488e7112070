"""The route of another GI (not JBB, Leger des Heils or William Schrikker Groep): the GI's bepaling is
recorded, no JW315 is made, and the gemeente assigns on the bepaling with a JW301 [HvB-STAP] (ADR 0019)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from messaging import services
from messaging.builders import MessageNotApplicable
from messaging.models import Message, Toewijzing
from messaging.parsing import parse_jw301, parse_xml
from messaging.validation import validate
from referrals import services as case_services
from referrals.models import CaseEvent, EventKind, GiBepaling, Jeugdige
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, field_error, read_page, text, value_of

from .test_pages import form_data
from .traffic import ADRES, Parties, request_input

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def gi_case(p, *, verwijzer_type="gi_anders", stage="hulpverlenend", **kw):
    return build_case(
        stage=stage,
        route="gi",
        verwijzer_type=verwijzer_type,
        verwijzer_organisatie="Stichting Jeugdbescherming Noord" if verwijzer_type == "gi_anders" else "",
        aanmeldpunt_user=p.aanmeldpunt,
        partner_org=p.sterk_huis,
        **{**ADRES, **kw},
    )


def aged(case, years: int, on: date):
    """The youth is `years` old on `on` (a birthday 30 days before)."""
    born = on.replace(year=on.year - years) - timedelta(days=30)
    Jeugdige.objects.filter(pk=case.jeugdige_id).update(geboortedatum=born)
    case.jeugdige.refresh_from_db()
    return case


def bepaling_data(**kw):
    today = timezone.localdate()
    data = {
        "kind": "ots",
        "gi": "",
        "bepaald_op": today.isoformat(),
        "einddatum": (today + timedelta(days=180)).isoformat(),
        "categorie": "45",
        "product_code": "45A01",
        "volume": "4",
        "eenheid": "04",
        "frequentie": "2",
        "document": "",
    }
    data.update(kw)
    return data


def record(p, case, actor=None, **kw):
    today = timezone.localdate()
    values = {
        "kind": "ots",
        "bepaald_op": today,
        "einddatum": today + timedelta(days=180),
        "categorie": "45",
        "product_code": "45A01",
        "volume": 4,
        "eenheid": "04",
        "frequentie": "4",
    }
    values.update(kw)
    return case_services.record_gi_bepaling(actor=actor or p.aanmeldpunt, case=case, **values)


# --- Recording the bepaling ---------------------------------------------------------------------------------


def test_the_aanmeldpunt_records_the_bepaling_on_the_case_page_and_the_timeline_says_so(client, p):
    case = gi_case(p)
    client.force_login(p.aanmeldpunt)
    detail = read_page(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    url = reverse("referrals:gi_bepaling", args=[case.public_id])
    assert (url, "GI-bepaling vastleggen") in detail.links
    response = client.post(url, bepaling_data())
    assert response.status_code == 302
    (bepaling,) = GiBepaling.objects.filter(case=case)
    assert (bepaling.kind, bepaling.product_code, bepaling.gi_naam) == (
        "ots",
        "45A01",
        "Stichting Jeugdbescherming Noord",
    )
    event = CaseEvent.objects.get(case=case, kind=EventKind.GI_BEPALING_VASTGELEGD)
    assert event.get_kind_display() == "GI-bepaling vastgelegd"
    page = text(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    assert "Ondertoezichtstelling (OTS)" in page
    assert f"vanaf {bepaling.bepaald_op.day} " in page


def test_the_backoffice_of_the_gemeente_records_the_bepaling_on_the_case_page_too(client, p):
    case = gi_case(p)
    client.force_login(p.backoffice)
    detail = read_page(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    url = reverse("referrals:gi_bepaling", args=[case.public_id])
    assert (url, "GI-bepaling vastleggen") in detail.links
    response = client.post(url, bepaling_data(kind="voogdij"))
    assert response.status_code == 302
    (bepaling,) = GiBepaling.objects.filter(case=case)
    assert (bepaling.kind, bepaling.recorded_by) == ("voogdij", p.backoffice)


def test_the_bepaling_is_not_offered_off_the_gi_route(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    detail = read_page(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    url = reverse("referrals:gi_bepaling", args=[case.public_id])
    assert url not in [href for href, _ in detail.links]
    assert client.post(url, bepaling_data()).status_code == 403
    with pytest.raises(PermissionDenied):
        record(p, case)
    assert not GiBepaling.objects.exists()


@pytest.mark.parametrize(
    ("kind", "age", "accepted"),
    [
        ("ots", 17, True),
        ("ots", 18, False),
        ("voogdij", 18, False),
        ("jeugdreclassering", 20, True),
        ("jeugdreclassering", 23, False),
    ],
)
def test_no_bepaling_from_18_except_jeugdreclassering_up_to_23(p, kind, age, accepted):
    today = timezone.localdate()
    case = aged(gi_case(p), age, today)
    if accepted:
        record(p, case, kind=kind, einddatum=None)
        assert GiBepaling.objects.filter(case=case).count() == 1
    else:
        with pytest.raises(ValidationError) as refused:
            record(p, case, kind=kind, einddatum=None)
        assert f"{age} jaar" in refused.value.message_dict["bepaald_op"][0]
        assert not GiBepaling.objects.exists()


def test_the_age_refusal_is_shown_at_the_date_with_the_typed_values_kept(client, p):
    today = timezone.localdate()
    case = aged(gi_case(p), 18, today)
    client.force_login(p.aanmeldpunt)
    response = client.post(reverse("referrals:gi_bepaling", args=[case.public_id]), bepaling_data(einddatum=""))
    assert response.status_code == 200
    assert "18 jaar" in field_error(response, "id_bepaald_op")
    assert value_of(response, "product_code") == "45A01"
    assert not GiBepaling.objects.exists()


def test_care_under_a_protection_measure_ends_on_the_18th_birthday(client, p):
    today = timezone.localdate()
    case = aged(gi_case(p), 17, today)
    client.force_login(p.aanmeldpunt)
    late = (today + timedelta(days=400)).isoformat()
    response = client.post(reverse("referrals:gi_bepaling", args=[case.public_id]), bepaling_data(einddatum=late))
    assert "18 wordt" in field_error(response, "id_einddatum")
    assert not GiBepaling.objects.exists()


# --- No JW315 on the route of another GI --------------------------------------------------------------------


def test_no_jw315_is_offered_on_another_gi_and_a_direct_post_is_refused_in_dutch(client, p):
    case = gi_case(p)
    client.force_login(p.aanmeldpunt)
    page = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    url = reverse("messaging:jw315_new", args=[case.public_id])
    assert url not in [href for href, _ in page.links]
    assert "geen verzoek om toewijzing (JW315)" in page.by_id["geen-jw315"]
    response = client.post(url, form_data(aanbieder=p.sterk_huis.pk, actie="verzenden"), follow=True)
    assert "geen verzoek om toewijzing (JW315)" in text(response)
    assert not Message.objects.exists()
    with pytest.raises(MessageNotApplicable):
        services.create_jw315(actor=p.aanmeldpunt, case=case, data=request_input())
    assert not Message.objects.exists()


def test_jbb_still_goes_through_the_jw315(client, p):
    case = gi_case(p, verwijzer_type="gi_jbb")
    client.force_login(p.aanmeldpunt)
    page = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    assert (reverse("messaging:jw315_new", args=[case.public_id]), "Verzoek om toewijzing maken") in page.links


# --- The gemeente's JW301 on the bepaling -------------------------------------------------------------------


def test_the_backoffice_assigns_on_the_bepaling_without_a_jw315_and_the_toewijzing_arrives(client, p):
    case = gi_case(p)
    bepaling = record(p, case)
    client.force_login(p.backoffice)
    page = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    url = reverse("messaging:bepaling_jw301", args=[case.public_id, bepaling.public_id])
    assert (url, "Toewijzen op bepaling (JW301)") in page.links
    response = client.post(url, {"commentaar": "Op de bepaling van de GI."})
    assert response.status_code == 302
    assert not Message.objects.filter(message_type="jw315").exists()
    (jw301,) = Message.objects.filter(message_type="jw301")
    assert jw301.state == "geaccepteerd"
    assert (jw301.sender, jw301.receiver) == ("0855", "80000101")
    report = validate(parse_xml(jw301.data))
    assert report.ok, report.violations
    line = parse_jw301(parse_xml(jw301.data)).producten[0]
    assert (line.product.categorie, line.product.code) == ("45", "45A01")
    assert (line.ingangsdatum, line.einddatum) == (bepaling.bepaald_op, bepaling.einddatum)
    (toewijzing,) = Toewijzing.objects.filter(case=case)
    assert toewijzing.source == "jw301" and toewijzing.aanbieder == p.sterk_huis
    bepaling.refresh_from_db()
    assert bepaling.toewijzing_bericht == jw301.public_id
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TOEWIJZING_OP_BEPALING).count() == 1
    # Once assigned, the bepaling is not offered again, and a second JW301 on it is refused.
    page = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    assert url not in [href for href, _ in page.links]
    response = client.post(url, {"commentaar": ""})
    assert "al een toewijzing" in text(response)
    assert Message.objects.filter(message_type="jw301").count() == 1


def test_the_provider_sees_the_start_offered_on_the_toewijzing_from_the_bepaling(client, p):
    case = gi_case(p)
    services.assign_on_gi_bepaling(actor=p.backoffice, bepaling=record(p, case))
    client.force_login(p.aanmeldpunt)
    page = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    assert (reverse("messaging:jw305_new", args=[case.public_id]), "Start jeugdhulp melden") in page.links


def test_no_jw301_on_a_bepaling_of_jbb(p):
    case = gi_case(p, verwijzer_type="gi_jbb")
    bepaling = record(p, case)
    with pytest.raises(PermissionDenied):  # the backoffice does not see a JBB case: the JW315 comes to it
        services.assign_on_gi_bepaling(actor=p.backoffice, bepaling=bepaling)
    assert not Message.objects.exists()


def test_another_gemeentes_backoffice_does_not_see_the_case(client, p):
    case = gi_case(p)
    bepaling = record(p, case)
    client.force_login(p.backoffice_waalwijk)
    url = reverse("messaging:bepaling_jw301", args=[case.public_id, bepaling.public_id])
    assert client.get(url).status_code == 404
    assert not Message.objects.exists()


def test_the_same_bepaling_is_recorded_once(p):
    case = gi_case(p)
    record(p, case)
    with pytest.raises(ValidationError) as again:
        record(p, case, actor=p.backoffice)
    assert "al vastgelegd" in str(again.value)
    assert GiBepaling.objects.filter(case=case).count() == 1


def test_an_open_ended_bepaling_stops_at_the_18th_birthday_counted_as_the_case_counts_it(p):
    case = gi_case(p)
    Jeugdige.objects.filter(pk=case.jeugdige_id).update(geboortedatum=date(2009, 2, 28))
    case.jeugdige.refresh_from_db()
    bepaling = record(p, case, einddatum=None)
    assert bepaling.einddatum == date(2027, 2, 28)
    leap = gi_case(p, achternaam="Schrikkel")
    Jeugdige.objects.filter(pk=leap.jeugdige_id).update(geboortedatum=date(2008, 2, 29))
    leap.jeugdige.refresh_from_db()
    # 18 on 1 March 2026 (Jeugdige.age_on): an end on that day is still allowed, a day later not.
    assert record(p, leap, einddatum=date(2026, 3, 1), bepaald_op=date(2026, 1, 5)).einddatum == date(2026, 3, 1)


def test_the_backoffice_opens_the_bepaling_but_not_the_rest_of_the_file(client, p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = gi_case(p)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    ipva = case_services.store_document(
        actor=p.aanmeldpunt, case=case, kind="ipva", title="IPVA", uploaded_file=SimpleUploadedFile("i.pdf", pdf)
    )
    bepaling = case_services.store_document(
        actor=p.aanmeldpunt,
        case=case,
        kind="verwijzing",
        title="Bepaling",
        uploaded_file=SimpleUploadedFile("b.pdf", pdf),
    )
    client.force_login(p.backoffice)
    download = "referrals:document_download"
    assert client.get(reverse(download, args=[case.public_id, bepaling.public_id])).status_code == 200
    assert client.get(reverse(download, args=[case.public_id, ipva.public_id])).status_code == 404
    # A closed case of another GI is no longer the backoffice's to see.
    case_services.voortijdig_beeindigen(
        actor=p.aanmeldpunt, case=case, expected_phase=case.phase, reden="geen_hulpvraag", toelichting="Klaar."
    )
    assert client.get(reverse("referrals:case_detail", args=[case.public_id])).status_code == 404
