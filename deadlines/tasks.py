"""Celery tasks of the deadline engine. The beat (CELERY_BEAT_SCHEDULE in settings) runs the sweep every
DEADLINE_SWEEP_MINUTES; the sweep is idempotent, so a redelivered or doubled task does no harm. Once a night
it folds the dashboard's kept counts into one row per key (ADR 0015): a rewrite of the whole table (27 s at
a million cases), which the sweep every few minutes should not carry."""

from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from .figures import kept
from .sweep import run_sweep


@shared_task(name="deadlines.tasks.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> dict:
    result = asdict(run_sweep(timezone.now()))
    result.pop("messages")
    return result


@shared_task(name="deadlines.tasks.fold_dashboard_counts", acks_late=True)
def fold_dashboard_counts() -> None:
    kept.compact()
