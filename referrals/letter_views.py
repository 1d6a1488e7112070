"""Letters and reports as PDF (ADR 0013): preview, download, store, and the background job of the
dossieroverzicht. Thin: the case comes from the selector (need to know), the PDF from referrals.letters,
storing from a service; every preview and download is written to the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pages import form_page

from . import letters, selectors, services
from .forms import FamilyLetterSentForm
from .models import JobStatus

ACTIONS = {"inline": "voorbeeld", "attachment": "downloaden"}


def _letter_and_case(request, public_id, slug):
    if not letters.may_make(request.user):
        raise PermissionDenied
    letter = letters.BY_SLUG.get(slug)
    case = selectors.case_detail(request.user, public_id, shown="brief", logged=False)
    if letter is None:
        raise Http404
    return letter, case


def _back(case):
    """Back to the Documenten maken block of the case page, where the message shows."""
    return redirect(reverse("referrals:case_detail", args=[case.public_id]) + "#h-documenten-maken")


def _refuse(request, case, message: str):
    """A refusal is shown where the user asked, never as an incomplete letter."""
    messages.error(request, message)
    return _back(case)


def _pdf(request, public_id, slug, disposition: str):
    letter, case = _letter_and_case(request, public_id, slug)
    if letter.background:
        return _refuse(request, case, f"Het {letter.title.lower()} wordt op de achtergrond gemaakt: kies ‘Maken’.")
    try:
        pdf = letters.make_pdf(letter, case, request.user)
    except letters.LetterRefused as refused:
        return _refuse(request, case, str(refused))
    selectors.log_letter(request.user, case, letter.title, action=ACTIONS[disposition])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{letters.filename(letter, case)}"'
    return response


@login_required
@require_GET
def letter_preview(request, public_id, kind):
    return _pdf(request, public_id, kind, "inline")


@login_required
@require_GET
def letter_download(request, public_id, kind):
    return _pdf(request, public_id, kind, "attachment")


@login_required
@require_POST
def letter_store(request, public_id, kind):
    letter, case = _letter_and_case(request, public_id, kind)
    if not request.user.has_perm("referrals.upload_document"):
        raise PermissionDenied
    try:
        if letter.background:
            job = services.start_document_job(actor=request.user, case=case, slug=letter.slug)
            return redirect("referrals:letter_job", public_id=case.public_id, job_id=job.public_id)
        document = services.store_letter(actor=request.user, case=case, slug=letter.slug)
    except letters.LetterRefused as refused:
        return _refuse(request, case, str(refused))
    messages.success(request, f"{letter.title} is bewaard bij de documenten (versie {document.version}).")
    return _back(case)


@login_required
@require_GET
def letter_job(request, public_id, job_id):
    """The page of a document in the making; htmx asks for the progress fragment every second."""
    if not letters.may_make(request.user):
        raise PermissionDenied
    # The progress, polled every second by htmx, shows no personal data: not logged each time.
    job = selectors.document_job(request.user, public_id, job_id, polled=bool(request.htmx))
    running = job.status in RUNNING and not job.stalled
    context = {"case": job.case, "job": job, "letter": letters.BY_KIND[job.kind], "running": running}
    if request.htmx:
        return render(request, "referrals/letters/_job_status.html", context)
    return render(request, "referrals/letters/job.html", context)


RUNNING = (JobStatus.WACHTEND, JobStatus.BEZIG)


@login_required
@require_http_methods(["GET", "POST"])
def letter_sent(request, public_id, kind):
    """Record that a letter the family waits for (coördinator, regievoerder, DAT-brief) was sent: the PDF
    is made from the case as it is now and kept with the documents as the version that went out."""
    letter = letters.BY_SLUG.get(kind)
    if letter is None or not letter.family:
        raise Http404
    if not letters.may_send(letter, request.user):
        raise PermissionDenied
    case = selectors.case_detail(request.user, public_id, shown="brief", description=letter.title)
    if not letter.relevant(case):
        messages.error(request, f"{letter.title}: hoort (nu) niet bij deze casus.")
        return _back(case)
    if not letters.may_record_sent(letter, case, request.user):
        raise PermissionDenied
    reason = letters.refusal(letter, case, request.user)
    if reason:
        return _refuse(request, case, reason)

    def run(data):
        try:
            return services.record_family_letter_sent(actor=request.user, case=case, slug=letter.slug, **data)
        except letters.LetterRefused as refused:
            raise ValidationError(str(refused)) from refused

    due = next((d.reason for d in letters.letters_due(case) if d.letter.slug == letter.slug), "")
    return form_page(
        request,
        FamilyLetterSentForm(request.POST or None),
        run,
        template="referrals/letters/sent.html",
        context={"case": case, "letter": letter, "due": due},
        success=f"{letter.title}: vastgelegd als verstuurd en bewaard bij de documenten.",
        back=reverse("referrals:case_detail", args=[case.public_id]),
    )
