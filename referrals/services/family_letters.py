"""Letters to the family that the case waits for until they are recorded as sent [HvB-QA 6, HvB-STAP]:
who the coördinator is, who the regievoerder is (each again after a change or a new substitute), and the
DAT-brief of the Toegang. Recording one stores the PDF as sent and writes the timeline, in one step."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import letters
from ..dates import nl_date
from ..models import OPEN_PHASES, Case, CaseRole, EventKind, FamilyLetter, FamilyLetterSent, SendMethod
from .documents import _require_letter_storable, _store_version
from .timeline import _require_phase, record_event, too_long_ago


def _earliest(case: Case, letter: letters.Letter) -> date:
    """A letter cannot have gone out before what it tells: the assignment, or the case's registration."""
    if letter.family in (FamilyLetter.COORDINATOR, FamilyLetter.REGIEVOERDER):
        holder = next(
            (h for h in case.role_history.all() if h.role == letter.family and h.ended_at is None),
            None,
        )
        if holder is not None:
            return timezone.localdate(holder.started_at)
    return timezone.localdate(case.created_at)


def _recheck(locked: Case, letter: letters.Letter, sent_on: date, method: str) -> None:
    """Under the case's lock: still open, still storable, and not this very sending recorded already (a
    double submit): the same letter, day and way since the person it is about took the role."""
    _require_phase(locked, *OPEN_PHASES)
    _require_letter_storable(locked, letter.kind)
    same = FamilyLetterSent.objects.filter(case=locked, letter=letter.family, sent_on=sent_on, method=method)
    holder = locked.role_history.filter(role=letter.family, ended_at__isnull=True).order_by("-started_at").first()
    if holder is not None:
        same = same.filter(recorded_at__gte=holder.started_at)
    if same.exists():
        raise ValidationError(
            {
                "sent_on": f"Deze brief is al vastgelegd als {SendMethod(method).label.lower()} verstuurd op "
                f"{nl_date(sent_on)}."
            }
        )


def record_family_letter_sent(*, actor: User, case: Case, slug: str, sent_on: date, method: str) -> FamilyLetterSent:
    """Make letter `slug` from what is recorded, keep it with the documents as the version that was sent, and
    record when, how and by whom it went to the family. `case` comes from selectors.case_detail(actor, ...).
    Raises ValidationError (fields), PermissionDenied, or letters.LetterRefused (what the letter lacks)."""
    letter = letters.BY_SLUG.get(slug)
    if letter is None or not letter.family:
        raise PermissionDenied("Deze brief wordt niet als verstuurd vastgelegd.")
    if not letters.may_record_sent(letter, case, actor):
        raise PermissionDenied("U verstuurt deze brief niet.")
    errors = {}
    today = timezone.localdate()
    if method not in SendMethod.values:
        errors["method"] = "Kies hoe de brief is verstuurd."
    if sent_on > today:
        errors["sent_on"] = "Deze datum ligt in de toekomst. Leg de brief vast als hij verstuurd is."
    elif sent_on < _earliest(case, letter):
        errors["sent_on"] = (
            f"De brief kan niet vóór {nl_date(_earliest(case, letter))} verstuurd zijn: "
            "toen was er nog niets om te melden."
        )
    elif too_long_ago(sent_on):
        errors["sent_on"] = "Deze datum ligt meer dan een jaar terug. Controleer de datum."
    if errors:
        raise ValidationError(errors)
    _require_letter_storable(case, letter.kind)
    pdf = letters.make_pdf(letter, case, actor)  # raises LetterRefused when something is missing
    how = SendMethod(method).label
    with transaction.atomic():
        document = _store_version(
            recheck=lambda locked: _recheck(locked, letter, sent_on, method),
            actor=actor,
            case=case,
            kind=letter.kind,
            title=f"{letter.title}, verstuurd {nl_date(sent_on)}",
            content=ContentFile(pdf, name=letters.filename(letter, case)),
            content_type="application/pdf",
            payload={"gemaakt": True, "verstuurd": True},
        )
        sent = FamilyLetterSent.objects.create(
            case=case, letter=letter.family, document=document, sent_on=sent_on, method=method, sent_by=actor
        )
        about = ""
        if letter.family in (CaseRole.COORDINATOR, CaseRole.REGIEVOERDER):
            person = case.coordinator if letter.family == CaseRole.COORDINATOR else case.regievoerder
            about = f" over {person.get_full_name()} als {CaseRole(letter.family).label.lower()}"
        record_event(
            case,
            EventKind.BRIEF_GEZIN_VERSTUURD,
            actor,
            reason=f"{letter.title}{about}: {how} verstuurd op {nl_date(sent_on)} door {actor.get_full_name()}.",
            payload={"brief": letter.family, "document": str(document.public_id), "manier": method},
        )
    return sent
