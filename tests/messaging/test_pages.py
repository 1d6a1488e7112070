"""The message pages as their users see them: Dutch preview and violations, inbox, answers, import,
downloads; need-to-know (403/404), the access log, and a fixed number of queries per page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from messaging.models import Message, Toewijzing
from tests.helpers import FAST_HASHERS, field_error, read_page, text, value_of

from .test_import_export import external_jw301
from .traffic import Parties

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def form_data(**kw):
    today = timezone.localdate()
    data = {
        "categorie": "45",
        "product_code": "45A01",
        "volume": "4",
        "eenheid": "04",
        "frequentie": "2",
        "ingangsdatum": today.isoformat(),
        "einddatum": (today + timedelta(days=180)).isoformat(),
        "verwijzer_soort": "",
        "actie": "voorbeeld",
    }
    data.update(kw)
    return data


def test_case_page_links_to_the_messages(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    page = read_page(client.get(reverse("referrals:case_detail", args=[case.public_id])))
    assert (reverse("messaging:case_messages", args=[case.public_id]), "Berichten (iJw) bekijken") in page.links


def test_jw315_preview_is_readable_dutch_and_stores_nothing(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    url = reverse("messaging:jw315_new", args=[case.public_id])
    response = client.post(url, form_data(aanbieder=case.regie_organisatie_id))
    assert response.status_code == 200
    page = text(response)
    assert "Voorbeeld van het bericht" in page
    assert "45A01 – categorie 45 Jeugdhulp ambulant" in page
    assert "4 × uur per week" in page
    assert "Gemeente: Toegang" in page or "Gemeente" in page
    assert Message.objects.count() == 0
    assert value_of(response, "volume") == "4"


def test_jw315_violations_are_listed_with_rule_code_and_field(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    url = reverse("messaging:jw315_new", args=[case.public_id])
    response = client.post(url, form_data(aanbieder=case.regie_organisatie_id, einddatum=""))
    violations = read_page(response).by_id["violations"]
    assert "CD076" in violations and "ToewijzingEinddatum" in violations
    assert Message.objects.count() == 0


def test_jw315_bad_input_is_shown_at_the_field_and_kept(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    url = reverse("messaging:jw315_new", args=[case.public_id])
    response = client.post(url, form_data(aanbieder=case.regie_organisatie_id, ingangsdatum="31-02-2026", volume="x"))
    assert response.status_code == 200
    assert field_error(response, "id_ingangsdatum")
    assert field_error(response, "id_volume")
    assert value_of(response, "product_code") == "45A01"
    response = client.post(url, form_data(aanbieder=case.regie_organisatie_id, volume="", eenheid="04"))
    assert "samen" in field_error(response, "id_volume")
    assert Message.objects.count() == 0


def test_jw315_send_from_the_preview(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    url = reverse("messaging:jw315_new", args=[case.public_id])
    response = client.post(url, form_data(aanbieder=case.regie_organisatie_id, actie="verzenden"))
    (jw315,) = Message.objects.filter(message_type="jw315")
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:message_detail", args=[jw315.public_id])
    assert jw315.state == "geaccepteerd"


def test_backoffice_inbox_accept_and_the_toewijzing_arrives_at_the_case(client, p):
    case = p.case()
    jw315 = p.sent_request(case)
    client.force_login(p.backoffice)
    start = text(client.get(reverse("start")))
    assert f"JW315 {jw315.identificatie}" in start
    detail = read_page(client.get(reverse("messaging:message_detail", args=[jw315.public_id])))
    assert (reverse("messaging:accept", args=[jw315.public_id]), "Toewijzen (JW301)") in detail.links
    accept = client.get(reverse("messaging:accept", args=[jw315.public_id]))
    assert value_of(accept, "ingangsdatum") == timezone.localdate().isoformat()
    url = reverse("messaging:accept", args=[jw315.public_id])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"ingangsdatum": today, "einddatum": "", "volume": "", "commentaar": ""})
    assert "CD076" in text(response)  # per week needs an end date: refused in Dutch, nothing sent
    assert not Message.objects.filter(message_type="jw301").exists()
    end = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = client.post(url, {"ingangsdatum": today, "einddatum": end, "volume": "", "commentaar": ""})
    assert response.status_code == 302
    (t,) = Toewijzing.objects.filter(case=case)
    client.force_login(p.aanmeldpunt)
    page = text(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    assert str(t.toewijzing_nummer) in page and "Toewijzing (JW301) ontvangen" in page


def test_refuse_page_shows_errors_at_the_field(client, p):
    jw315 = p.sent_request(p.case())
    client.force_login(p.backoffice)
    url = reverse("messaging:refuse", args=[jw315.public_id])
    response = client.post(url, {"verzoek_antwoord": "1", "reden": "8", "woonplaats_gemeente": ""})
    assert "woonplaatsbeginsel" in field_error(response, "id_woonplaats_gemeente")
    assert not Message.objects.filter(message_type="jw319").exists()


def test_download_gives_the_exact_bytes_and_is_logged(client, p):
    jw315 = p.sent_request(p.case())
    client.force_login(p.backoffice)
    response = client.get(reverse("messaging:download", args=[jw315.public_id]))
    assert response.content == jw315.data
    assert response["Content-Type"] == "application/xml"
    assert AccessLog.objects.filter(user=p.backoffice, action="downloaden", object_id=str(jw315.public_id)).exists()
    client.get(reverse("messaging:message_detail", args=[jw315.public_id]))
    assert AccessLog.objects.filter(user=p.backoffice, action="inzien", object_id=str(jw315.public_id)).exists()


def test_import_page_shows_rejection_codes_in_dutch(client, p):
    case = p.case()
    client.force_login(p.aanmeldpunt)
    upload = SimpleUploadedFile("jw301.xml", external_jw301(case, referentie="ONBEKEND"), "application/xml")
    response = client.post(reverse("messaging:import"), {"bestand": upload})
    codes = read_page(response).by_id["retourcodes"]
    assert "9379" in codes and "hoort bij geen verzoek om toewijzing" in codes
    upload = SimpleUploadedFile("x.xml", b"<niets/>", "application/xml")
    response = client.post(reverse("messaging:import"), {"bestand": upload})
    assert response.status_code == 200
    assert "niets is opgeslagen" in field_error(response, "id_bestand") or "niets opgeslagen" in field_error(
        response, "id_bestand"
    )


def test_manual_route_page_explains_and_records(client, p):
    case = p.case(bsn_status="geen_bsn")
    client.force_login(p.aanmeldpunt)
    assert client.get(reverse("messaging:jw315_new", args=[case.public_id]))["Location"].endswith("/handmatig/")
    page = text(client.get(reverse("messaging:manual", args=[case.public_id])))
    assert "geen BSN" in page and "handmatig met de gemeente" in page
    today = timezone.localdate()
    response = client.post(
        reverse("messaging:manual", args=[case.public_id]),
        {
            "categorie": "45",
            "product_code": "45A01",
            "volume": "",
            "eenheid": "",
            "frequentie": "",
            "ingangsdatum": today.isoformat(),
            "einddatum": "",
            "contactpersoon_gemeente": "Dhr. Smits, backoffice Tilburg",
            "toelichting": "Telefonisch afgesproken.",
        },
    )
    assert response.status_code == 302
    assert Toewijzing.objects.get(case=case).source == "handmatig"


@pytest.mark.parametrize("who", ["toegang", "backoffice_waalwijk"])
def test_others_do_not_see_a_case_s_messages(client, p, who):
    case = p.case()
    jw315 = p.sent_request(case)
    client.force_login(getattr(p, who))
    assert client.get(reverse("messaging:case_messages", args=[case.public_id])).status_code in (403, 404)
    assert client.get(reverse("messaging:message_detail", args=[jw315.public_id])).status_code in (403, 404)
    assert client.get(reverse("messaging:download", args=[jw315.public_id])).status_code in (403, 404)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_cost_the_same_for_one_or_many_messages(client, p):
    case = p.case()
    p.granted(case)
    p.sent_request(p.case())  # one open request in the inbox
    client.force_login(p.backoffice)
    few_traffic = _queries(client, reverse("messaging:traffic"))
    few_start = _queries(client, reverse("start"))
    client.force_login(p.aanmeldpunt)
    few_case = _queries(client, reverse("messaging:case_messages", args=[case.public_id]))
    for _ in range(3):
        p.granted(case)
        p.sent_request(p.case())
    client.force_login(p.backoffice)
    assert _queries(client, reverse("messaging:traffic")) == few_traffic
    assert _queries(client, reverse("start")) == few_start
    client.force_login(p.aanmeldpunt)
    assert _queries(client, reverse("messaging:case_messages", args=[case.public_id])) == few_case


def test_inbox_shows_the_answer_deadline_in_working_days_and_8_weeks_after_in_onderzoek(p, time_machine):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from messaging import selectors, services

    time_machine.move_to(datetime(2026, 4, 23, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)  # a Thursday
    jw315 = p.sent_request(p.case())
    (row,) = selectors.inbox(p.backoffice)
    assert row.antwoord_uiterlijk == date(2026, 5, 1)  # 5 working days; Koningsdag (27 April) does not count
    services.refuse_jw315(actor=p.backoffice, message=jw315, data=services.RefuseInput("2"))
    (row,) = selectors.inbox(p.backoffice)
    assert row.in_onderzoek and row.antwoord_uiterlijk == date(2026, 6, 18)


def test_regievoerder_reports_start_and_stop_from_the_case_messages(client, p):
    case = p.case()
    p.granted(case)
    t = Toewijzing.objects.get(case=case)
    client.force_login(p.regievoerder)
    page = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    assert (reverse("messaging:jw305_new", args=[case.public_id]), "Start jeugdhulp melden") in page.links
    today = timezone.localdate().isoformat()
    url = reverse("messaging:jw305_new", args=[case.public_id])
    response = client.post(url, {"toewijzing": t.pk, "begindatum": (timezone.localdate() + timedelta(3)).isoformat()})
    assert "toekomst" in field_error(response, "id_begindatum")
    assert client.post(url, {"toewijzing": t.pk, "begindatum": today}).status_code == 302
    url = reverse("messaging:jw307_new", args=[case.public_id])
    response = client.post(url, {"toewijzing": t.pk, "einddatum": today, "reden": ""})
    assert field_error(response, "id_reden")
    assert client.post(url, {"toewijzing": t.pk, "einddatum": today, "reden": "34"}).status_code == 302
    assert list(Message.objects.filter(case=case).values_list("message_type", flat=True).order_by("pk"))[-4:] == [
        "jw305",
        "jw306",
        "jw307",
        "jw308",
    ]
