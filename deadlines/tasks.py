"""Celery tasks of the deadline engine. The beat (CELERY_BEAT_SCHEDULE in settings) runs the sweep every
DEADLINE_SWEEP_MINUTES; the sweep is idempotent, so a redelivered or doubled task does no harm."""

from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from .sweep import run_sweep


@shared_task(name="deadlines.tasks.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> dict:
    result = asdict(run_sweep(timezone.now()))
    result.pop("messages")
    return result
