"""Celery tasks of the referrals app: thin wrappers around services, safe to run twice.

Services enqueue them by name (services.MAKE_DOCUMENT_TASK), so the services never import this module."""

from celery import shared_task

from . import services


@shared_task(name=services.MAKE_DOCUMENT_TASK, acks_late=True, ignore_result=True)
def make_document(job_id: int) -> None:
    """Make a large document (the dossieroverzicht) in the background; the job row shows the progress."""
    services.run_document_job(job_id)
