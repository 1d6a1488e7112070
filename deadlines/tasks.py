"""Celery tasks of the deadline engine. The beat (CELERY_BEAT_SCHEDULE in settings) runs the sweep every
DEADLINE_SWEEP_MINUTES; the sweep is idempotent, so a redelivered or doubled task does no harm. After
it the dashboard's kept counts are folded, so they stay one row per key (ADR 0015)."""

from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from . import dashboard_tally
from .sweep import run_sweep


@shared_task(name="deadlines.tasks.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> dict:
    result = asdict(run_sweep(timezone.now()))
    result.pop("messages")
    dashboard_tally.compact()
    return result
