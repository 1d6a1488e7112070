"""Case documents: uploads, letters and reports made as PDF (ADR 0013), and the background job for
the large ones."""

import hashlib
import logging

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.models import User

from .. import guards, letters, selectors
from ..dates import nl_date
from ..documents import sniff_document
from ..models import Case, CaseDocument, DocumentJob, DocumentKind, EventKind, JobStatus
from .timeline import _locked, _require, record_event

logger = logging.getLogger(__name__)


def store_document(*, actor: User, case: Case, kind: str, title: str, uploaded_file) -> CaseDocument:
    """Store an uploaded document as the next version of its kind, with its SHA-256 checksum."""
    _require(actor, "referrals.upload_document")
    _require_kind_allowed(actor, case, kind)
    content_type = sniff_document(uploaded_file)  # raises ValidationError for anything else
    return _store_version(
        actor=actor,
        case=case,
        kind=kind,
        title=title.strip() or uploaded_file.name,
        content=uploaded_file,
        content_type=content_type,
        # Asked again on the locked case: it may have been closed, or its light help ended, meanwhile.
        recheck=lambda locked: _require_kind_allowed(actor, locked, kind),
    )


def _require_kind_allowed(actor: User, case: Case, kind: str) -> None:
    """A closed case takes only the documents of its light help after closing [HvB-WI 2.1]."""
    allowed = guards.document_kinds_allowed(case, actor)
    if allowed == ():
        raise PermissionDenied("Deze casus is afgesloten: er kunnen geen documenten meer bij.")
    if allowed is not None and kind not in allowed:
        names = " en ".join(DocumentKind(k).label for k in allowed)
        raise ValidationError(
            {"kind": f"Deze casus is afgesloten: alleen {names} van de lichte hulp kunnen er nog bij."}
        )


def _require_letter_storable(case: Case, kind: str) -> None:
    reason = guards.letter_storing_refusal(case, kind)
    if reason:
        raise letters.LetterRefused(reason)


def _store_version(
    *, actor: User, case: Case, kind: str, title: str, content, content_type: str, payload=None, recheck=None
) -> CaseDocument:
    """Save `content` (a Django File) as the next version of `kind` on the case, with its checksum and a
    timeline event, in one transaction: no file without its row, no row without its file. `recheck(case)`
    runs on the locked case and raises when the document may no longer be added."""
    digest = hashlib.sha256()
    for chunk in content.chunks():
        digest.update(chunk)
    content.seek(0)
    with transaction.atomic():
        case = _locked(case)
        if recheck is not None:
            recheck(case)
        last = CaseDocument.objects.filter(case=case, kind=kind).aggregate(v=Max("version"))["v"] or 0
        document = CaseDocument(
            case=case,
            kind=kind,
            title=title[:200],
            version=last + 1,
            original_name=content.name[:255],
            content_type=content_type,
            size=content.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        document.file.save(content.name, content, save=False)
        try:
            document.save()
            record_event(
                case,
                EventKind.DOCUMENT_TOEGEVOEGD,
                actor,
                payload={
                    "document": str(document.public_id),
                    "soort": kind,
                    "versie": document.version,
                    **(payload or {}),
                },
            )
        except Exception:
            document.file.delete(save=False)  # nothing half: no file without its row
            raise
    return document


# --- Letters and reports as PDF (ADR 0013) ------------------------------------------------------------

# The Celery task (referrals.tasks.make_document) that runs a queued job with run_document_job.
MAKE_DOCUMENT_TASK = "referrals.tasks.make_document"


def store_letter(*, actor: User, case: Case, slug: str, progress=None) -> CaseDocument:
    """Make the PDF of letter `slug` from what is recorded on the case and store it as the next version of
    its kind. `case` comes from selectors.case_detail(actor, ...). Raises letters.LetterRefused (Dutch)."""
    _require(actor, "referrals.upload_document")
    letter = letters.BY_SLUG[slug]
    if not letters.may_make(actor):
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")
    _require_letter_storable(case, letter.kind)
    pdf = letters.make_pdf(letter, case, actor, progress=progress)
    return _store_version(
        recheck=lambda locked: _require_letter_storable(locked, letter.kind),
        actor=actor,
        case=case,
        kind=letter.kind,
        title=f"{letter.title} {nl_date(timezone.localdate())}",
        content=ContentFile(pdf, name=letters.filename(letter, case)),
        content_type="application/pdf",
        payload={"gemaakt": True},
    )


def start_document_job(*, actor: User, case: Case, slug: str) -> DocumentJob:
    """Queue a large document (the dossieroverzicht) for a Celery worker; the page polls the job. A job of
    the same document by the same person that is still running is reused, not doubled."""
    _require(actor, "referrals.upload_document")
    letter = letters.BY_SLUG[slug]
    if not letters.may_make(actor) or not letter.background:
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")
    reason = letters.refusal(letter, case, actor)
    if reason:
        raise letters.LetterRefused(reason)
    _require_letter_storable(case, letter.kind)
    with transaction.atomic():
        running = (
            DocumentJob.objects.select_for_update()
            .filter(case=case, kind=letter.kind, requested_by=actor, status__in=[JobStatus.WACHTEND, JobStatus.BEZIG])
            .first()
        )
        if running is not None and not running.stalled:
            return running
        if running is not None:  # its worker is gone: say so on its page, and start anew
            running.status, running.error = JobStatus.MISLUKT, running.STALLED_ERROR
            running.finished_at = timezone.now()
            running.save(update_fields=["status", "error", "finished_at"])
        job = DocumentJob.objects.create(case_id=case.pk, kind=letter.kind, requested_by=actor, step="In de wachtrij")
        # By the task's name: the tasks import the services, never the other way round.
        transaction.on_commit(lambda: current_app.send_task(MAKE_DOCUMENT_TASK, args=[job.pk]))
    return job


# The steps of render_pdf and the progress the page shows for each.
JOB_STEPS = {
    "html": (20, "Gegevens verzamelen"),
    "opmaak": (40, "Pagina's opmaken"),
    "schrijven": (70, "Pdf schrijven"),
}


def run_document_job(job_id: int) -> DocumentJob | None:
    """Run a queued job (from the Celery task). Safe to run twice: only the run that claims the waiting job
    works on it. Progress is written as it goes (autocommit), so the polling page sees it."""
    claimed = DocumentJob.objects.filter(pk=job_id, status=JobStatus.WACHTEND).update(
        status=JobStatus.BEZIG, progress=5, step="Gestart"
    )
    if not claimed:
        return None
    job = DocumentJob.objects.select_related("case", "requested_by__organisation").get(pk=job_id)

    def report(percent: int, step: str) -> None:
        DocumentJob.objects.filter(pk=job_id).update(progress=percent, step=step)

    try:
        # The same view of the case the requester has on the page.
        case = selectors.case_detail(job.requested_by, job.case.public_id)
        letter = letters.BY_KIND[job.kind]
        document = store_letter(
            actor=job.requested_by, case=case, slug=letter.slug, progress=lambda name: report(*JOB_STEPS[name])
        )
    except (letters.LetterRefused, PermissionDenied, Http404) as refused:
        error = str(refused) if isinstance(refused, letters.LetterRefused) else "U ziet deze casus niet (meer)."
        DocumentJob.objects.filter(pk=job_id).update(
            status=JobStatus.MISLUKT, error=error[:300], finished_at=timezone.now()
        )
    except Exception:
        logger.exception("Document job %s failed", job_id)
        DocumentJob.objects.filter(pk=job_id).update(
            status=JobStatus.MISLUKT,
            error="Het maken van het document is mislukt. Probeer het opnieuw.",
            finished_at=timezone.now(),
        )
    else:
        DocumentJob.objects.filter(pk=job_id).update(
            status=JobStatus.KLAAR, progress=100, step="Klaar", document=document, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job
