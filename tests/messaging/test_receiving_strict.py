"""Receiving exactly as strictly as iJw 3.2 (IJW-3.2-NOTES §4.9, §5, §6): each rule answered with its own
retourcode at its level, through the real services, the import page and the API; hostile input refused in
Dutch; comments and processing instructions anywhere are legal XML."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import AccessLog
from messaging import selectors, services
from messaging.builders import XSLT_VERSIE, build_retour, to_bytes
from messaging.codes import retourcode_text
from messaging.models import Message, MessageState
from messaging.parsing import parse_jw305, parse_retour, parse_xml
from messaging.schemas import RETOUR_OF
from messaging.services.base import store
from referrals.models import CaseEvent
from tests.helpers import FAST_HASHERS, field_error, read_page, text

from .received import DAGTEKENING, HEEN, INVALID_BSN, MUTATIONS, RETOUREN, World, outcome, set_text, with_noise

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"\b(line|column|expected|error|found|Document|tag|is not|value|Couldn't|entity|Premature|Extra content)\b"
)


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def w():
    return World()


def header_codes(retour: Message) -> tuple[str, ...]:
    return parse_retour(parse_xml(retour.data)).header_codes


def page_upload(client, user, data: bytes):
    client.force_login(user)
    return client.post(reverse("messaging:import"), {"bestand": SimpleUploadedFile("bericht.xml", data)})


def api_post(user, data: bytes):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client.post("/api/v1/messages/import/", data, content_type="application/xml")


# --- The table: one field changed, the code its rule names ------------------------------------------------


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_rules_table_each_mutation_is_answered_with_the_code_its_rule_names(w, mutation):
    found = outcome(w.actor(mutation.msg_type), mutation.make(w))
    if mutation.code is None:  # level 1: no retour, nothing stored
        assert found.refused and "XSD" in found.refused[0], found
        assert not ENGLISH.search(" ".join(found.refused)), found.refused
        return
    assert found.refused is None, found.refused
    assert found.codes == ((mutation.code,) if mutation.code else ())
    assert found.state == (MessageState.AFGEWEZEN if mutation.code else MessageState.GEACCEPTEERD)
    assert found.retour_type == RETOUR_OF[mutation.msg_type]


@pytest.mark.parametrize("msg_type", RETOUREN)
@pytest.mark.parametrize("codes", [(), ("8848",)], ids=["accepted", "rejected"])
def test_retours_of_each_type_mark_our_message(w, msg_type, codes):
    result = services.import_message(actor=w.actor(msg_type), data=w.retour(msg_type, codes=codes))
    assert result.message.message_type == msg_type and result.message.answers == result.answered
    assert [code for code, _ in result.codes] == list(codes)
    assert result.answered.state == (MessageState.AFGEWEZEN if codes else MessageState.GEACCEPTEERD)


# --- TR056: Identificatie unique per sender and message type --------------------------------------------------


@pytest.mark.parametrize("msg_type", HEEN)
def test_tr056_duplicate_identificatie_gets_its_retour_with_9056_on_the_header(w, msg_type):
    ident = w.ident()
    first = services.import_message(actor=w.actor(msg_type), data=w.heen(msg_type, ident=ident))
    again_data = w.heen(msg_type, ident=ident)
    again = services.import_message(actor=w.actor(msg_type), data=again_data)
    assert again.codes == [
        ("9056", "Deze berichtidentificatie is door deze afzender al eens gebruikt voor dit soort bericht.")
    ]
    assert again.message.duplicate and not first.message.duplicate
    assert again.message.data == again_data and again.message.state == MessageState.AFGEWEZEN
    assert again.retour.message_type == RETOUR_OF[msg_type] and again.retour.answers == again.message
    assert header_codes(again.retour) == ("9056",)
    assert b"Client" not in again.retour.data and b"Antwoord>" not in again.retour.data  # the header only
    first.message.refresh_from_db()
    assert first.message.state == MessageState.GEACCEPTEERD  # the first one is untouched


def test_tr056_the_same_number_for_another_message_type_of_the_same_sender_is_accepted(w):
    ident = w.ident()
    jw315 = services.import_message(actor=w.p.backoffice, data=w.jw315(ident=ident))
    jw305 = services.import_message(actor=w.p.backoffice, data=w.jw305(ident=ident))
    assert jw315.accepted and jw305.accepted
    assert (jw315.message.sender, jw315.message.identificatie) == (jw305.message.sender, jw305.message.identificatie)


def test_tr056_a_duplicate_on_the_import_page_shows_9056_in_dutch(client, w):
    ident = w.ident()
    services.import_message(actor=w.p.aanmeldpunt, data=w.jw301(ident=ident))
    response = page_upload(client, w.p.aanmeldpunt, w.jw301(ident=ident))
    assert response.status_code == 200
    codes = read_page(response).by_id["retourcodes"]
    assert "9056" in codes and "al eens gebruikt voor dit soort bericht" in codes
    assert "JW302" in text(response)


def test_tr056_a_duplicate_through_the_api_is_answered_not_refused(w):
    ident = w.ident()
    api_post(w.p.backoffice, w.jw305(ident=ident))
    response = api_post(w.p.backoffice, w.jw305(ident=ident))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["accepted"] is False and [c["code"] for c in body["codes"]] == ["9056"]


def test_tr056_the_retour_of_our_own_message_finds_it_by_its_type(w):
    # Our JW315 and a received JW305 of the same sender share a number; the JW316 finds the JW315.
    data = w.retour("jw316")
    heen_ident = parse_retour(parse_xml(data)).heen_identificatie
    services.import_message(actor=w.p.backoffice, data=w.jw305(ident=heen_ident))
    result = services.import_message(actor=w.p.aanmeldpunt, data=data)
    assert result.answered.message_type == "jw315" and result.answered.state == MessageState.GEACCEPTEERD


def test_tr056_export_keeps_the_first_message_and_its_duplicate(w, tmp_path):
    ident = w.ident()
    first = services.import_message(actor=w.p.backoffice, data=w.jw305(ident=ident))
    again = services.import_message(actor=w.p.backoffice, data=w.jw305(ident=ident))
    call_command("export_messages", str(tmp_path), verbosity=0)
    assert (tmp_path / "JW305" / f"80000101-{ident}.xml").read_bytes() == first.message.data
    assert (tmp_path / "JW305" / f"80000101-{ident}-dubbel-{again.message.public_id}.xml").read_bytes() == (
        again.message.data
    )


# --- TR135: Dagtekening not after the receiver's system date --------------------------------------------------


@pytest.mark.parametrize("msg_type", HEEN)
def test_tr135_dagtekening_after_today_is_refused_with_8848(w, msg_type):
    tomorrow = timezone.localdate() + timedelta(days=1)
    result = services.import_message(
        actor=w.actor(msg_type), data=set_text(w.heen(msg_type), DAGTEKENING, tomorrow.isoformat())
    )
    assert result.codes == [("8848", "De dagtekening ligt na de systeemdatum van de ontvanger.")]
    assert header_codes(result.retour) == ("8848",)
    assert result.message.state == MessageState.AFGEWEZEN
    assert result.message.case == w.subject  # a header error: the case is known, the timeline shows it
    assert CaseEvent.objects.filter(
        case=w.subject, kind="bericht_afgewezen", payload__ref=str(result.message.public_id)
    )


def test_tr135_dagtekening_today_is_accepted(w):
    data = set_text(w.jw305(), DAGTEKENING, timezone.localdate().isoformat())
    assert services.import_message(actor=w.p.backoffice, data=data).accepted


def test_tr135_the_system_date_is_the_date_in_amsterdam(w, time_machine):
    # 23:30 UTC on 3 March is already 4 March in Amsterdam.
    time_machine.move_to(datetime(2026, 3, 3, 23, 30, tzinfo=UTC), tick=False)
    assert timezone.localdate().isoformat() == "2026-03-04"
    on_4_march = services.import_message(actor=w.p.backoffice, data=set_text(w.jw305(), DAGTEKENING, "2026-03-04"))
    on_5_march = services.import_message(actor=w.p.backoffice, data=set_text(w.jw305(), DAGTEKENING, "2026-03-05"))
    assert on_4_march.accepted
    assert [code for code, _ in on_5_march.codes] == ["8848"]


def test_tr135_on_the_import_page(client, w):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = page_upload(client, w.p.backoffice, set_text(w.jw315(), DAGTEKENING, tomorrow.isoformat()))
    codes = read_page(response).by_id["retourcodes"]
    assert "8848" in codes and "na de systeemdatum" in codes


# --- CS002 and the other in-message rules: the retour comes before the case lookup ----------------------------


@pytest.mark.parametrize("msg_type", ["jw315", "jw301", "jw305", "jw307"])
def test_cs002_invalid_bsn_gets_its_retour_with_0001_without_a_case(w, msg_type):
    data = set_text(w.heen(msg_type), "m:Client/m:Bsn", INVALID_BSN)
    result = services.import_message(actor=w.actor(msg_type), data=data)
    assert result.codes == [("0001", retourcode_text("0001"))]
    assert result.message.case is None and result.message.state == MessageState.AFGEWEZEN
    assert result.message.data == data
    retour = parse_xml(result.retour.data)
    assert header_codes(result.retour) == ("0001",)
    assert retour.findtext(f"{{{etree.QName(retour).namespace}}}Header/{{*}}XsltVersie") == XSLT_VERSIE


def test_cs002_on_the_import_page_shows_0001_and_stores_it_without_a_case(client, w):
    data = set_text(w.jw301(), "m:Client/m:Bsn", INVALID_BSN)
    response = page_upload(client, w.p.aanmeldpunt, data)
    assert response.status_code == 200
    page = read_page(response)
    assert "0001" in page.by_id["retourcodes"] and "technische redenen" in page.by_id["retourcodes"]
    assert "zonder casus bewaard" in page.by_id["zonder-casus"]
    # The aanmeldpunt sees messages by case: no link to what it may not open.
    message = Message.objects.get(message_type="jw301", content=data)
    assert reverse("messaging:message_detail", args=[message.public_id]) not in response.content.decode()


def test_cs002_the_backoffice_finds_the_message_without_a_case_in_the_traffic(client, w):
    result = services.import_message(actor=w.p.aanmeldpunt, data=set_text(w.jw301(), "m:Client/m:Bsn", INVALID_BSN))
    client.force_login(w.p.backoffice)
    listing = client.get(reverse("messaging:traffic"))
    assert listing.status_code == 200 and result.message.identificatie in text(listing)
    detail = client.get(reverse("messaging:message_detail", args=[result.message.public_id]))
    assert detail.status_code == 200 and "Afgewezen" in text(detail)
    assert AccessLog.objects.filter(user=w.p.backoffice, object_id=str(result.message.public_id)).exists()


def test_tr056_the_duplicate_says_so_in_its_summary(w):
    ident = w.ident()
    services.import_message(actor=w.p.backoffice, data=w.jw307(ident=ident))
    again = services.import_message(actor=w.p.backoffice, data=w.jw307(ident=ident))
    assert "TR056" in again.message.summary


@pytest.mark.parametrize("broken", ["bad_bsn", "future_dagtekening"])
def test_cs002_a_jw301_refused_as_a_whole_answers_no_request_and_the_request_stays_open(w, broken):
    data = w.jw301(referentie=w.request.referentie)
    if broken == "bad_bsn":
        data = set_text(data, "m:Client/m:Bsn", INVALID_BSN)
    else:
        data = set_text(data, DAGTEKENING, (timezone.localdate() + timedelta(days=1)).isoformat())
    result = services.import_message(actor=w.p.aanmeldpunt, data=data)
    assert not result.accepted and result.message.answers is None
    assert Message.objects.filter(selectors.open_requests_q(), pk=w.request.pk).exists()
    answer = services.import_message(actor=w.p.aanmeldpunt, data=w.jw319(referentie=w.request.referentie))
    assert answer.accepted  # not 9359: no toewijzing came


def test_cs002_through_the_api(w):
    response = api_post(w.p.backoffice, set_text(w.jw315(), "m:Client/m:Bsn", INVALID_BSN))
    assert response.status_code == 201, response.content
    assert [c["code"] for c in response.json()["codes"]] == ["0001"]
    assert response.json()["message"]["case"] is None


def test_valid_message_that_matches_no_case_is_still_refused_and_nothing_stays(w):
    data = set_text(w.jw305(), "m:Client/m:Bsn", "111222333")  # passes the elfproef; nobody here has it
    before = (Message.objects.count(), CaseEvent.objects.count())
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=w.p.backoffice, data=data)
    assert "geen casus" in refused.value.reasons[0]
    assert (Message.objects.count(), CaseEvent.objects.count()) == before  # the retour was undone too


def test_tr355_unknown_request_gets_a_jw320_without_a_case(w):
    result = services.import_message(actor=w.p.aanmeldpunt, data=w.jw319(referentie="ONBEKEND-9"))
    assert [code for code, _ in result.codes] == ["9355"]
    assert result.retour.message_type == "jw320" and result.message.case is None


# --- The class-level cross-message rules: the code on the class where the error is -------------------------


def _class_codes(w, msg_type: str, name: str):
    (mutation,) = [m for m in MUTATIONS if (m.msg_type, m.name) == (msg_type, name)]
    result = services.import_message(actor=w.actor(msg_type), data=mutation.make(w))
    retour = parse_retour(parse_xml(result.retour.data))
    assert retour.header_codes == ("0200",)  # a class error: the header itself is fine
    return {path: codes for path, codes in retour.class_codes if codes != ("0200",)}


def test_tr347_a_jw315_reusing_a_referentie_aanbieder_gets_9347_on_its_product(w):
    assert _class_codes(w, "jw315", "duplicate_referentie") == {
        "Client/AangevraagdeProducten/AangevraagdProduct": ("9347",)
    }


@pytest.mark.parametrize(
    ("msg_type", "path"), [("jw305", "StartProducten/StartProduct"), ("jw307", "StopProducten/StopProduct")]
)
def test_tr019_a_start_or_stop_for_an_unknown_toewijzingnummer_gets_9019_on_its_product(w, msg_type, path):
    assert _class_codes(w, msg_type, "unknown_toewijzingnummer") == {f"Client/{path}": ("9019",)}


def test_tr332_a_jw301_reusing_a_toewijzingnummer_gets_9332(w):
    assert _class_codes(w, "jw301", "reused_toewijzingnummer") == {
        "Client/ToegewezenProducten/ToegewezenProduct": ("9332",)
    }


def test_tr379_a_jw301_for_an_unknown_referentie_gets_9379(w):
    assert _class_codes(w, "jw301", "unknown_referentie") == {"Client/ToegewezenProducten/ToegewezenProduct": ("9379",)}


def test_tr355_a_jw319_for_an_unknown_referentie_gets_9355_on_its_antwoord(w):
    assert _class_codes(w, "jw319", "unknown_referentie") == {"Antwoord": ("9355",)}


def test_tr359_a_jw319_on_a_request_with_a_toewijzing_gets_9359(w):
    assert _class_codes(w, "jw319", "answered_request") == {"Antwoord": ("9359",)}


# --- The refusals that stay: not for us, the wrong side, level 1 --------------------------------------------


def test_refusals_that_stay_store_nothing(w):
    before = Message.objects.count()
    for actor, data, reason in (
        (w.p.backoffice, w.jw301(), "voor de aanbieder"),
        (w.p.aanmeldpunt, w.jw315(), "voor de gemeente"),
        (w.p.backoffice, w.jw315().replace(b">0855<", b">0758<"), "niet voor ons"),
        (w.p.aanmeldpunt, w.jw301().replace(b">80000101<", b">80009999<"), "niet voor ons"),
        (w.p.backoffice, set_text(w.jw315(), "m:Client/m:Geslacht", "7"), "geen retour"),
    ):
        with pytest.raises(services.ImportRefused) as refused:
            services.import_message(actor=actor, data=data)
        assert reason in refused.value.reasons[0]
    assert Message.objects.count() == before


def test_xsd_refusal_is_explained_in_dutch_with_its_place(w):
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=w.p.backoffice, data=set_text(w.jw315(), "m:Client/m:Geslacht", "7"))
    reasons = refused.value.reasons
    assert reasons[0].startswith("Het bericht voldoet niet aan het XSD")
    assert "Client/Geslacht" in reasons[1] and "toegestane codes" in reasons[1] and "'7'" in reasons[1]
    assert not ENGLISH.search(" ".join(reasons))


@pytest.mark.parametrize(
    ("msg_type", "xpath", "value"),
    [
        ("jw315", DAGTEKENING, "-2025-03-03"),
        ("jw305", DAGTEKENING, "12025-03-03"),
        ("jw301", "m:Client/m:Geboortedatum/ijw:Datum", "-2014-06-01"),
        ("jw301", "m:Client/m:ToegewezenProducten/m:ToegewezenProduct/m:Toewijzingstijd", "24:00:00"),
    ],
)
def test_an_xsd_valid_date_or_time_that_does_not_exist_is_refused_in_dutch(w, msg_type, xpath, value):
    data = set_text(w.heen(msg_type), xpath, value)
    before = Message.objects.count()
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=w.actor(msg_type), data=data)
    reasons = refused.value.reasons
    assert "bestaat niet" in reasons[0] and value in reasons[1]
    assert Message.objects.count() == before


def test_dates_with_spaces_around_them_are_read_as_the_xsd_reads_them(w):
    data = set_text(w.jw305(), DAGTEKENING, f"  {timezone.localdate().isoformat()} ")
    result = services.import_message(actor=w.p.backoffice, data=data)
    assert result.accepted and result.message.dagtekening == timezone.localdate()


# --- Comments and processing instructions: legal XML anywhere ---------------------------------------------


def _comment_in_header(data: bytes) -> bytes:
    return re.sub(rb"(<jw3\d\d:Header>)", rb"\1<!-- doorgestuurd door het knooppunt --><?route vecozo?>", data, count=1)


def _comment_before_header(data: bytes) -> bytes:
    return re.sub(rb"(<jw3\d\d:Header>)", rb"<!-- voor de header --><?x y?>\1", data, count=1)


@pytest.mark.parametrize("insert", [_comment_in_header, _comment_before_header], ids=["in_header", "before_header"])
def test_comments_in_or_before_the_header_are_read_on_the_page(client, w, insert):
    data = insert(w.jw301())
    assert data != w.jw301()
    response = page_upload(client, w.p.aanmeldpunt, data)
    assert response.status_code == 200
    assert "Geen retourcodes: het bericht is geaccepteerd." in text(response)
    message = Message.objects.get(message_type="jw301", content=data)
    assert (message.sender, message.gemeente.cbs_code, message.aanbieder.agb_code) == ("0855", "0855", "80000101")
    assert message.data == data  # stored exactly as received, comments and all


@pytest.mark.parametrize("insert", [_comment_in_header, _comment_before_header], ids=["in_header", "before_header"])
def test_comments_in_or_before_the_header_are_read_through_the_api(w, insert):
    data = insert(w.jw305())
    response = api_post(w.p.backoffice, data)
    assert response.status_code == 201, response.content
    assert response.json()["accepted"] is True
    assert Message.objects.get(message_type="jw305", content=data).gemeente == w.p.tilburg


def test_comments_everywhere_in_a_retour_are_read(w):
    data = with_noise(w.retour("jw316"), [(n, n % 2 == 1, f"opmerking {n}") for n in range(0, 400, 37)])
    assert data.count(b"<!--") + data.count(b"<?ijw-test") >= 10
    result = services.import_message(actor=w.p.aanmeldpunt, data=data)
    assert result.answered.state == MessageState.GEACCEPTEERD and result.message.data == data


def test_a_retour_built_from_a_tree_that_kept_its_comments_copies_elements_only(w):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)  # comments and PIs kept
    data = with_noise(w.jw315(), [(n, n % 3 == 0, "x") for n in range(5, 900, 41)])
    heen = etree.fromstring(data, parser)
    assert heen.xpath("//comment()") and heen.xpath("//processing-instruction()")
    (line,) = heen.xpath("//*[local-name()='AangevraagdProduct']")
    retour = build_retour(
        heen, identificatie="000000000777", dagtekening=timezone.localdate(), class_codes={line: ["9347"]}
    )
    assert not retour.xpath("//comment()") and not retour.xpath("//processing-instruction()")
    parsed = parse_retour(parse_xml(to_bytes(retour)))  # to_bytes validates: the retour is XSD-valid
    assert parsed.heen_identificatie == parse_retour(parse_xml(to_bytes(retour))).heen_identificatie
    assert ("Client/AangevraagdeProducten/AangevraagdProduct", ("9347",)) in parsed.class_codes


def test_store_and_parsing_read_a_tree_that_kept_its_comments(w):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)  # comments and PIs kept
    ident = w.ident()
    data = _comment_before_header(_comment_in_header(w.jw305(ident=ident)))
    data = data.replace(f">{ident}<".encode(), f">{ident[:5]}<!-- x -->{ident[5:]}<".encode(), 1)
    tree = etree.fromstring(data, parser)
    assert not isinstance(tree[0].tag, str)  # the root's first child is a comment
    message = store(tree, actor=None, case=None, imported=True, data=data)
    assert (message.sender, message.receiver, message.identificatie) == ("80000101", "0855", ident)
    assert message.dagtekening == timezone.localdate() and message.xsd_versie.count("/") == 1
    assert message.gemeente == w.p.tilburg and message.data == data
    assert parse_jw305(tree).header.identificatie == ident


def test_a_comment_inside_a_value_keeps_the_value(w):
    bsn = w.case.jeugdige.bsn.encode()
    data = w.jw305().replace(b">" + bsn + b"<", b">" + bsn[:4] + b"<!-- knip -->" + bsn[4:] + b"<", 1)
    assert b"<!-- knip -->" in data
    result = services.import_message(actor=w.p.backoffice, data=data)
    assert result.accepted and result.message.case == w.case


# --- Hostile input: refused in Dutch, never a 500, nothing stored ---------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw315/schema">&xxe;</Bericht>'
)
DOCTYPE_ONLY = b'<?xml version="1.0"?><!DOCTYPE Bericht SYSTEM "http://example.org/x.dtd"><Bericht/>'


def _xinclude(w):
    include = b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'
    return w.jw315().replace(b"</jw315:Bsn>", b"</jw315:Bsn>" + include, 1)


def _huge_text_node(w):
    return b'<?xml version="1.0"?><Bericht>' + b"x" * (10_000_001) + b"</Bericht>"


def _too_deep(w):
    return b"<a>" * 300 + b"</a>" * 300


HOSTILE = {
    "empty": (lambda w: b"", "leeg"),
    "not_xml": (lambda w: b"dit is geen xml", "niet goed gevormd"),
    "truncated": (lambda w: w.jw315()[:-40], "afgebroken"),
    "bad_encoding": (lambda w: b'<?xml version="1.0" encoding="UTF-8"?><a>\xff\xfe</a>', "niet goed gevormd"),
    "entity_expansion": (lambda w: BILLION_LAUGHS, "DOCTYPE"),
    "external_entity": (lambda w: EXTERNAL_ENTITY, "DOCTYPE"),
    "doctype": (lambda w: DOCTYPE_ONLY, "DOCTYPE"),
    "xinclude": (_xinclude, "XSD"),
    "huge_text_node": (_huge_text_node, "te groot"),
    "too_deep": (_too_deep, "te diep genest"),
    "wrong_namespace": (lambda w: w.jw315().replace(b"/jw315/schema", b"/jw999/schema"), "geen bericht uit de iJw"),
    "not_a_bericht": (lambda w: b'<x xmlns="urn:other"/>', "hoofdelement is x"),
    "over_25_mb": (lambda w: b"<a>" + b" " * (25 * 1024 * 1024) + b"</a>", "25 MB"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_refused_in_dutch_by_the_service(w, name):
    make, reason = HOSTILE[name]
    before = Message.objects.count()
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=w.p.backoffice, data=make(w))
    reasons = refused.value.reasons
    assert reason in reasons[0], reasons
    assert not ENGLISH.search(reasons[0]), reasons[0]
    assert b"root:" not in " ".join(reasons).encode()  # nothing of /etc/passwd was read
    assert Message.objects.count() == before


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_refused_in_dutch_on_the_page_and_the_api(client, w, name):
    make, reason = HOSTILE[name]
    data = make(w)
    before = Message.objects.count()
    if data:  # an empty upload is refused by the form itself
        page = page_upload(client, w.p.backoffice, data)
        assert page.status_code == 200
        assert "niets opgeslagen" in field_error(page, "id_bestand")
        shown = read_page(page).by_id["violations"]
        assert reason in shown and not ENGLISH.search(shown), shown
    response = api_post(w.p.backoffice, data)
    assert response.status_code in (415, 422), response.content
    if response.status_code == 422:
        first = response.json()["reasons"][0]
        assert reason in first and not ENGLISH.search(first), first
    assert Message.objects.count() == before
