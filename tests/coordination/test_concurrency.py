"""Two people change the coordination of one case at once, on two real PostgreSQL connections: one wins, the
other gets the Dutch StaleCase message (or the Dutch refusal); no decision or event is lost or doubled."""

import threading

import pytest

from coordination import services
from coordination.models import Consent, Decision, Level
from referrals.models import Case, CaseEvent
from referrals.services import StaleCase
from tests.helpers import TODAY, make_user
from tests.test_concurrency import STALE_MESSAGE, in_threads

from .helpers import eindevaluatie, joint, level_of, substitute_for, toegang_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("round_", range(3))
def test_two_people_scale_up_at_the_same_moment(round_):
    p = toegang_case()
    substitute = make_user("toegang_medewerker", gem=p.case.gemeente)
    substitute_for(p.case, p.coordinator, substitute)

    def scale_up(actor):
        return lambda c: services.opschalen(
            actor=actor, case=c, expected_level=Level.LICHT, decision=joint(redenen=["veilig_thuis"])
        )

    outcomes = in_threads(
        scale_up(p.coordinator),
        scale_up(substitute),
        barrier=threading.Barrier(2),
        load=lambda: Case.objects.get(pk=p.case.pk),
    )

    results = [r for r, _ in outcomes]
    assert outcomes[0][1] != outcomes[1][1]  # two connections
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    losers = [r for r in results if isinstance(r, StaleCase)]
    assert len(losers) == 1, results
    assert STALE_MESSAGE in str(losers[0])
    assert level_of(p.case) == Level.ZWAAR
    assert Decision.objects.filter(coordination__case=p.case, kind="opgeschaald").count() == 1
    assert CaseEvent.objects.filter(case=p.case, kind="opgeschaald").count() == 1


def test_scale_up_and_close_at_the_same_moment_only_one_happens():
    p = toegang_case()
    eindevaluatie(p.case)

    outcomes = in_threads(
        lambda c: services.opschalen(
            actor=p.coordinator, case=c, expected_level=Level.LICHT, decision=joint(redenen=["veilig_thuis"])
        ),
        lambda c: services.afsluiten(actor=p.coordinator, case=c, expected_level=Level.LICHT, decision=joint()),
        barrier=threading.Barrier(2),
        load=lambda: Case.objects.get(pk=p.case.pk),
    )

    results = [r for r, _ in outcomes]
    assert sum(isinstance(r, StaleCase) for r in results) == 1, results
    changes = CaseEvent.objects.filter(case=p.case, kind__in=["opgeschaald", "coordinatie_afgesloten"])
    assert changes.count() == 1
    assert level_of(p.case) == changes.get().payload["naar"]


def test_two_consents_for_the_same_subject_at_once_one_is_recorded():
    p = toegang_case()

    def consent(actor):
        return lambda c: services.record_consent(
            actor=actor, case=c, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
        )

    outcomes = in_threads(
        consent(p.coordinator),
        consent(p.aanmeldpunt),
        barrier=threading.Barrier(2),
        load=lambda: Case.objects.get(pk=p.case.pk),
    )

    results = [r for r, _ in outcomes]
    assert sum(isinstance(r, Consent) for r in results) == 1, results
    assert Consent.objects.filter(case=p.case, subject="ipva_delen").count() == 1
    assert CaseEvent.objects.filter(case=p.case, kind="toestemming_gegeven").count() == 1


def test_withdrawal_and_sharing_at_once_never_share_after_the_withdrawal():
    p = toegang_case()
    consent = services.record_consent(
        actor=p.coordinator, case=p.case, subject="ipva_delen", given_by="ouders_en_jeugdige", given_on=TODAY
    )

    outcomes = in_threads(
        lambda c: services.withdraw_consent(actor=p.coordinator, case=c, consent_id=consent.pk, withdrawn_on=TODAY),
        lambda c: services.share_documents(actor=p.coordinator, case=c, subject="ipva_delen"),
        barrier=threading.Barrier(2),
        load=lambda: Case.objects.get(pk=p.case.pk),
    )

    events = list(CaseEvent.objects.filter(case=p.case, kind__in=["gedeeld", "toestemming_ingetrokken"]).order_by("id"))
    kinds = [e.kind for e in events]
    # Either shared first (then withdrawn), or withdrawn first and the sharing refused: never shared after it.
    assert kinds in (["gedeeld", "toestemming_ingetrokken"], ["toestemming_ingetrokken"]), (kinds, outcomes)
    assert Case.objects.get(pk=p.case.pk).ipva_delen_toegestaan is False


def test_a_phase_step_on_an_older_copy_keeps_the_coordinator_and_the_consent_mirror():
    """The aanmeldpunt loaded the case before the Toegang named the coördinator and before the consent to share
    was withdrawn; its phase step writes only what the step changes, so neither change is undone."""
    from coordination.models import required_consent_giver
    from referrals import services as case_services
    from tests.factories import build_case

    aanmeldpunt = make_user("aanmeldpunt")
    case = build_case(stage="advies", route="medisch_domein", aanmeldpunt_user=aanmeldpunt)
    giver = required_consent_giver(case.jeugdige.age_on(TODAY))
    services.request_coordination(actor=aanmeldpunt, case=case, given_by=giver, given_on=TODAY)
    consent = services.record_consent(
        actor=aanmeldpunt, case=case, subject="wat_advies_delen", given_by=giver, given_on=TODAY
    )
    seen = Case.objects.get(pk=case.pk)  # the aanmeldpunt's page: sharing allowed, no coördinator yet
    assert seen.wat_advies_delen_toegestaan and seen.coordinator_id is None
    toegang = make_user("toegang_medewerker", gem=case.gemeente)

    [(result, _)] = in_threads(
        lambda: (
            services.assign_coordinator(actor=toegang, case=Case.objects.get(pk=case.pk), coordinator=toegang),
            services.withdraw_consent(
                actor=aanmeldpunt, case=Case.objects.get(pk=case.pk), consent_id=consent.pk, withdrawn_on=TODAY
            ),
        )
    )
    assert not isinstance(result, Exception), result
    case_services.start_hulpverlening(actor=aanmeldpunt, case=seen)

    now = Case.objects.get(pk=case.pk)
    assert now.phase == "hulpverlenend"
    assert now.coordinator == toegang
    assert now.wat_advies_delen_toegestaan is False
