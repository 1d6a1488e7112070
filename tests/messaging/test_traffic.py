"""The message traffic through the services, on PostgreSQL: JW315 -> JW316, JW301 -> JW302 (toewijzing on the
case), JW319 -> JW320, JW305/JW307 with their retours; stored bytes never change; the timeline pairs by ref."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from messaging import selectors, services
from messaging.models import Message, MessageState, MessageTransition, SenderCounter, Toewijzing
from messaging.parsing import parse_jw301, parse_retour, parse_xml
from messaging.validation import validate
from referrals.models import CaseEvent
from tests.helpers import FAST_HASHERS

from .traffic import Parties, request_input

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def events(case, kind):
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("pk"))


def test_jw315_goes_concept_validated_sent_accepted_and_gets_its_jw316(p):
    case = p.case()
    jw315 = services.create_jw315(actor=p.aanmeldpunt, case=case, data=request_input())
    assert jw315.state == MessageState.GEVALIDEERD
    assert jw315.sender == "80000101" and jw315.receiver == "0855"
    assert validate(parse_xml(jw315.data)).ok
    jw315 = services.send_message(actor=p.aanmeldpunt, message=jw315)
    assert jw315.state == MessageState.GEACCEPTEERD
    history = list(jw315.transitions.values_list("to_state", flat=True))
    assert history == ["concept", "gevalideerd", "verzonden", "geaccepteerd"]
    (jw316,) = jw315.answered_by.all()
    assert jw316.message_type == "jw316" and jw316.sender == "0855"
    assert parse_retour(parse_xml(jw316.data)).accepted
    ref = str(jw315.public_id)
    for kind in ("jw315_verzonden", "jw315_ontvangen", "retour_verzonden"):
        (event,) = events(case, kind)
        assert event.payload["ref"] == ref


def test_backoffice_accepts_jw301_reaches_the_case_with_its_jw302(p):
    case = p.case()
    jw315, jw301 = p.granted(case, volume=6)
    assert jw301.message_type == "jw301" and jw301.answers == jw315
    assert jw301.state == MessageState.GEACCEPTEERD
    data = parse_jw301(parse_xml(jw301.data))
    line = data.producten[0]
    assert line.referentie_aanbieder == jw315.referentie
    assert (line.product.code, line.omvang.volume, line.omvang.eenheid, line.omvang.frequentie) == (
        "45A01",
        6,
        "04",
        "2",
    )
    (toewijzing,) = Toewijzing.objects.filter(case=case)
    assert toewijzing.toewijzing_nummer == line.toewijzing_nummer
    assert toewijzing.source == "jw301" and toewijzing.message == jw301
    assert [m.message_type for m in jw301.answered_by.all()] == ["jw302"]
    (answered,) = events(case, "jw315_beantwoord")
    assert answered.payload["ref"] == str(jw315.public_id)
    (received,) = events(case, "toewijzing_ontvangen")
    assert received.payload["ref"] == str(jw301.public_id)
    # The request is answered: it leaves the backoffice inbox and cannot be answered twice.
    assert not Message.objects.filter(selectors.open_requests_q(), pk=jw315.pk).exists()
    with pytest.raises(ValidationError):
        services.refuse_jw315(actor=p.backoffice, message=jw315, data=services.RefuseInput("1", "4"))


def test_toewijzingnummers_are_unique_per_gemeente(p):
    numbers = {p.granted(p.case())[1].recorded.get().toewijzing_nummer for _ in range(3)}
    assert len(numbers) == 3


def test_refusal_is_a_jw319_with_its_reason_and_a_jw320(p):
    case = p.case()
    jw315 = p.sent_request(case)
    jw319 = services.refuse_jw315(
        actor=p.backoffice,
        message=jw315,
        data=services.RefuseInput(verzoek_antwoord="1", reden="8", woonplaats_gemeente=p.waalwijk),
    )
    assert jw319.message_type == "jw319" and jw319.state == MessageState.GEACCEPTEERD
    assert "Woonplaatsbeginsel" in jw319.summary
    assert b"<jw319:Gemeente>0867</jw319:Gemeente>" in jw319.data
    assert [m.message_type for m in jw319.answered_by.all()] == ["jw320"]
    assert events(case, "jw319_ontvangen")[0].payload["ref"] == str(jw319.public_id)
    assert not Toewijzing.objects.filter(case=case).exists()


def test_in_onderzoek_keeps_the_request_open_until_the_final_answer(p):
    case = p.case()
    jw315 = p.sent_request(case)
    services.refuse_jw315(actor=p.backoffice, message=jw315, data=services.RefuseInput("2"))
    assert Message.objects.filter(selectors.open_requests_q(), pk=jw315.pk).exists()
    with pytest.raises(ValidationError) as again:
        services.refuse_jw315(actor=p.backoffice, message=jw315, data=services.RefuseInput("2"))
    assert "in onderzoek" in str(again.value)
    today = timezone.localdate()
    services.accept_jw315(actor=p.backoffice, message=jw315, data=services.AcceptInput(today, today + timedelta(90)))
    assert not Message.objects.filter(selectors.open_requests_q(), pk=jw315.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (services.RefuseInput("1", ""), "reden"),
        (services.RefuseInput("2", "4"), "reden"),
        (services.RefuseInput("1", "8"), "woonplaats_gemeente"),
    ],
)
def test_refusal_input_errors_are_dutch_at_the_field_and_store_nothing(p, data, field):
    jw315 = p.sent_request(p.case())
    before = Message.objects.count()
    with pytest.raises(ValidationError) as error:
        services.refuse_jw315(actor=p.backoffice, message=jw315, data=data)
    assert field in error.value.error_dict
    assert Message.objects.count() == before


def test_start_and_stop_of_care_with_their_retours(p):
    case = p.case()
    _, jw301 = p.granted(case)
    toewijzing = jw301.recorded.get()
    today = timezone.localdate()
    jw305 = services.send_jw305(actor=p.regievoerder, case=case, toewijzing=toewijzing, begindatum=today)
    assert jw305.state == MessageState.GEACCEPTEERD and jw305.toewijzing == toewijzing
    assert [m.message_type for m in jw305.answered_by.all()] == ["jw306"]
    assert events(case, "jw305_verzonden")[0].payload["ref"] == str(jw305.public_id)
    with pytest.raises(ValidationError):  # TR326: one current start
        services.send_jw305(actor=p.regievoerder, case=case, toewijzing=toewijzing, begindatum=today)
    jw307 = services.send_jw307(actor=p.regievoerder, case=case, toewijzing=toewijzing, einddatum=today, reden="31")
    assert jw307.state == MessageState.GEACCEPTEERD
    assert [m.message_type for m in jw307.answered_by.all()] == ["jw308"]
    assert b"<jw307:RedenBeeindiging>31</jw307:RedenBeeindiging>" in jw307.data
    assert events(case, "jw307_verzonden")


def test_start_in_the_future_or_before_the_toewijzing_is_refused_in_dutch(p):
    case = p.case()
    toewijzing = p.granted(case)[1].recorded.get()
    with pytest.raises(ValidationError) as error:
        services.send_jw305(
            actor=p.regievoerder, case=case, toewijzing=toewijzing, begindatum=timezone.localdate() + timedelta(1)
        )
    assert "toekomst" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.send_jw307(
            actor=p.regievoerder, case=case, toewijzing=toewijzing, einddatum=timezone.localdate(), reden="31"
        )
    assert "eerst de start" in str(error.value)


def test_a_stored_message_never_changes(p):
    jw315 = p.sent_request(p.case())
    original = jw315.data
    jw315.content = b"<x/>"
    with pytest.raises(PermissionError):
        jw315.save()
    with pytest.raises(PermissionError):
        Message.objects.filter(pk=jw315.pk).update(content=b"<x/>")
    with pytest.raises(PermissionError):
        Message.objects.filter(pk=jw315.pk).delete()
    with pytest.raises(PermissionError):
        jw315.delete()
    with pytest.raises(PermissionError):
        MessageTransition.objects.filter(message=jw315).delete()
    assert Message.objects.get(pk=jw315.pk).data == original


def test_a_sent_message_cannot_be_sent_again(p):
    jw315 = p.sent_request(p.case())
    with pytest.raises(services.StaleMessage):
        services.send_message(actor=p.aanmeldpunt, message=jw315)


def test_jeugdzorgplus_only_from_the_three_providers_with_etmaal_per_week(p):
    case = p.case()
    from accounts.models import OrganisationKind
    from tests import factories

    pactum = factories.OrganisationFactory(
        kind=OrganisationKind.JEUGDZORGPLUS, name="Pactum (oost)", agb_code="73730723"
    )
    zorgplus = request_input(categorie="43", product_code="43A12", volume=7, eenheid="14", frequentie="2")
    preview = services.preview_jw315(actor=p.aanmeldpunt, case=case, data=zorgplus)
    assert not preview.ok
    assert any("alleen voor Pactum" in r for r in preview.reasons)
    zorgplus.aanbieder = pactum
    zorgplus.verwijzer_soort = ""
    preview = services.preview_jw315(actor=p.aanmeldpunt, case=case, data=zorgplus)
    assert preview.ok, preview.reasons
    assert b"<ijw:Eenheid>14</ijw:Eenheid>" in preview.data
    zorgplus.frequentie = "1"
    preview = services.preview_jw315(actor=p.aanmeldpunt, case=case, data=zorgplus)
    assert any("eenheid 14 (etmaal) en frequentie 2" in r for r in preview.reasons)


def test_preview_shows_rule_violations_with_code_and_field(p):
    preview = services.preview_jw315(
        actor=p.aanmeldpunt,
        case=p.case(),
        data=request_input(einddatum=None),  # frequentie 2 needs an end
    )
    assert not preview.ok
    assert any(r.startswith("CD076") and "ToewijzingEinddatum" in r for r in preview.reasons)


def test_sender_counter_is_unique_per_sender():
    a = [SenderCounter.next_number("80000101") for _ in range(3)]
    b = SenderCounter.next_number("0855")
    assert a == [1, 2, 3] and b == 1


def test_only_roles_that_may_send_create_a_request(p):
    case = p.case()
    for user in (p.backoffice, p.toegang):
        with pytest.raises(PermissionDenied):
            services.create_jw315(actor=user, case=case, data=request_input())
    from tests import factories

    other_regie = factories.UserFactory(role="regievoerder", organisation=factories.partner("Amarant", "80000103"))
    with pytest.raises(PermissionDenied):
        services.create_jw315(actor=other_regie, case=case, data=request_input())
    jw315 = p.sent_request(case)
    with pytest.raises(PermissionDenied):
        services.accept_jw315(actor=p.aanmeldpunt, message=jw315, data=services.AcceptInput(timezone.localdate(), None))


def test_in_onderzoek_answers_the_request_in_time_and_the_final_answer_follows_within_8_weeks(p):
    from deadlines.models import Deadline, DeadlineState
    from tests.helpers import ensure_default_rules

    ensure_default_rules()
    case = p.case(gemeente=p.waalwijk)
    jw315 = p.sent_request(case)
    services.refuse_jw315(actor=p.backoffice, message=jw315, data=services.RefuseInput("2"))
    first = Deadline.objects.get(case=case, rule__code="antwoord-jw315")
    final = Deadline.objects.get(case=case, rule__code="definitief-antwoord-jw315")
    assert (first.state, final.state) == (DeadlineState.MET, DeadlineState.OPEN)
    assert (final.due_at - first.started_at).days in (55, 56)
    today = timezone.localdate()
    services.accept_jw315(actor=p.backoffice, message=jw315, data=services.AcceptInput(today, today + timedelta(90)))
    final.refresh_from_db()
    assert final.state == DeadlineState.MET
