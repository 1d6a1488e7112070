"""Sweeps on real connections: two at once on two PostgreSQL connections, and one run by a real Celery
worker that takes the task from the real Redis. A breach is recorded and warned exactly once."""

import threading
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from deadlines import sweep
from deadlines.models import Deadline, DeadlineState, DeadlineWarning, Notification, WarningKind
from tests.factories import build_case

from .conftest import ams

pytestmark = pytest.mark.django_db(transaction=True)

AFTER_DUE = ams(2026, 3, 22, 9)
N = 4


@pytest.fixture
def overdue_cases(clock, sanne, aanmeldpunt):
    return [
        build_case(stage="aanmeld", toegang_user=sanne, aanmeldpunt_user=aanmeldpunt, achternaam=f"Jansen{i}")
        for i in range(N)
    ]


def in_threads(*jobs):
    outcomes: list = [None] * len(jobs)

    def run(i, job):
        try:
            outcomes[i] = job()
        except Exception as e:  # reported below
            outcomes[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job), name=f"sweep-{i}") for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a sweep hung: a lock was never released"
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    return outcomes


def assert_warned_once(aanmeldpunt):
    assert Deadline.objects.filter(state=DeadlineState.BREACHED).count() == N
    assert DeadlineWarning.objects.filter(kind=WarningKind.BREACH).count() == N
    assert Notification.objects.filter(user=aanmeldpunt).count() == N
    assert len([m for m in mail.outbox if m.to == [aanmeldpunt.email]]) == N


def test_two_sweeps_started_together_warn_once(overdue_cases, aanmeldpunt):
    barrier = threading.Barrier(2)

    def job():
        barrier.wait(timeout=10)
        return sweep.run_sweep(AFTER_DUE)

    a, b = in_threads(job, job)
    assert a.breached + b.breached == N
    assert a.breach_warnings + b.breach_warnings == N
    assert_warned_once(aanmeldpunt)


def test_a_sweep_skips_the_rows_another_sweep_holds(overdue_cases, aanmeldpunt):
    """The first sweep has marked the breaches and holds the rows; the second runs completely meanwhile,
    skipping the locked rows instead of waiting, and warns about nothing; then the first finishes."""
    first_holds, second_done = threading.Event(), threading.Event()
    insert = sweep._insert_warnings

    def slow_insert(now, run_id):
        if threading.current_thread().name == "sweep-0":
            first_holds.set()
            assert second_done.wait(timeout=10)
        insert(now, run_id)

    def first():
        return sweep.run_sweep(AFTER_DUE)

    def second():
        assert first_holds.wait(timeout=10)
        try:
            return sweep.run_sweep(AFTER_DUE)
        finally:
            second_done.set()

    with mock.patch.object(sweep, "_insert_warnings", slow_insert):
        a, b = in_threads(first, second)
    assert (a.breached, a.breach_warnings) == (N, N)
    assert (b.breached, b.breach_warnings, b.notifications, b.emails) == (0, 0, 0, 0)
    assert_warned_once(aanmeldpunt)


def test_a_real_celery_worker_runs_the_sweep_from_redis(overdue_cases, aanmeldpunt, time_machine):
    from celery.contrib.testing.worker import start_worker

    from deadlines.tasks import sweep_deadlines
    from segment1.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("set CELERY_BROKER_URL=redis://127.0.0.1:6379/<db> to run a real worker")
    assert app.conf.broker_url == settings.CELERY_BROKER_URL and not app.conf.task_always_eager
    app.control.purge()
    time_machine.move_to(AFTER_DUE, tick=True)

    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"):
        sweep_deadlines.delay()
        sweep_deadlines.delay()  # a second delivery (beat twice, or a redelivery) does no harm
        done = threading.Event()
        for _ in range(200):
            if DeadlineWarning.objects.filter(kind=WarningKind.BREACH).count() == N:
                done.set()
                break
            done.wait(0.1)
        assert done.is_set(), "the worker did not run the sweep"
        # let the second task run too before the worker stops
        with app.connection_for_read() as conn:
            for _ in range(100):
                if conn.default_channel.client.llen("celery") == 0:
                    break
                done.wait(0.1)
        done.wait(0.5)

    assert_warned_once(aanmeldpunt)
