"""The print version of a message ('Afdrukken (PDF)'): made through printing.render_pdf for each kind of
message and read back with pdftotext; need-to-know as the detail page; the access log, refusals logged as
refused; a fixed number of queries."""

import hashlib
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessLog
from messaging.builders import (
    build_jw301,
    build_jw305,
    build_jw307,
    build_jw315,
    build_jw317,
    build_jw319,
    build_retour,
    to_bytes,
)
from messaging.models import Direction, Message, MessageState, MessageType
from messaging.parsing import parse_message
from messaging.schemas import RETOUR_OF
from referrals.dates import nl_date
from tests.helpers import FAST_HASHERS
from tests.test_letters import pdf_info, text_of

from . import samples
from .test_wijziging import change, granted, sent_vow, vow
from .traffic import Parties, refused_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def pdf_url(message):
    return reverse("messaging:pdf", args=[message.public_id])


def get_pdf(client, user, message):
    client.force_login(user)
    response = client.get(pdf_url(message))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def common_facts(text, message):
    """What every print shows: the header data, the state and its history, the checksum."""
    for label in ("Gegevens van het bericht", "Berichtidentificatie", "Dagtekening", "Afzender", "Ontvanger"):
        assert label in text
    assert message.identificatie in text
    assert nl_date(message.dagtekening) in text
    assert f"Status {message.get_state_display()}" in text
    assert "Geschiedenis" in text and "Inhoud" in text
    assert message.sha256[:32] in text.replace(" ", "")


def test_jw315_print_shows_header_names_content_history_and_checksum(client, p, tmp_path):
    case = p.case()
    jw315 = p.sent_request(case)
    text = text_of(get_pdf(client, p.aanmeldpunt, jw315), tmp_path)
    common_facts(text, jw315)
    assert "JW315 Verzoek om toewijzing" in text
    assert "Sterk Huis" in text and "Tilburg" in text  # afzender and ontvanger with their organisation names
    assert f"Casus {case.reference}" in text  # the aanmeldpunt may see the case
    assert "Jeugdige" in text and case.jeugdige.achternaam in text
    assert "Geaccepteerd" in text and "Verzonden" in text  # the history
    info = pdf_info(get_pdf(client, p.aanmeldpunt, jw315), tmp_path)
    assert "Tagged: yes" in info and "A4" in info


def test_jw317_print_names_the_changes_in_dutch(client, p, tmp_path):
    case = p.case()
    t = granted(p, case)
    jw317 = sent_vow(p, case, change(t, einddatum=t.einddatum + timedelta(days=30)))
    text = text_of(get_pdf(client, p.backoffice, jw317), tmp_path)
    common_facts(text, jw317)
    assert "JW317" in text and "Verzoek" in text and "Reden" in text
    assert "Te wijzigen product 1" in text and "Gewenste ingangsdatum" in text
    assert f"BSN jeugdige {case.jeugdige.bsn}" in text  # a JW317 names the youth by BSN only
    assert "Sterk Huis" in text and "Tilburg" in text


def test_jw301_print_for_the_backoffice_without_the_case_reference(client, p, tmp_path):
    case = p.case()
    _jw315, jw301 = p.granted(case)
    text = text_of(get_pdf(client, p.backoffice, jw301), tmp_path)
    common_facts(text, jw301)
    assert "JW301 Toewijzing" in text
    assert "Antwoord op JW315" in text
    # the backoffice sees the message (whose referentie names the case), not the case: no case row
    assert f"Casus {case.reference}" not in text
    text = text_of(get_pdf(client, p.regievoerder, jw301), tmp_path)
    assert f"Casus {case.reference}" in text


def test_refused_request_and_its_jw316_show_the_retourcode_meaning(client, p, tmp_path):
    case = p.case()
    refused = refused_request(p, case, codes=("S329",))
    text = text_of(get_pdf(client, p.aanmeldpunt, refused), tmp_path)
    assert "Afgewezen in de retour" in text and "Status Afgewezen" in text
    assert "S329" in text and "De productcode hoort niet bij de productcategorie." in text
    jw316 = Message.objects.get(answers=refused, message_type="jw316")
    text = text_of(get_pdf(client, p.aanmeldpunt, jw316), tmp_path)
    common_facts(text, jw316)
    assert "Retourcodes" in text and "De productcode hoort niet bij de productcategorie." in text


def test_the_print_is_logged_like_the_detail_page(client, p):
    jw315 = p.sent_request(p.case())
    get_pdf(client, p.backoffice, jw315)
    (row,) = AccessLog.objects.filter(user=p.backoffice, object_id=str(jw315.public_id))
    assert (row.action, row.object_type) == ("afdrukken", "bericht")
    assert jw315.identificatie in row.description


@pytest.mark.parametrize("who, status", [("backoffice_waalwijk", 404), ("toegang", 403)])
def test_others_get_no_print_and_the_attempt_is_logged_as_refused(client, p, who, status):
    case = p.case()
    jw315 = p.sent_request(case)
    user = getattr(p, who)
    client.force_login(user)
    response = client.get(pdf_url(jw315))
    assert response.status_code == status
    assert b"%PDF" not in response.content
    assert case.jeugdige.achternaam.encode() not in response.content
    rows = AccessLog.objects.filter(user=user, object_id=str(jw315.public_id))
    assert [r.action for r in rows] == ["geweigerd"]
    assert not AccessLog.objects.filter(user=user, action="afdrukken").exists()


def test_an_unknown_message_is_404_and_logs_nothing(client, p):
    client.force_login(p.backoffice)
    missing = uuid.uuid4()
    assert client.get(reverse("messaging:pdf", args=[missing])).status_code == 404
    assert not AccessLog.objects.filter(object_id=str(missing)).exists()


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_print_costs_the_same_however_long_the_history(client, p):
    few = p.sent_request(p.case())  # no answer yet
    many, _jw301 = p.granted(p.case())  # answered, one more transition
    client.force_login(p.backoffice)
    counts = {queries(client, pdf_url(m)) for m in (few, many)}
    assert len(counts) == 1, counts
    first, second = (refused_request(p, p.case(), codes=codes) for codes in (("S329",), ("S329", "9347")))
    client.force_login(p.aanmeldpunt)
    counts = {queries(client, pdf_url(m)) for m in (first, second)}
    assert len(counts) == 1, counts


def test_the_detail_page_links_the_print(client, p):
    jw315 = p.sent_request(p.case())
    client.force_login(p.aanmeldpunt)
    page = client.get(reverse("messaging:message_detail", args=[jw315.public_id])).content.decode()
    assert f'href="{pdf_url(jw315)}"' in page and "Afdrukken (PDF)" in page


def _stored(p, message_type, root, *, answers=None):
    content = to_bytes(root)
    data = parse_message(content)
    header = getattr(data, "header", data)  # a retour carries afzender, ontvanger, ... itself
    to_gemeente = message_type in ("jw315", "jw317", "jw305", "jw307", "jw302", "jw320")
    return Message.objects.create(
        message_type=message_type,
        direction=Direction.NAAR_GEMEENTE if to_gemeente else Direction.NAAR_AANBIEDER,
        sender=header.afzender,
        receiver=header.ontvanger,
        identificatie=header.identificatie,
        dagtekening=header.dagtekening,
        gemeente=p.tilburg,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        xsd_versie="test",
        state=MessageState.GEACCEPTEERD,
        imported=True,
        answers=answers,
    )


def test_every_message_type_prints(client, p, tmp_path):
    """Each heenbericht and its retour (with a code), stored as received, prints with its Dutch title."""
    heen = {
        "jw315": build_jw315(samples.jw315()),
        "jw301": build_jw301(samples.jw301()),
        "jw305": build_jw305(samples.jw305()),
        "jw307": build_jw307(samples.jw307()),
        "jw317": build_jw317(vow()),
        "jw319": build_jw319(samples.jw319()),
    }
    retour_numbers = iter(range(880000000001, 880000000100))
    seen = set()
    for kind, root in heen.items():
        message = _stored(p, kind, root)
        retour = build_retour(
            root, identificatie=f"{next(retour_numbers):012d}", dagtekening=samples.DAG, header_codes=["9347"]
        )
        answer = _stored(p, RETOUR_OF[kind], retour, answers=message)
        for m in (message, answer):
            text = text_of(get_pdf(client, p.backoffice, m), tmp_path)
            assert f"{m.code} {m.title}" in text
            assert "Berichtidentificatie" in text and nl_date(m.dagtekening) in text
            seen.add(m.message_type)
        assert "Retourcodes" in text and "De referentie van de aanbieder is niet uniek." in text
    assert seen == set(MessageType.values)
