"""Import of messages as the national traffic delivers them, the manual route, export, concurrency and
need-to-know for messages."""

import threading
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from messaging import selectors, services
from messaging.builders import build_jw301, build_jw315, build_retour, to_bytes
from messaging.data import BerichtHeader, Product, ToegewezenProduct, ToewijzingBericht
from messaging.from_case import client_from_jeugdige
from messaging.models import Message, MessageState, SenderCounter, Toewijzing
from messaging.parsing import parse_xml
from messaging.selectors import visible_messages
from messaging.services.base import transition
from messaging.services.requesting import _jw315_data
from referrals.models import CaseEvent
from tests import factories
from tests.helpers import FAST_HASHERS

from .traffic import Parties, request_input

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def external_jw301(case, *, referentie="", nummer=880001, ident="000000770001") -> bytes:
    """A JW301 as a gemeente's own system would send it (not through our backoffice)."""
    jeugdige = case.jeugdige
    jeugdige.refresh_from_db()
    data = ToewijzingBericht(
        header=BerichtHeader(case.gemeente.cbs_code, case.regie_organisatie.agb_code, ident, timezone.localdate()),
        client=client_from_jeugdige(jeugdige, met_adres=True),
        producten=(
            ToegewezenProduct(
                toewijzing_nummer=nummer,
                toewijzingsdatum=timezone.localdate(),
                toewijzingstijd=time(9, 30),
                ingangsdatum=timezone.localdate(),
                product=Product("54"),
                referentie_aanbieder=referentie,
                budget=150000,
                einddatum=timezone.localdate() + timedelta(days=90),
            ),
        ),
    )
    return to_bytes(build_jw301(data))


def test_imported_jw301_records_the_toewijzing_and_answers_with_a_jw302(p):
    case = p.case()
    result = services.import_message(actor=p.aanmeldpunt, data=external_jw301(case))
    assert result.accepted and result.codes == []
    assert result.message.imported and result.message.state == MessageState.GEACCEPTEERD
    assert result.message.data == external_jw301(case)  # the exact bytes received
    assert result.retour.message_type == "jw302"
    (t,) = Toewijzing.objects.filter(case=case)
    assert t.toewijzing_nummer == 880001 and t.categorie == "54"
    assert CaseEvent.objects.filter(case=case, kind="toewijzing_ontvangen").exists()


def test_imported_jw301_with_an_unknown_referentie_is_rejected_with_9379(p):
    case = p.case()
    result = services.import_message(actor=p.aanmeldpunt, data=external_jw301(case, referentie="ONBEKEND-1"))
    assert not result.accepted
    assert result.codes == [("9379", "De referentie van de aanbieder hoort bij geen verzoek om toewijzing.")]
    assert result.message.state == MessageState.AFGEWEZEN
    assert not Toewijzing.objects.filter(case=case).exists()
    (event,) = CaseEvent.objects.filter(case=case, kind="bericht_afgewezen")
    assert "9379" in event.reason and event.payload["ref"] == str(result.message.public_id)


def test_imported_rejecting_retour_marks_our_message_and_explains_the_codes(p):
    case = p.case()
    jw315 = services.create_jw315(actor=p.aanmeldpunt, case=case, data=request_input())
    # Sent out through the national traffic (not delivered inside): the gemeente's JW316 comes back by import.
    transition(jw315, MessageState.VERZONDEN, actor=p.aanmeldpunt)
    heen = parse_xml(jw315.data)
    (line,) = heen.xpath("//*[local-name()='AangevraagdProduct']")
    retour = build_retour(
        heen, identificatie="000000000555", dagtekening=timezone.localdate(), class_codes={line: ["9347"]}
    )
    result = services.import_message(actor=p.aanmeldpunt, data=to_bytes(retour))
    assert result.answered == jw315
    assert result.codes == [("9347", "De referentie van de aanbieder is niet uniek.")]
    jw315.refresh_from_db()
    assert jw315.state == MessageState.AFGEWEZEN
    assert CaseEvent.objects.filter(case=case, kind="bericht_afgewezen", payload__ref=str(jw315.public_id)).exists()
    with pytest.raises(services.ImportRefused):  # the same retour twice
        services.import_message(actor=p.aanmeldpunt, data=to_bytes(retour))


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", "leeg"),
        (b"dit is geen xml", "geen leesbaar iJw-bericht"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>', "geen leesbaar"),
        (b'<x xmlns="urn:other"/>', "geen leesbaar"),
    ],
)
def test_unreadable_imports_store_nothing(p, data, text):
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=p.aanmeldpunt, data=data)
    assert text in " ".join(refused.value.reasons)
    assert Message.objects.count() == 0


def test_xsd_invalid_import_gets_no_retour_and_stores_nothing(p):
    case = p.case()
    data = external_jw301(case).replace(b"<jw301:Geslacht>1</jw301:Geslacht>", b"<jw301:Geslacht>7</jw301:Geslacht>")
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=p.aanmeldpunt, data=data)
    assert "XSD" in refused.value.reasons[0]
    assert Message.objects.count() == 0


def test_duplicate_identificatie_is_rejected_with_9056_in_its_retour(p):
    case = p.case()
    services.import_message(actor=p.aanmeldpunt, data=external_jw301(case))
    again = services.import_message(actor=p.aanmeldpunt, data=external_jw301(case, nummer=880002))
    assert [code for code, _ in again.codes] == ["9056"]
    assert again.message.duplicate and again.retour.message_type == "jw302"
    assert Toewijzing.objects.filter(case=case).count() == 1


def test_a_jw301_is_imported_on_the_provider_side_only(p):
    with pytest.raises(services.ImportRefused) as refused:
        services.import_message(actor=p.backoffice, data=external_jw301(p.case()))
    assert "aanbieder" in refused.value.reasons[0]


def test_imported_jw315_lands_in_the_backoffice_inbox_with_its_jw316(p):
    case = p.case()
    request = _jw315_data(case, request_input(), identificatie="000000004242", referentie="EXT-1")
    data = to_bytes(build_jw315(request))
    result = services.import_message(actor=p.backoffice, data=data)
    assert result.message.message_type == "jw315" and result.retour.message_type == "jw316"
    assert Message.objects.filter(selectors.open_requests_q(), pk=result.message.pk).exists()


# --- Manual route -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["geen_bsn", "ongeboren", "geheim"])
def test_no_message_without_a_usable_bsn_and_the_manual_toewijzing_is_recorded(p, status):
    extra = {"geboortedatum": timezone.localdate() + timedelta(days=60)} if status == "ongeboren" else {}
    case = p.case(bsn_status=status, **extra)
    preview = services.preview_jw315(actor=p.aanmeldpunt, case=case, data=request_input())
    assert preview.manual_route and not preview.ok
    assert "handmatig met de gemeente" in preview.reasons[0]
    today = timezone.localdate()
    manual = services.ManualInput("45", "45A01", 4, "04", "2", today, today + timedelta(90), "Mw. De Vries (Tilburg)")
    t = services.record_manual_toewijzing(actor=p.aanmeldpunt, case=case, data=manual)
    assert t.source == "handmatig" and t.toewijzing_nummer is None
    assert CaseEvent.objects.filter(case=case, kind="handmatige_toewijzing").exists()
    assert Message.objects.count() == 0


def test_manual_toewijzing_needs_the_contact_and_is_not_for_a_normal_bsn(p):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.record_manual_toewijzing(
            actor=p.aanmeldpunt,
            case=p.case(bsn_status="geen_bsn"),
            data=services.ManualInput("45", "", None, "", "", today, None, "  "),
        )
    assert "contactpersoon_gemeente" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.record_manual_toewijzing(
            actor=p.aanmeldpunt,
            case=p.case(),
            data=services.ManualInput("45", "", None, "", "", today, None, "Iemand"),
        )


# --- Export -------------------------------------------------------------------------------------------------------


def test_export_writes_every_message_byte_for_byte(p, tmp_path):
    p.granted(p.case())
    call_command("export_messages", str(tmp_path), verbosity=0)
    files = sorted(tmp_path.glob("*/*.xml"))
    assert {f.parent.name for f in files} == {"JW315", "JW316", "JW301", "JW302"}
    for m in Message.objects.all():
        assert (tmp_path / m.code / f"{m.sender}-{m.identificatie}.xml").read_bytes() == m.data


# --- Need to know -----------------------------------------------------------------------------------------------


def test_backoffice_scoping_tilburg_sees_all_regio_gemeenten_others_only_their_own(p):
    tilburg_case = p.case()
    waalwijk_case = p.case(gemeente=p.waalwijk)
    a = p.sent_request(tilburg_case)
    b = p.sent_request(waalwijk_case)
    assert set(visible_messages(p.backoffice).filter(message_type="jw315")) == {a, b}
    assert set(visible_messages(p.backoffice_waalwijk).filter(message_type="jw315")) == {b}
    assert not visible_messages(p.toegang).exists()
    amarant = factories.UserFactory(role="regievoerder", organisation=factories.partner("Amarant", "80000103"))
    assert not visible_messages(amarant).exists()
    assert set(visible_messages(p.regievoerder).filter(message_type="jw315")) == {a, b}
    with pytest.raises(PermissionDenied):
        services.accept_jw315(
            actor=p.backoffice_waalwijk, message=a, data=services.AcceptInput(timezone.localdate(), None)
        )


# --- Concurrency --------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_berichtidentificatie_stays_unique_when_many_build_at_once():
    numbers: list[int] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def work():
        try:
            barrier.wait()
            for _ in range(25):
                numbers.append(SenderCounter.next_number("80000101"))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 201))


@pytest.mark.django_db(transaction=True)
def test_two_backoffice_answers_at_once_only_one_wins():
    p = Parties()
    jw315 = p.sent_request(p.case())
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def answer(kind):
        try:
            barrier.wait()
            if kind == "accept":
                today = date.today()
                services.accept_jw315(
                    actor=p.backoffice, message=jw315, data=services.AcceptInput(today, today + timedelta(days=90))
                )
            else:
                services.refuse_jw315(actor=p.backoffice, message=jw315, data=services.RefuseInput("1", "4"))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as e:  # pragma: no cover - shown in the assertion
            outcomes.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(k,)) for k in ("accept", "refuse")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Message.objects.filter(answers=jw315, message_type__in=["jw301", "jw319"]).count() == 1


def test_imported_jw315_with_a_referentie_already_used_is_rejected_with_9347(p):
    case = p.case()
    first = p.sent_request(case)
    request = _jw315_data(case, request_input(), identificatie="000000004243", referentie=first.referentie)
    result = services.import_message(actor=p.backoffice, data=to_bytes(build_jw315(request)))
    assert [code for code, _ in result.codes] == ["9347", "9374"]  # and the first request is still open (TR374)
    assert result.message.state == MessageState.AFGEWEZEN
    assert not Message.objects.filter(selectors.open_requests_q(), pk=result.message.pk).exists()


def test_imported_jw301_with_a_toewijzingnummer_already_used_is_rejected_with_9332(p):
    case, other = p.case(), p.case()
    services.import_message(actor=p.aanmeldpunt, data=external_jw301(case, nummer=880010, ident="000000770010"))
    again = services.import_message(
        actor=p.aanmeldpunt, data=external_jw301(other, nummer=880010, ident="000000770011")
    )
    assert [code for code, _ in again.codes] == ["9332"]
    assert Toewijzing.objects.filter(toewijzing_nummer=880010).count() == 1


def test_a_jw301_repeating_a_current_toewijzing_of_the_youth_is_accepted(p):
    """OP087: every JW301 carries all current toewijzingen of the client at this provider again; the same
    number for the same youth and provider is that toewijzing, not a reuse (TR332)."""
    case = p.case()
    services.import_message(actor=p.aanmeldpunt, data=external_jw301(case, nummer=880020, ident="000000770020"))
    again = services.import_message(actor=p.aanmeldpunt, data=external_jw301(case, nummer=880020, ident="000000770021"))
    assert again.accepted, again.codes
    assert Toewijzing.objects.filter(case=case, toewijzing_nummer=880020).count() == 1


def test_imported_start_for_an_unknown_toewijzing_is_rejected_with_9019(p):
    from messaging.builders import build_jw305
    from messaging.data import StartJeugdhulp, StartProduct

    case = p.case()
    jeugdige = case.jeugdige
    data = StartJeugdhulp(
        header=BerichtHeader("80000101", "0855", "000000990001", timezone.localdate()),
        client=client_from_jeugdige(jeugdige),
        producten=(StartProduct(begindatum=timezone.localdate(), toewijzing_nummer=123456),),
    )
    result = services.import_message(actor=p.backoffice, data=to_bytes(build_jw305(data)))
    assert [code for code, _ in result.codes] == ["9019"]
    assert result.retour.message_type == "jw306"
    assert CaseEvent.objects.filter(case=case, kind="bericht_ontvangen", payload__ref=str(result.message.public_id))


def test_messages_for_parties_we_do_not_know_are_refused(p):
    case = p.case()
    data = external_jw301(case)
    for old, new in ((b">0855<", b">0758<"), (b">80000101<", b">80009999<")):
        with pytest.raises(services.ImportRefused) as refused:
            services.import_message(actor=p.aanmeldpunt, data=data.replace(old, new))
        assert "niet voor ons" in refused.value.reasons[0]
    assert Message.objects.count() == 0


def test_imported_jw319_after_a_toewijzing_is_rejected_with_9359_and_unknown_ones_with_9355(p):
    from messaging.builders import build_jw319
    from messaging.data import Antwoordbericht

    case = p.case()
    jw315, _ = p.granted(case)

    def answer(ref, ident):
        header = BerichtHeader("0855", "80000101", ident, timezone.localdate())
        return to_bytes(build_jw319(Antwoordbericht(header, ref, "1", "4")))

    result = services.import_message(actor=p.aanmeldpunt, data=answer(jw315.referentie, "000000660001"))
    assert [code for code, _ in result.codes] == ["9359"]
    assert result.message.answers == jw315
    unknown = services.import_message(actor=p.aanmeldpunt, data=answer("ONBEKEND-9", "000000660002"))
    assert [code for code, _ in unknown.codes] == ["9355"]
    assert unknown.message.case is None and unknown.retour.message_type == "jw320"
    assert CaseEvent.objects.filter(case=case, kind="jw315_beantwoord").count() == 1  # the rejected one is not


def test_an_imported_refusal_ends_the_request_and_in_onderzoek_keeps_it_open(p):
    """A JW319 from the gemeente's own system answers the request as one made here does: 'afgewezen' is final
    (a new request may follow, TR374), 'in onderzoek' keeps it open; the list shows the answer, not codes."""
    from messaging.builders import build_jw319
    from messaging.codes import codes_in_summary
    from messaging.data import Antwoordbericht

    def answer(request, antwoord, reden, ident):
        header = BerichtHeader("0855", "80000101", ident, timezone.localdate())
        return to_bytes(build_jw319(Antwoordbericht(header, request.referentie, antwoord, reden)))

    case = p.case()
    request = p.sent_request(case)
    onderzoek = services.import_message(actor=p.aanmeldpunt, data=answer(request, "2", "", "000000660011"))
    assert onderzoek.accepted and onderzoek.message.summary.startswith("In onderzoek")
    assert selectors.pending_requests(sender=request.sender, bsn=case.jeugdige.bsn)
    refused = services.import_message(actor=p.aanmeldpunt, data=answer(request, "1", "3", "000000660012"))
    assert refused.accepted and refused.message.summary == "Afgewezen: Geen contract (ingelezen)"
    assert codes_in_summary(refused.message.summary) == []
    assert not selectors.pending_requests(sender=request.sender, bsn=case.jeugdige.bsn)
