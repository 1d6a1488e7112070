"""The dossieroverzicht is made by a real Celery worker that takes the task from the real Redis; the page
polls the job with htmx and shows the progress, then the stored document."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from referrals import letters, services
from referrals.models import CaseDocument, DocumentJob, JobStatus
from tests.factories import build_care_case
from tests.test_letters import ADDRESS, client_for

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, seconds=60):
    done = threading.Event()
    for _ in range(int(seconds * 10)):
        if predicate():
            return True
        done.wait(0.1)
    return False


def test_a_real_worker_makes_the_dossieroverzicht_with_visible_progress(settings_media):
    from celery.contrib.testing.worker import start_worker

    from segment1.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("set CELERY_BROKER_URL=redis://127.0.0.1:6379/<db> to run a real worker")
    assert app.conf.broker_url == settings.CELERY_BROKER_URL and not app.conf.task_always_eager
    app.control.purge()
    case = build_care_case(stage="in_zorg", **ADDRESS)
    client = client_for(case.regievoerder)

    # Started before a worker runs: the page shows the job waiting and polls every second.
    response = client.post(reverse("referrals:letter_store", args=[case.public_id, "dossieroverzicht"]))
    job = DocumentJob.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:letter_job", args=[case.public_id, job.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "Bezig… 0%" in page and 'hx-trigger="every 1s"' in page
    assert f"{case.reference}: {case.jeugdige.naam}" in page  # who it is about, as on the case page
    # The page is in the access log; the progress it polls for every second is not.
    client.get(response["Location"], HTTP_HX_REQUEST="true")
    logged = AccessLog.objects.filter(user=case.regievoerder, object_type="brief", object_id=str(case.public_id))
    assert list(logged.values_list("action", "description")) == [
        ("inzien", f"{case.reference} Dossieroverzicht voor overdracht (voortgang)")
    ]
    # A second click while it runs does not queue a second job.
    client.post(reverse("referrals:letter_store", args=[case.public_id, "dossieroverzicht"]))
    assert DocumentJob.objects.filter(case=case).count() == 1

    def finished():
        return DocumentJob.objects.get(pk=job.pk).status in (JobStatus.KLAAR, JobStatus.MISLUKT)

    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"):
        assert wait_for(finished), "the worker did not make the document"

    job.refresh_from_db()
    assert job.status == JobStatus.KLAAR, job.error
    assert job.progress == 100
    document = CaseDocument.objects.get(case=case, kind="dossieroverzicht")
    assert job.document == document and document.file.read().startswith(b"%PDF-")

    fragment = client.get(
        reverse("referrals:letter_job", args=[case.public_id, job.public_id]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Klaar." in fragment
    assert reverse("referrals:document_download", args=[case.public_id, document.public_id]) in fragment
    assert "hx-trigger" not in fragment  # done: no more polling


def test_progress_is_written_step_by_step(settings_media, monkeypatch):
    """Without a worker: running the job writes each step's progress where the polling page reads it."""
    case = build_care_case(stage="in_zorg", **ADDRESS)
    job = DocumentJob.objects.create(case=case, kind="dossieroverzicht", requested_by=case.regievoerder)
    url = reverse("referrals:letter_job", args=[case.public_id, job.public_id])
    poller = client_for(case.regievoerder)
    seen = []
    original = letters.make_pdf

    def spy(*args, progress, **kwargs):
        def record(name):
            progress(name)
            seen.append(poller.get(url, HTTP_HX_REQUEST="true").content.decode())

        return original(*args, progress=record, **kwargs)

    monkeypatch.setattr(letters, "make_pdf", spy)
    services.run_document_job(job.pk)

    assert ["Bezig… 20%" in seen[0], "Bezig… 40%" in seen[1], "Bezig… 70%" in seen[2]] == [True] * 3
    assert "Pagina&#x27;s opmaken" in seen[1]
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.KLAAR, 100)
    assert services.run_document_job(job.pk) is None  # a second delivery does nothing
    assert CaseDocument.objects.filter(case=case, kind="dossieroverzicht").count() == 1


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_job_whose_worker_is_gone_says_so_and_a_new_one_can_start(settings_media, time_machine):
    """No worker ever takes the job: after ten minutes its page stops waiting, and 'Maken' starts anew."""
    case = build_care_case(stage="in_zorg", **ADDRESS)
    client = client_for(case.regievoerder)
    store = reverse("referrals:letter_store", args=[case.public_id, "dossieroverzicht"])
    first_page = client.post(store)["Location"]
    assert 'hx-trigger="every 1s"' in client.get(first_page).content.decode()

    time_machine.move_to(timezone.now() + timedelta(minutes=11), tick=False)
    client.force_login(case.regievoerder)  # the idle session expired meanwhile
    page = client.get(first_page).content.decode()
    assert "Niet gelukt." in page and "duurde te lang" in page and "hx-trigger" not in page

    second_page = client.post(store)["Location"]
    assert second_page != first_page
    first, second = DocumentJob.objects.filter(case=case).order_by("pk")
    assert (first.status, second.status) == (JobStatus.MISLUKT, JobStatus.WACHTEND)
    assert first.error == DocumentJob.STALLED_ERROR
