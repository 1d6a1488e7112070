"""The manual-route and permission rule of a case's messages (messaging.guards), asked by the pages and
the services alike."""

import pytest

from messaging import guards, selectors
from tests import factories
from tests.helpers import FAST_HASHERS

from .traffic import Parties

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def p():
    return Parties()


def can(user, case):
    return guards.message_permissions(user, case, selectors.case_traffic(case))


def test_a_case_with_a_bsn_sends_messages_and_one_without_goes_the_manual_route(p):
    with_bsn, without = p.case(), p.case(bsn_status="geen_bsn")
    assert not guards.manual_route(with_bsn)
    assert guards.manual_route(without)
    assert can(p.aanmeldpunt, with_bsn) == {
        "jw315": True,
        "correct": True,
        "start": False,
        "stop": False,
        "manual": False,
        "import": True,
        "bepaling": False,
        "lopend_record": True,
        "lopend_end": False,
    }
    assert can(p.aanmeldpunt, without)["jw315"] is False
    assert can(p.aanmeldpunt, without)["manual"] is True


def test_only_the_regievoerende_organisatie_sends_for_a_regievoerder(p):
    case = p.case()
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Ander Huis", "80000202"))
    assert guards.is_regie_party(p.regievoerder, case) and guards.may_send(p.regievoerder, case)
    assert not guards.is_regie_party(other, case) and not guards.may_send(other, case)
    assert guards.is_regie_party(p.backoffice, case) and not guards.may_send(p.backoffice, case)


def test_a_running_toewijzing_elsewhere_is_ended_only_by_the_backoffice_of_the_gemeente_or_gastheer(p):
    """[HvB-S1] (ADR 0021): Waalwijk's case; Tilburg is gastheergemeente, Dongen another gemeente."""
    case = p.case(gemeente=p.waalwijk)
    dongen = factories.UserFactory(role="backoffice", organisation=factories.gemeente("Dongen", "0766"))
    assert guards.may_end_lopende_toewijzing(p.backoffice_waalwijk, case)
    assert guards.may_end_lopende_toewijzing(p.backoffice, case)
    assert not guards.may_end_lopende_toewijzing(dongen, case)
    assert not guards.may_end_lopende_toewijzing(p.aanmeldpunt, case)
    assert guards.may_record_lopende_toewijzing(p.regievoerder, case)
    other = factories.UserFactory(role="regievoerder", organisation=factories.partner("Ander Huis", "80000202"))
    assert not guards.may_record_lopende_toewijzing(other, case)


def test_start_and_stop_are_offered_as_the_toewijzing_goes(p):
    case = p.case()
    p.granted(case)
    assert can(p.aanmeldpunt, case)["start"] and not can(p.aanmeldpunt, case)["stop"]


def test_the_stop_is_reported_also_after_the_case_is_closed(p):
    """The JW307 within 5 working days after care stopped [iJw OP288] outlives the case: so does its step."""
    from django.utils import timezone

    from messaging import services
    from referrals import services as case_services

    case = p.case()
    p.granted(case)
    toewijzing = selectors.case_traffic(case).toewijzingen[0]
    services.send_jw305(actor=p.regievoerder, case=case, toewijzing=toewijzing, begindatum=timezone.localdate())
    case.refresh_from_db()
    closed = case_services.voortijdig_beeindigen(
        actor=p.aanmeldpunt,
        case=case,
        expected_phase=case.phase,
        reden="geen_hulpvraag",
        toelichting="Geen hulpvraag meer.",
    )
    offered = can(p.regievoerder, closed)
    assert offered["stop"] and not offered["start"] and not offered["jw315"]
