"""A refused JW315 corrected and sent again (ADR 0024): the codes' meaning on every page that shows it, the
form prefilled with the code at its field, a new message with a new identificatie and referentie linked
both ways, the timeline, only a refused one and only once, need-to-know, and fixed queries per list."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessLog
from messaging import services
from messaging.builders import build_jw315, to_bytes
from messaging.models import Message, MessageState
from messaging.parsing import parse_jw315, parse_xml
from messaging.services.requesting import _jw315_data, _rule_field
from referrals.models import CaseEvent
from tests import factories
from tests.helpers import FAST_HASHERS, read_page, text, value_of

from .test_pages import form_data
from .traffic import Parties, refused_request, request_input

pytestmark = pytest.mark.django_db

S329 = "S329 – De productcode hoort niet bij de productcategorie."


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def correct_url(message) -> str:
    return reverse("messaging:correct", args=[message.public_id])


def detail_url(message) -> str:
    return reverse("messaging:message_detail", args=[message.public_id])


# --- The codes' meaning ---------------------------------------------------------------------------------


def test_the_case_list_and_the_traffic_list_show_each_code_with_its_meaning(client, p):
    case = p.case()
    refused = refused_request(p, case)
    client.force_login(p.aanmeldpunt)
    for url in (reverse("messaging:case_messages", args=[case.public_id]), reverse("messaging:traffic")):
        page = text(client.get(url))
        assert S329 in page  # on the refused JW315's row and on its JW316's row
        assert page.count(S329) == 2, url
    page = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    assert (correct_url(refused), "Corrigeren en opnieuw versturen") in page.links
    client.force_login(p.backoffice)  # the gemeente's side sees the meaning too, and no action
    page = client.get(reverse("messaging:traffic"))
    assert text(page).count(S329) == 2
    assert correct_url(refused) not in page.content.decode()


def test_the_detail_page_shows_each_code_its_meaning_and_its_class(client, p):
    refused = refused_request(p, p.case())
    client.force_login(p.aanmeldpunt)
    shown = read_page(client.get(detail_url(refused))).by_id["retourcodes"]
    assert "S329" in shown and "De productcode hoort niet bij de productcategorie." in shown
    assert "Aangevraagd product (Client/AangevraagdeProducten/AangevraagdProduct)" in shown
    (retour,) = refused.answered_by.all()
    shown = read_page(client.get(detail_url(retour))).by_id["retourcodes"]
    assert "S329" in shown and "Aangevraagd product" in shown


def test_a_header_code_is_shown_on_the_header(client, p):
    refused = refused_request(p, p.case(), codes=("0001",), on="Header")
    client.force_login(p.aanmeldpunt)
    shown = read_page(client.get(detail_url(refused))).by_id["retourcodes"]
    assert "0001" in shown and "Header (het bericht als geheel)" in shown


# --- The prefilled form, the marked field ----------------------------------------------------------------


def test_the_form_opens_prefilled_with_the_code_at_its_field(client, p):
    case = p.case()
    refused = refused_request(p, case, product_code="45A99")
    client.force_login(p.aanmeldpunt)
    response = client.get(correct_url(refused))
    assert response.status_code == 200
    sent = parse_jw315(parse_xml(refused.data)).producten[0]
    assert value_of(response, "product_code") == "45A99"
    assert value_of(response, "categorie") == "45"
    assert value_of(response, "volume") == "4"
    assert value_of(response, "eenheid") == "04" and value_of(response, "frequentie") == "2"
    assert value_of(response, "ingangsdatum") == sent.toewijzing_ingangsdatum.isoformat()
    assert value_of(response, "einddatum") == sent.toewijzing_einddatum.isoformat()
    assert value_of(response, "aanbieder") == str(case.regie_organisatie_id)
    page = read_page(response)
    note = page.by_id["id_product_code_correction"]
    assert "S329" in note and "productcodelijst" in note
    assert 'aria-describedby="id_product_code_correction id_product_code_helptext"' in response.content.decode()
    assert "id_volume_correction" not in page.by_id


def test_9347_says_the_referentie_is_renewed_and_a_code_without_a_field_goes_above_the_form(client, p):
    refused = refused_request(p, p.case(), codes=("9347", "9374"))
    client.force_login(p.aanmeldpunt)
    shown = read_page(client.get(correct_url(refused))).by_id["correctie-codes"]
    assert "9347" in shown and "vanzelf een nieuwe referentie" in shown
    assert "9374" in shown and "Er loopt al een verzoek" in shown


def test_a_0001_without_a_rule_we_know_is_explained_above_the_form(client, p):
    refused = refused_request(p, p.case(), codes=("0001",), on="Header")
    client.force_login(p.aanmeldpunt)
    shown = read_page(client.get(correct_url(refused))).by_id["correctie-codes"]
    assert "0001" in shown and "niet welke regel" in shown


def test_a_0001_whose_rule_we_find_again_is_marked_at_that_rules_field(client, p, monkeypatch):
    # The gemeente's check found a rule broken that ours (then) did not: checked again now, it points at the end.
    from messaging.services import requesting
    from messaging.validation import Violation

    refused = refused_request(p, p.case(), codes=("0001",), on="Header")
    path = "Client/AangevraagdeProducten/AangevraagdProduct/ToewijzingEinddatum"
    broken = [Violation("CD076", path, "Bij frequentie 2 (per week) is de einddatum verplicht.")]
    monkeypatch.setattr(requesting, "validate_rules", lambda root: broken)
    client.force_login(p.aanmeldpunt)
    page = read_page(client.get(correct_url(refused)))
    assert "CD076" in page.by_id["id_einddatum_correction"]
    assert "correctie-codes" not in page.by_id  # nothing left for above the form


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("Client/AangevraagdeProducten/AangevraagdProduct/ToewijzingEinddatum", "einddatum"),  # CD076, CS003
        ("Client/AangevraagdeProducten/AangevraagdProduct[2]/Omvang/Frequentie", "frequentie"),  # CS343
        ("Client/AangevraagdeProducten/AangevraagdProduct/Omvang", "volume"),  # CD041
        ("Client/AangevraagdeProducten/AangevraagdProduct/Product", "categorie"),  # CD079
        ("Client/Geboortedatum/Datum", None),  # from the case: above the form
    ],
)
def test_a_rule_of_a_0001_points_at_its_field(path, field):
    assert _rule_field(path) == field


# --- Sending the correction ------------------------------------------------------------------------------


def test_sending_makes_a_new_message_linked_both_ways_with_the_timeline(client, p):
    case = p.case()
    refused = refused_request(p, case, product_code="45A99")
    client.force_login(p.aanmeldpunt)
    data = form_data(product_code="45A01", aanbieder=str(case.regie_organisatie_id))
    preview = client.post(correct_url(refused), data)
    assert preview.status_code == 200 and "Opnieuw versturen" in text(preview)
    response = client.post(correct_url(refused), {**data, "actie": "verzenden"})
    new = Message.objects.get(corrects=refused)
    assert response.status_code == 302 and response.url == detail_url(new)
    assert new.identificatie != refused.identificatie
    assert new.referentie and new.referentie != refused.referentie
    assert parse_jw315(parse_xml(new.data)).producten[0].product.code == "45A01"
    assert new.state == MessageState.GEACCEPTEERD  # the JW316 came back without codes
    refused.refresh_from_db()
    assert refused.state == MessageState.AFGEWEZEN  # stays as it was
    new_page = read_page(client.get(detail_url(new)))
    assert "Correctie van" in new_page.by_id["correctie-van"]
    assert (detail_url(refused), f"JW315 {refused.identificatie}") in new_page.links
    old_page = read_page(client.get(detail_url(refused)))
    assert "Gecorrigeerd in" in old_page.by_id["gecorrigeerd-in"]
    assert (detail_url(new), f"JW315 {new.identificatie}") in old_page.links
    assert (correct_url(refused), "Corrigeren en opnieuw versturen") not in old_page.links
    (event,) = CaseEvent.objects.filter(case=case, kind="jw315_gecorrigeerd")
    assert f"JW315 {refused.identificatie} gecorrigeerd en opnieuw verstuurd als JW315 {new.identificatie}" in (
        event.reason
    )
    assert event.payload == {"ref": str(new.public_id), "gecorrigeerd": str(refused.public_id), "bericht": "JW315"}
    case_page = client.get(reverse("referrals:case_detail", args=[case.public_id]))
    assert "Afgewezen verzoek (JW315) gecorrigeerd en opnieuw verstuurd" in text(case_page)
    timeline_links = read_page(case_page).links
    assert (detail_url(refused), "Afgewezen verzoek") in timeline_links
    assert (detail_url(new), "Nieuw verzoek") in timeline_links
    listing = read_page(client.get(reverse("messaging:case_messages", args=[case.public_id])))
    assert (detail_url(new), f"JW315 {new.identificatie}") in listing.links  # "Gecorrigeerd in" on the old row


def test_the_regievoerder_of_the_regie_partner_corrects_too(p):
    refused = refused_request(p, p.case())
    new = services.correct_jw315(actor=p.regievoerder, message=refused, data=request_input())
    assert new.corrects == refused and new.created_by == p.regievoerder
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Ander Huis", "80000202"))
    with pytest.raises(PermissionDenied):
        services.start_correction(actor=other, message=refused)


def test_bad_input_stays_at_the_field_and_stores_nothing(client, p):
    case = p.case()
    refused = refused_request(p, case)
    client.force_login(p.aanmeldpunt)
    before = Message.objects.count()
    today = refused.dagtekening
    bad = form_data(
        aanbieder=str(case.regie_organisatie_id), einddatum=(today.replace(year=today.year - 1)).isoformat()
    )
    response = client.post(correct_url(refused), {**bad, "actie": "verzenden"})
    assert response.status_code == 200
    assert "De einddatum ligt vóór de ingangsdatum." in text(response)
    assert value_of(response, "product_code") == "45A01"  # what was typed stays
    assert Message.objects.count() == before


def test_a_9347_from_the_cross_check_is_corrected_with_a_new_referentie(p):
    case = p.case()
    # An earlier JW315 of the same provider, for another youth, took the referentie this case's first request
    # gets (for the same youth it would also still be open: TR374).
    first_ref = f"{case.reference}-001"
    earlier = _jw315_data(p.case(), request_input(), identificatie="000000004243", referentie=first_ref)
    services.import_message(actor=p.backoffice, data=to_bytes(build_jw315(earlier)))
    refused = p.sent_request(case)
    assert refused.state == MessageState.AFGEWEZEN and refused.referentie == first_ref
    correction = services.start_correction(actor=p.aanmeldpunt, message=refused)
    assert any("9347" in n for n in correction.automatic)
    new = services.correct_jw315(actor=p.aanmeldpunt, message=refused, data=request_input())
    assert new.referentie != first_ref and new.state == MessageState.GEACCEPTEERD


# --- Only a refused one, only once -----------------------------------------------------------------------


def test_only_a_refused_jw315_can_be_corrected(client, p):
    case = p.case()
    accepted = p.sent_request(case)
    client.force_login(p.aanmeldpunt)
    assert (correct_url(accepted), "Corrigeren en opnieuw versturen") not in read_page(
        client.get(detail_url(accepted))
    ).links
    response = client.get(correct_url(accepted), follow=True)
    assert "alleen een afgewezen verzoek wordt gecorrigeerd" in text(response)
    with pytest.raises(services.CorrectionRefused):
        services.correct_jw315(actor=p.aanmeldpunt, message=accepted, data=request_input())
    (retour,) = accepted.answered_by.all()
    with pytest.raises(services.CorrectionRefused):
        services.start_correction(actor=p.aanmeldpunt, message=retour)
    assert not Message.objects.filter(corrects__isnull=False).exists()


def test_a_refused_message_is_corrected_once(client, p):
    case = p.case()
    refused = refused_request(p, case)
    first = services.correct_jw315(actor=p.aanmeldpunt, message=refused, data=request_input())
    with pytest.raises(services.CorrectionRefused) as again:
        services.correct_jw315(actor=p.aanmeldpunt, message=refused, data=request_input())
    assert f"al gecorrigeerd in JW315 {first.identificatie}" in again.value.reasons[0]
    client.force_login(p.aanmeldpunt)
    data = {**form_data(aanbieder=str(case.regie_organisatie_id)), "actie": "verzenden"}
    response = client.post(correct_url(refused), data, follow=True)
    assert f"al gecorrigeerd in JW315 {first.identificatie}" in text(response)
    assert Message.objects.filter(corrects=refused).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_corrections_make_one_new_message():
    p = Parties()
    refused = refused_request(p, p.case())
    outcomes = []

    def correct():
        try:
            services.correct_jw315(actor=p.aanmeldpunt, message=refused, data=request_input())
            outcomes.append("ok")
        except services.CorrectionRefused:
            outcomes.append("refused")
        except Exception as e:  # pragma: no cover - shown in the assertion
            outcomes.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=correct) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Message.objects.filter(corrects=refused).count() == 1


# --- Need-to-know ---------------------------------------------------------------------------------------


def test_without_rights_403_and_on_an_unseen_case_404_both_logged_as_refused(client, p):
    refused = refused_request(p, p.case())
    client.force_login(p.backoffice)  # sees the message, sends no requests
    assert client.get(correct_url(refused)).status_code == 403
    assert AccessLog.objects.filter(user=p.backoffice, action="geweigerd", object_id=str(refused.public_id)).exists()
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Ander Huis", "80000202"))
    client.force_login(other)  # may send requests, but not for this case
    assert client.get(correct_url(refused)).status_code == 404
    assert client.post(correct_url(refused), form_data(actie="verzenden")).status_code == 404
    refusals = AccessLog.objects.filter(user=other, action="geweigerd", object_id=str(refused.public_id))
    assert refusals.count() == 2
    assert not AccessLog.objects.filter(user=other, object_id=str(refused.public_id)).exclude(action="geweigerd")
    assert not Message.objects.filter(corrects=refused).exists()


def test_the_case_and_message_reads_are_logged(client, p):
    case = p.case()
    refused = refused_request(p, case)
    client.force_login(p.aanmeldpunt)
    client.get(correct_url(refused))
    assert AccessLog.objects.filter(user=p.aanmeldpunt, action="inzien", object_id=str(refused.public_id)).exists()
    assert AccessLog.objects.filter(user=p.aanmeldpunt, object_type="berichten", object_id=str(case.public_id)).exists()


# --- A fixed number of queries ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_cost_the_same_for_one_or_many_refused_and_corrected_messages(client, p):
    case = p.case()
    refused_request(p, case)
    client.force_login(p.aanmeldpunt)
    urls = [reverse("messaging:case_messages", args=[case.public_id]), reverse("messaging:traffic")]
    few = [_queries(client, url) for url in urls]
    for _ in range(3):
        again = refused_request(p, case)
        services.correct_jw315(actor=p.aanmeldpunt, message=again, data=request_input())
    assert [_queries(client, url) for url in urls] == few
