"""Two people acting on one case at once, on two real PostgreSQL connections: one wins, the other gets
the Dutch StaleCase message with the current state; no step is lost or applied twice."""

import threading

import pytest
from django.db import connection

from referrals import services
from referrals.models import Case, CaseEvent, Phase
from tests.factories import build_case
from tests.helpers import FAST_HASHERS, NOW, make_user

pytestmark = pytest.mark.django_db(transaction=True)

STALE_MESSAGE = "intussen door iemand anders gewijzigd"


@pytest.fixture(autouse=True)
def _fixed_clock_and_fast_users(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PASSWORD_HASHERS = FAST_HASHERS


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def in_threads(*jobs, barrier: threading.Barrier | None = None, load=None):
    """Run each job in its own thread (so on its own database connection); return (result or exception, pid)
    per job. With `load`, each thread first loads its own copy of the case, then waits at the barrier."""
    outcomes: list = [None] * len(jobs)

    def run(i, job):
        try:
            pid = backend_pid()
            args = (load(),) if load else ()
            if barrier is not None:
                barrier.wait(timeout=10)
            try:
                outcomes[i] = (job(*args), pid)
            except Exception as e:  # the outcome under test
                outcomes[i] = (e, pid)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a thread hung: a lock was never released"
    return outcomes


def hulpverlening_events(case) -> int:
    return CaseEvent.objects.filter(case=case, kind="hulpverlening_gestart").count()


def test_a_stale_copy_loses_deterministically(aanmeldpunt_user, sterk_huis):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user, partner_org=sterk_huis)
    colleague = make_user("aanmeldpunt")
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)  # the colleague's page, loaded at the same moment

    [(result, pid)] = in_threads(lambda: services.start_hulpverlening(actor=aanmeldpunt_user, case=first))

    assert isinstance(result, Case), result
    assert pid != backend_pid()  # really another connection, and it committed:
    assert Case.objects.get(pk=case.pk).phase == Phase.HULPVERLENEND
    with pytest.raises(services.StaleCase) as info:
        services.start_hulpverlening(actor=colleague, case=second)
    assert STALE_MESSAGE in str(info.value)
    assert info.value.case.phase == Phase.HULPVERLENEND  # the loser is shown the current state
    assert hulpverlening_events(case) == 1
    assert CaseEvent.objects.get(case=case, kind="hulpverlening_gestart").actor == aanmeldpunt_user


def test_a_stale_copy_cannot_take_another_step_from_the_old_phase(aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)

    [(result, _)] = in_threads(lambda: services.start_hulpverlening(actor=aanmeldpunt_user, case=first))
    assert isinstance(result, Case), result

    with pytest.raises(services.StaleCase):
        services.voortijdig_beeindigen(
            actor=aanmeldpunt_user, case=second, expected_phase=Phase.AANMELD, reden="wlz", toelichting="Wlz."
        )
    case.refresh_from_db()
    assert case.phase == Phase.HULPVERLENEND
    assert case.einde_reden == ""
    assert not CaseEvent.objects.filter(case=case, kind="voortijdig_beeindigd").exists()


@pytest.mark.parametrize("round_", range(5))
def test_two_people_start_care_at_the_same_moment(round_, aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    colleague = make_user("aanmeldpunt")
    barrier = threading.Barrier(2)

    outcomes = in_threads(
        lambda c: services.start_hulpverlening(actor=aanmeldpunt_user, case=c),
        lambda c: services.start_hulpverlening(actor=colleague, case=c),
        barrier=barrier,
        load=lambda: Case.objects.get(pk=case.pk),
    )

    results = [r for r, _ in outcomes]
    assert outcomes[0][1] != outcomes[1][1]  # two connections
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, services.StaleCase)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert STALE_MESSAGE in str(losers[0])
    assert losers[0].case.phase == Phase.HULPVERLENEND
    assert Case.objects.get(pk=case.pk).phase == Phase.HULPVERLENEND
    assert hulpverlening_events(case) == 1


def test_start_and_end_at_the_same_moment_only_one_happens(aanmeldpunt_user):
    case = build_case(stage="advies", aanmeldpunt_user=aanmeldpunt_user)
    colleague = make_user("aanmeldpunt")

    outcomes = in_threads(
        lambda c: services.start_hulpverlening(actor=aanmeldpunt_user, case=c),
        lambda c: services.voortijdig_beeindigen(
            actor=colleague, case=c, expected_phase=Phase.AANMELD, reden="geen_hulpvraag", toelichting="Afgezien."
        ),
        barrier=threading.Barrier(2),
        load=lambda: Case.objects.get(pk=case.pk),
    )

    results = [r for r, _ in outcomes]
    assert sum(isinstance(r, Case) for r in results) == 1, results
    assert sum(isinstance(r, services.StaleCase) for r in results) == 1, results
    transitions = CaseEvent.objects.filter(case=case, from_phase=Phase.AANMELD)
    assert transitions.count() == 1
    assert Case.objects.get(pk=case.pk).phase == transitions.get().to_phase


def test_two_toegang_workers_submit_at_the_same_moment(toegang_user, tilburg):
    case = build_case(stage="voorbereid", toegang_user=toegang_user)
    colleague = make_user("toegang_medewerker", gem=tilburg)

    outcomes = in_threads(
        lambda c: services.aanmelden(actor=toegang_user, case=c),
        lambda c: services.aanmelden(actor=colleague, case=c),
        barrier=threading.Barrier(2),
        load=lambda: Case.objects.get(pk=case.pk),
    )

    results = [r for r, _ in outcomes]
    assert sum(isinstance(r, Case) for r in results) == 1, results
    assert sum(isinstance(r, services.StaleCase) for r in results) == 1, results
    assert CaseEvent.objects.filter(case=case, kind="aangemeld").count() == 1
