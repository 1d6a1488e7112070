"""Use cases that change a case. The only place that does.

Each service runs in one transaction, checks the actor's permission, changes state and writes one
timeline event. Input errors raise ValidationError with a Dutch message per field; a refused
transition raises TransitionRefused with the Dutch reasons; a concurrent change raises StaleCase.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django_fsm import ConcurrentTransition
from guardian.shortcuts import assign_perm

from accounts.models import Organisation, User
from common.refusals import Refused

from . import guards, letters
from .bsn import normalise_bsn, validate_bsn
from .dates import nl_date
from .documents import sniff_document
from .guards import related
from .models import (
    OPEN_PHASES,
    PERSPECTIEF_ASPECTEN,
    ROUTE_VERWIJZERS,
    Aanmeldgesprek,
    AanmeldtafelAdvies,
    Assignment,
    Behandelplan,
    Beschikking,
    BsnStatus,
    Case,
    CaseDocument,
    CaseEvent,
    CaseRole,
    Crisis,
    DocumentJob,
    DocumentKind,
    Eindevaluatie,
    EndReason,
    Evaluatie,
    EventKind,
    FoaBesluit,
    Gezin,
    Ipva,
    Jeugdige,
    JobStatus,
    Leefgebied,
    PerspectiefDomein,
    Perspectiefplan,
    Phase,
    PhoneConsultation,
    ProductCategorie,
    Route,
    Segment,
    Signaal,
    SignaalDomein,
    Substitution,
    Vervolg,
)
from .signals import case_event_recorded

logger = logging.getLogger(__name__)


class StaleCase(Refused):
    """The case changed since the user loaded it; nothing was applied."""

    on_form = False

    def __init__(self, case: Case):
        self.case = case
        super().__init__(
            "Deze casus is intussen door iemand anders gewijzigd. Uw actie is niet uitgevoerd; "
            "hieronder ziet u de huidige stand."
        )


class TransitionRefused(Refused):
    """A guard of the state machine refuses the step, with its Dutch reasons."""

    on_form = False
    lead = "Dit kan nog niet: "


def record_event(
    case: Case, kind: str, actor: User | None, *, from_phase="", to_phase="", reason="", payload=None
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        actor_role=getattr(actor, "role", "") or "",
        from_phase=from_phase,
        to_phase=to_phase,
        reason=reason,
        payload=payload or {},
    )
    # Inside the caller's transaction: receivers (the deadline engine) write in it, or nothing is written.
    case_event_recorded.send(sender=CaseEvent, event=event)
    return event


def _require(actor: User, perm: str) -> None:
    # Only people with a role in the chain act on cases; a technical superuser has none.
    if not actor.role or not actor.has_perm(perm):
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")


def _locked(case: Case) -> Case:
    """Lock the case row for this transaction, so that concurrent edits queue up."""
    return Case.objects.select_for_update().get(pk=case.pk)


# How far back a date of an intake step may lie: further back is a typing error, not a late registration.
MAX_DAYS_BACK = 366


def too_long_ago(day: date) -> bool:
    return day < timezone.localdate() - timedelta(days=MAX_DAYS_BACK)


def _require_phase(case: Case, *phases: str) -> None:
    if case.phase not in phases:
        raise StaleCase(case)


# --- Registration -------------------------------------------------------------------------------


@dataclass
class JeugdigeInput:
    bsn_status: str
    bsn: str
    voornaam: str
    tussenvoegsel: str
    achternaam: str
    geboortedatum: date
    geslacht: str
    segment: str
    uren_begeleiding: object = None
    uren_behandeling: object = None
    producten: list | None = None
    straat: str = ""
    huisnummer: str = ""
    postcode: str = ""
    woonplaats: str = ""


def validate_jeugdige(data: JeugdigeInput, *, today: date) -> dict[str, str]:
    """Field errors for one youth (Dutch); empty when valid."""
    errors = {}
    if data.bsn_status == BsnStatus.NORMAAL:
        try:
            validate_bsn(normalise_bsn(data.bsn))
        except ValidationError as e:
            errors["bsn"] = e.messages[0]
    elif data.bsn:
        errors["bsn"] = "Laat het BSN leeg bij deze BSN-status."
    if data.geboortedatum:
        if data.geboortedatum > today and data.bsn_status != BsnStatus.ONGEBOREN:
            errors["geboortedatum"] = (
                "De geboortedatum ligt in de toekomst. Kies BSN-status 'ongeboren' voor een ongeboren kind."
            )
        elif data.bsn_status == BsnStatus.ONGEBOREN and data.geboortedatum <= today:
            errors["geboortedatum"] = "Vul bij een ongeboren kind de verwachte geboortedatum in (na vandaag)."
        elif data.segment == Segment.SEGMENT_1 and _age(data.geboortedatum, today) >= 18:
            errors["geboortedatum"] = (
                "De jeugdige is 18 jaar of ouder: segment 1 jeugdhulp is voor jongeren onder de 18."
            )
    return errors


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def register_case(
    *,
    actor: User,
    gezin_naam: str,
    jeugdigen: list[JeugdigeInput],
    gemeente: Organisation,
    route: str,
    verwijzer_type: str,
    verwijzer_naam: str,
    verwijzer_organisatie: str = "",
    verwijzer_code: str = "",
    urgent: bool = False,
    urgentie_motivatie: str = "",
    hulpvraag: str = "",
) -> list[Case]:
    """Register a family with one or more youths; each youth whose question is segment 1 gets a case
    in phase concept. The registering person may see the identity of each (also with a geheim BSN)."""
    _require(actor, "referrals.register_case")
    today = timezone.localdate()
    errors: dict = {}
    if gemeente is None:
        errors["gemeente"] = "Kies de gemeente die volgens het woonplaatsbeginsel verantwoordelijk is."
    if urgent and not urgentie_motivatie.strip():
        errors["urgentie_motivatie"] = "Een urgente aanmelding heeft een schriftelijke motivatie nodig."
    if route not in Route.values:
        errors["route"] = "Kies een verwijsroute."
    elif verwijzer_type not in ROUTE_VERWIJZERS[route]:
        errors["verwijzer_type"] = "Deze soort verwijzer past niet bij de gekozen verwijsroute."
    if not jeugdigen:
        errors["__all__"] = "Voeg ten minste één jeugdige toe."
    elif not any(j.segment == Segment.SEGMENT_1 for j in jeugdigen):
        errors["__all__"] = (
            "Geen van de jeugdigen heeft een hulpvraag in segment 1: er is niets aan te melden bij Crossroads."
        )
    for j in jeugdigen:
        if validate_jeugdige(j, today=today):
            errors.setdefault("__all__", "Controleer de gegevens van de jeugdigen.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        gezin = Gezin.objects.create(naam=gezin_naam.strip())
        cases = []
        for j in jeugdigen:
            jeugdige = Jeugdige.objects.create(
                gezin=gezin,
                bsn_status=j.bsn_status,
                bsn=normalise_bsn(j.bsn) if j.bsn_status == BsnStatus.NORMAAL else "",
                voornaam=j.voornaam.strip(),
                tussenvoegsel=j.tussenvoegsel.strip(),
                achternaam=j.achternaam.strip(),
                geboortedatum=j.geboortedatum,
                geslacht=j.geslacht,
                segment=j.segment,
                uren_begeleiding=j.uren_begeleiding,
                uren_behandeling=j.uren_behandeling,
                producten=j.producten or [],
                straat=j.straat,
                huisnummer=j.huisnummer,
                postcode=j.postcode,
                woonplaats=j.woonplaats,
            )
            if j.segment != Segment.SEGMENT_1:
                continue
            case = Case.objects.create(
                jeugdige=jeugdige,
                gemeente=gemeente,
                route=route,
                verwijzer_type=verwijzer_type,
                verwijzer_naam=verwijzer_naam.strip(),
                verwijzer_organisatie=verwijzer_organisatie.strip(),
                verwijzer_code=verwijzer_code.strip(),
                verwijzer_user=actor if route == Route.TOEGANG else None,
                urgent=urgent,
                urgentie_motivatie=urgentie_motivatie.strip() if urgent else "",
                hulpvraag=hulpvraag.strip(),
                created_by=actor,
                created_by_organisation=actor.organisation,
            )
            assign_perm("referrals.view_identity", actor, case)
            record_event(case, EventKind.AANGEMAAKT, actor, to_phase=Phase.CONCEPT, payload={"route": route})
            cases.append(case)
    return cases


# --- Before the aanmelding (Toegang) -----------------------------------------------------------


def save_ipva(*, actor: User, case: Case, texts: dict[str, str]) -> Ipva:
    _require(actor, "referrals.edit_ipva")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.CONCEPT, Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND)
        values = {field: (texts.get(field) or "").strip() for field in Leefgebied.values}
        ipva, _ = Ipva.objects.update_or_create(case=case, defaults={**values, "updated_by": actor})
        record_event(case, EventKind.IPVA_BIJGEWERKT, actor)
    return ipva


def record_phone_consultation(
    *, actor: User, case: Case, datum: date, contactpersoon: str, samenvatting: str
) -> PhoneConsultation:
    _require(actor, "referrals.record_phone_consultation")
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Het overleg kan niet in de toekomst liggen."})
    if too_long_ago(datum):
        raise ValidationError({"datum": "Deze datum ligt meer dan een jaar terug. Controleer de datum."})
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.CONCEPT, Phase.AANMELD)
        consultation = PhoneConsultation.objects.create(
            case=case,
            datum=datum,
            contactpersoon=contactpersoon.strip(),
            samenvatting=samenvatting.strip(),
            recorded_by=actor,
        )
        record_event(case, EventKind.TELEFONISCH_OVERLEG, actor, payload={"datum": datum.isoformat()})
    return consultation


def add_document(*, actor: User, case: Case, kind: str, title: str, uploaded_file) -> CaseDocument:
    """Store an uploaded document as the next version of its kind, with its SHA-256 checksum."""
    _require(actor, "referrals.upload_document")
    content_type = sniff_document(uploaded_file)  # raises ValidationError for anything else
    return _store_document(
        actor=actor,
        case=case,
        kind=kind,
        title=title.strip() or uploaded_file.name,
        content=uploaded_file,
        content_type=content_type,
    )


def _store_document(
    *, actor: User, case: Case, kind: str, title: str, content, content_type: str, payload=None
) -> CaseDocument:
    """Save `content` (a Django File) as the next version of `kind` on the case, with its checksum and a
    timeline event, in one transaction: no file without its row, no row without its file."""
    digest = hashlib.sha256()
    for chunk in content.chunks():
        digest.update(chunk)
    content.seek(0)
    with transaction.atomic():
        case = _locked(case)
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


# --- Letters and reports as PDF (issue 7, ADR 0013) --------------------------------------------------


def store_letter(*, actor: User, case: Case, slug: str, progress=None) -> CaseDocument:
    """Make the PDF of letter `slug` from what is recorded on the case and store it as the next version of
    its kind. `case` comes from selectors.case_detail(actor, ...). Raises letters.LetterRefused (Dutch)."""
    _require(actor, "referrals.upload_document")
    letter = letters.BY_SLUG[slug]
    if not letters.may_make(actor):
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")
    pdf = letters.make_pdf(letter, case, actor, progress=progress)
    return _store_document(
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
        transaction.on_commit(lambda: _enqueue_document_job(job.pk))
    return job


def _enqueue_document_job(job_id: int) -> None:
    from .tasks import make_document

    make_document.delay(job_id)


# The steps of render_pdf and the progress the page shows for each.
JOB_STEPS = {
    "html": (20, "Gegevens verzamelen"),
    "opmaak": (40, "Pagina's opmaken"),
    "schrijven": (70, "Pdf schrijven"),
}


def run_document_job(job_id: int) -> DocumentJob | None:
    """Run a queued job (from the Celery task). Safe to run twice: only the run that claims the waiting job
    works on it. Progress is written as it goes (autocommit), so the polling page sees it."""
    from .selectors import case_detail  # the same view of the case the requester has on the page

    claimed = DocumentJob.objects.filter(pk=job_id, status=JobStatus.WACHTEND).update(
        status=JobStatus.BEZIG, progress=5, step="Gestart"
    )
    if not claimed:
        return None
    job = DocumentJob.objects.select_related("case", "requested_by__organisation").get(pk=job_id)

    def report(percent: int, step: str) -> None:
        DocumentJob.objects.filter(pk=job_id).update(progress=percent, step=step)

    try:
        case = case_detail(job.requested_by, job.case.public_id)
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


# --- Aanmeldfase (aanmeldpunt) -----------------------------------------------------------------


def plan_aanmeldgesprek(
    *,
    actor: User,
    case: Case,
    gepland_op: datetime,
    locatie: str,
    jeugdige_uitgenodigd: bool,
    verwijzer_uitgenodigd: bool,
) -> Aanmeldgesprek:
    _require(actor, "referrals.plan_aanmeldgesprek")
    errors = {}
    if not jeugdige_uitgenodigd:
        errors["jeugdige_uitgenodigd"] = "Nodig de jeugdige (en ouders) uit voor het aanmeldgesprek."
    if not verwijzer_uitgenodigd:
        errors["verwijzer_uitgenodigd"] = "Nodig de verwijzer uit voor het aanmeldgesprek."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD)
        if timezone.localdate(gepland_op) < case.aanmelddatum:
            errors["gepland_op"] = (
                f"Het aanmeldgesprek kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) liggen."
            )
        elif timezone.localdate(gepland_op) > timezone.localdate() + timedelta(days=MAX_DAYS_BACK):
            errors["gepland_op"] = "Deze datum ligt meer dan een jaar vooruit. Controleer de datum."
        gesprek = related(case, "aanmeldgesprek")
        if gesprek is not None and gesprek.gehouden_op:
            errors["__all__"] = "Het aanmeldgesprek is al gehouden en kan niet opnieuw worden gepland."
        if errors:
            raise ValidationError(errors)
        gesprek, created = Aanmeldgesprek.objects.update_or_create(
            case=case,
            defaults={
                "gepland_op": gepland_op,
                "locatie": locatie.strip(),
                "jeugdige_uitgenodigd": True,
                "verwijzer_uitgenodigd": True,
                "planned_by": actor,
            },
        )
        assign_perm("referrals.view_identity", actor, case)
        record_event(
            case,
            EventKind.AANMELDGESPREK_GEPLAND,
            actor,
            reason="" if created else "Opnieuw gepland",
            payload={"gepland_op": gepland_op.isoformat(), "locatie": gesprek.locatie},
        )
    return gesprek


def record_aanmeldgesprek_gehouden(
    *, actor: User, case: Case, gehouden_op: datetime, aanwezigen: str, verslag: str
) -> Aanmeldgesprek:
    _require(actor, "referrals.record_aanmeldgesprek")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD)
        gesprek = related(case, "aanmeldgesprek")
        if gesprek is None:
            raise ValidationError({"__all__": "Plan eerst het aanmeldgesprek."})
        if timezone.localdate(gehouden_op) < case.aanmelddatum:
            raise ValidationError(
                {
                    "gehouden_op": "Het gesprek kan niet vóór de aanmelddatum "
                    f"({nl_date(case.aanmelddatum)}) zijn gehouden."
                }
            )
        if gehouden_op > timezone.now():
            raise ValidationError(
                {"gehouden_op": "Een gesprek in de toekomst kan nog niet als gehouden worden vastgelegd."}
            )
        gesprek.gehouden_op = gehouden_op
        gesprek.aanwezigen = aanwezigen.strip()
        gesprek.verslag = verslag.strip()
        gesprek.save(update_fields=["gehouden_op", "aanwezigen", "verslag"])
        record_event(case, EventKind.AANMELDGESPREK_GEHOUDEN, actor, payload={"gehouden_op": gehouden_op.isoformat()})
    return gesprek


def record_aanmeldtafel_advies(
    *,
    actor: User,
    case: Case,
    datum: date,
    segment1_nodig: bool,
    regie_partner: Organisation | None,
    hulpvorm: str,
    geadviseerd_segment: str,
    toelichting: str = "",
    verwijzer_geraadpleegd_op: date | None = None,
    te_behalen_resultaten: str = "",
) -> AanmeldtafelAdvies:
    _require(actor, "referrals.record_aanmeldtafel_advies")
    errors = {}
    if segment1_nodig:
        if regie_partner is None:
            errors["regie_partner"] = "Kies welke partner regievoerder wordt."
        if not hulpvorm:
            errors["hulpvorm"] = "Kies de geadviseerde hulpvorm."
        regie_partner_value, hulpvorm_value, segment_value = regie_partner, hulpvorm, ""
    else:
        if not geadviseerd_segment:
            errors["geadviseerd_segment"] = "Kies welk ander segment de aanmeldtafel adviseert."
        regie_partner_value, hulpvorm_value, segment_value = None, "", geadviseerd_segment
    if datum > timezone.localdate():
        errors["datum"] = "De aanmeldtafel kan niet in de toekomst liggen."
    if verwijzer_geraadpleegd_op and verwijzer_geraadpleegd_op > timezone.localdate():
        errors["verwijzer_geraadpleegd_op"] = "Deze datum kan niet in de toekomst liggen."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD)
        gesprek = related(case, "aanmeldgesprek")
        if gesprek is None or gesprek.gehouden_op is None:
            errors["__all__"] = "Het advies volgt op het aanmeldgesprek: leg eerst vast dat het gesprek is gehouden."
        elif datum < timezone.localdate(gesprek.gehouden_op):
            errors["datum"] = "De aanmeldtafel kan niet vóór het aanmeldgesprek liggen."
        if errors:
            raise ValidationError(errors)
        advies, _ = AanmeldtafelAdvies.objects.update_or_create(
            case=case,
            defaults={
                "datum": datum,
                "segment1_nodig": segment1_nodig,
                "regie_partner": regie_partner_value,
                "hulpvorm": hulpvorm_value,
                "geadviseerd_segment": segment_value,
                "toelichting": toelichting.strip(),
                "te_behalen_resultaten": te_behalen_resultaten.strip() if segment1_nodig else "",
                "verwijzer_geraadpleegd_op": verwijzer_geraadpleegd_op,
                "recorded_by": actor,
            },
        )
        record_event(
            case,
            EventKind.ADVIES_VASTGELEGD,
            actor,
            payload={
                "segment1_nodig": segment1_nodig,
                "regie_partner": regie_partner_value.name if regie_partner_value else "",
                "hulpvorm": hulpvorm_value,
                "geadviseerd_segment": segment_value,
            },
        )
    return advies


def set_coordination_requested(*, actor: User, case: Case, reason: str = "") -> Case:
    """Mark that Crossroads asked the Toegang to coordinate (called by the coordination app)."""
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND)
        if case.coordinatie_aangevraagd_op is None:
            Case.objects.filter(pk=case.pk).update(coordinatie_aangevraagd_op=timezone.now())
            record_event(case, EventKind.COORDINATIE_AANGEVRAAGD, actor, reason=reason)
        case.refresh_from_db()
    return case


# --- Hulpverlenende fase (regievoerder) ----------------------------------------------------------

# Care should start within 6 weeks of the aanmelding [HvB-S1]; later, overbruggingszorg bridges the wait.
START_JEUGDHULP_WEEKS = 6


def record_zorg_gestart(*, actor: User, case: Case, datum: date, overbruggingszorg: str = "") -> Case:
    """The regievoerder records the day care actually started (it meets the start jeugdhulp deadline)."""
    _require(actor, "referrals.record_zorg_gestart")
    if case.regie_organisatie_id != actor.organisation_id:
        raise PermissionDenied("Alleen de regievoerende organisatie legt de start van de jeugdhulp vast.")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.HULPVERLENEND, Phase.CRISIS)
        errors = {}
        if case.zorg_gestart_op is not None:
            errors["__all__"] = f"De start van de jeugdhulp is al vastgelegd op {nl_date(case.zorg_gestart_op)}."
        elif datum > timezone.localdate():
            errors["datum"] = "De start van de jeugdhulp kan niet in de toekomst liggen."
        elif datum < case.aanmelddatum:
            errors["datum"] = f"De jeugdhulp kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) starten."
        elif datum > case.aanmelddatum + timedelta(weeks=START_JEUGDHULP_WEEKS) and not overbruggingszorg.strip():
            errors["overbruggingszorg"] = (
                "De jeugdhulp startte later dan 6 weken na aanmelding: beschrijf de overbruggingszorg."
            )
        if errors:
            raise ValidationError(errors)
        Case.objects.filter(pk=case.pk).update(zorg_gestart_op=datum, overbruggingszorg=overbruggingszorg.strip())
        case.refresh_from_db()
        started = timezone.make_aware(datetime.combine(datum, datetime.min.time()))
        record_event(
            case,
            EventKind.ZORG_GESTART,
            actor,
            reason=case.overbruggingszorg,
            payload={"datum": datum.isoformat(), "moment": started.isoformat()},
        )
    return case


# --- Phase transitions -------------------------------------------------------------------------


def _fire(*, actor: User, case: Case, name: str, expected_phase: str, reason: str = "", after=None, **kwargs) -> Case:
    """Fire one phase transition on the state the user saw (`expected_phase`).

    ConcurrentTransitionMixin makes the UPDATE conditional on the phase that was loaded, so of two
    people firing at once exactly one wins; the other gets StaleCase and nothing is applied. `after`
    runs in the same transaction, once the transition is saved (records that belong to the step).
    """
    try:
        with transaction.atomic():
            if case.phase != expected_phase:
                raise StaleCase(case)
            # Lock the row and compare with what is stored: a second person acting on a state loaded before
            # the first person's step gets StaleCase, before guards are read from rows that moved on.
            stored = Case.objects.select_for_update().filter(pk=case.pk).values_list("phase", flat=True).first()
            if stored != expected_phase:
                case.refresh_from_db()
                raise StaleCase(case)
            if not actor.role:  # a technical superuser passes has_perm, but takes no part in the chain
                raise PermissionDenied("U heeft geen rechten voor deze handeling.")
            method = getattr(case, name)
            meta = method._django_fsm
            if not meta.has_transition(case.phase):
                raise TransitionRefused([f"Deze stap is niet mogelijk in de {case.get_phase_display().lower()}."])
            transition = meta.get_transition(case.phase)
            if not meta.has_transition_perm(case, case.phase, actor):
                raise PermissionDenied(guards.role_reason(transition))  # says who may, as the page does
            unmet = [c.reason for c in transition.conditions if not c(case)]
            if unmet:
                raise TransitionRefused(unmet)
            from_phase = case.phase
            fields = case._meta.concrete_fields
            before = {f.attname: getattr(case, f.attname) for f in fields}
            method(**kwargs)
            # Write only what this step changes: a copy loaded earlier must not undo what others saved since
            # (the coördinator, the consent to share).
            changed = [f.name for f in fields if getattr(case, f.attname) != before[f.attname]]
            case.save(update_fields={*changed, "phase", "updated_at"})
            record_event(
                case, transition.custom["event"], actor, from_phase=from_phase, to_phase=case.phase, reason=reason
            )
            if after is not None:
                after(case, actor)
    except ConcurrentTransition:
        case.refresh_from_db()
        raise StaleCase(case) from None
    return case


def aanmelden(
    *, actor: User, case: Case, expected_phase: str = Phase.CONCEPT, aanmelddatum: date | None = None
) -> Case:
    today = timezone.localdate()
    aanmelddatum = aanmelddatum or today
    if aanmelddatum > today:
        raise ValidationError({"aanmelddatum": "De aanmelddatum kan niet in de toekomst liggen."})
    if too_long_ago(aanmelddatum):
        raise ValidationError({"aanmelddatum": "Deze datum ligt meer dan een jaar terug. Controleer de datum."})
    if case.jeugdige.age_on(aanmelddatum) >= 18:
        raise ValidationError({"aanmelddatum": "De jeugdige is op deze datum 18 jaar of ouder."})
    return _fire(actor=actor, case=case, name="aanmelden", expected_phase=expected_phase, aanmelddatum=aanmelddatum)


def start_hulpverlening(*, actor: User, case: Case, expected_phase: str = Phase.AANMELD) -> Case:
    return _fire(actor=actor, case=case, name="start_hulpverlening", expected_phase=expected_phase)


def terugverwijzen(*, actor: User, case: Case, expected_phase: str = Phase.AANMELD, toelichting: str = "") -> Case:
    return _fire(actor=actor, case=case, name="terugverwijzen", expected_phase=expected_phase, reason=toelichting)


def voortijdig_beeindigen(*, actor: User, case: Case, expected_phase: str, reden: str, toelichting: str) -> Case:
    errors = {}
    if reden not in EndReason.values:
        errors["reden"] = "Kies de reden van beëindiging."
    if not toelichting.strip():
        errors["toelichting"] = (
            "Beschrijf de warme overdracht aan de nieuwe gemeente."
            if reden == EndReason.VERHUISD
            else "Geef een toelichting op de beëindiging."
        )
    if errors:
        raise ValidationError(errors)
    return _fire(
        actor=actor,
        case=case,
        name="voortijdig_beeindigen",
        expected_phase=expected_phase,
        reason=f"{EndReason(reden).label}: {toelichting.strip()}",
        reden=reden,
        afgesloten_op=timezone.localdate(),
        after=_care_stopped,
    )


# --- People on the case --------------------------------------------------------------------------


def _assign(*, actor: User, case: Case, role: str, user: User, reason: str) -> Case:
    """Make `user` the holder of `role` on the (locked) case; the previous holder's assignment ends."""
    field = "coordinator" if role == CaseRole.COORDINATOR else "regievoerder"
    if getattr(case, f"{field}_id") == user.pk:
        return case
    now = timezone.now()
    Assignment.objects.filter(case=case, role=role, ended_at__isnull=True).update(ended_at=now)
    Assignment.objects.create(case=case, role=role, user=user, started_at=now, assigned_by=actor, reason=reason)
    Case.objects.filter(pk=case.pk).update(**{field: user})
    setattr(case, field, user)
    assign_perm("referrals.view_identity", user, case)
    record_event(
        case,
        EventKind.COORDINATOR_TOEGEWEZEN if role == CaseRole.COORDINATOR else EventKind.REGIEVOERDER_TOEGEWEZEN,
        actor,
        reason=reason,
        payload={"naam": user.get_full_name() or user.username, "organisatie": str(user.organisation or "")},
    )
    return case


def assign_coordinator(*, actor: User, case: Case, coordinator: User, reason: str = "") -> Case:
    """A Toegang worker of the case's gemeente becomes its coördinator (at most one per case)."""
    if coordinator.role != "toegang_medewerker":
        raise ValidationError({"coordinator": "De coördinator is een medewerker van de Toegang."})
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *OPEN_PHASES)
        return _assign(actor=actor, case=case, role=CaseRole.COORDINATOR, user=coordinator, reason=reason)


def assign_regievoerder(*, actor: User, case: Case, regievoerder: User, reason: str = "") -> Case:
    """A regievoerder of the organisation that holds regie takes the case (or is given it)."""
    _require(actor, "referrals.assign_regievoerder")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND)
        if actor.role == "regievoerder" and actor.organisation_id != case.regie_organisatie_id:
            raise PermissionDenied("Alleen de regievoerende organisatie wijst de regievoerder toe.")
        if regievoerder.role != "regievoerder" or regievoerder.organisation_id != case.regie_organisatie_id:
            raise ValidationError(
                {"regievoerder": f"Kies een regievoerder van de regievoerende organisatie ({case.regie_organisatie})."}
            )
        return _assign(actor=actor, case=case, role=CaseRole.REGIEVOERDER, user=regievoerder, reason=reason)


SHARING_FIELDS = {"ipva_delen": "ipva_delen_toegestaan", "wat_advies_delen": "wat_advies_delen_toegestaan"}


def set_sharing_consent(*, actor: User, case: Case, subject: str, allowed: bool, reason: str = "") -> Case:
    """Record on the case whether consent to share (IPVA with the regievoerder; WAT-brief and adviesverslag
    with the coördinator) holds now. Called by the coordination app when consent is given or withdrawn."""
    field = SHARING_FIELDS[subject]
    with transaction.atomic():
        case = _locked(case)
        if getattr(case, field) != allowed:
            Case.objects.filter(pk=case.pk).update(**{field: allowed})
            setattr(case, field, allowed)
    return case


# --- Hulpverlenende fase: plan, evaluations, signals (regievoerder) ----------------------------------

CARE_PHASES = (Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND)


def _require_regievoerder(actor: User, case: Case) -> None:
    if not actor.has_perm("referrals.record_care") or not guards.is_regievoerder(case, actor):
        raise PermissionDenied("Alleen de regievoerder van deze casus (of diens vervanger) legt dit vast.")


def _require_coordinator(actor: User, case: Case) -> None:
    if not guards.is_coordinator(case, actor):
        raise PermissionDenied("Alleen de coördinator van deze casus (of diens vervanger) legt dit vast.")


def _check_care_date(day: date, case: Case, field: str, what: str) -> dict[str, str]:
    if day > timezone.localdate():
        return {field: f"{what} kan niet in de toekomst liggen."}
    start = case.zorg_gestart_op or case.aanmelddatum
    if day < start:
        return {field: f"{what} kan niet vóór de start van de hulp ({nl_date(start)}) liggen."}
    return {}


def record_behandelplan(
    *, actor: User, case: Case, doelen: str, resultaten: str, afspraken: str = "", wijziging: str = ""
) -> Behandelplan:
    """A new version of the behandelplan; earlier versions stay as they were."""
    _require_regievoerder(actor, case)
    errors = {}
    if not doelen.strip():
        errors["doelen"] = "Beschrijf de doelen van de behandeling."
    if not resultaten.strip():
        errors["resultaten"] = "Beschrijf welke resultaten de behandeling moet opleveren."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        last = Behandelplan.objects.filter(case=case).aggregate(v=Max("version"))["v"] or 0
        if last and not wijziging.strip():
            errors["wijziging"] = "Beschrijf wat er in deze versie is gewijzigd en waarom."
        if errors:
            raise ValidationError(errors)
        plan = Behandelplan.objects.create(
            case=case,
            version=last + 1,
            doelen=doelen.strip(),
            resultaten=resultaten.strip(),
            afspraken=afspraken.strip(),
            wijziging=wijziging.strip(),
            created_by=actor,
            created_at=timezone.now(),
        )
        record_event(
            case, EventKind.BEHANDELPLAN_VASTGELEGD, actor, reason=plan.wijziging, payload={"versie": plan.version}
        )
    return plan


def record_evaluatie(*, actor: User, case: Case, datum: date, aanwezigen: str, verslag: str) -> Evaluatie:
    _require_regievoerder(actor, case)
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        errors = _check_care_date(datum, case, "datum", "De evaluatie")
        if not verslag.strip():
            errors["verslag"] = "Schrijf een kort verslag van de evaluatie."
        if errors:
            raise ValidationError(errors)
        evaluatie = Evaluatie.objects.create(
            case=case, datum=datum, aanwezigen=aanwezigen.strip(), verslag=verslag.strip(), recorded_by=actor
        )
        record_event(case, EventKind.EVALUATIE_VASTGELEGD, actor, payload={"datum": datum.isoformat()})
    return evaluatie


def record_signaal(*, actor: User, case: Case, domein: str, beschrijving: str) -> Signaal:
    """The regievoerder tells the coördinator what the family needs outside youth care [HvB-WI 2.2]."""
    _require_regievoerder(actor, case)
    errors = {}
    if domein not in SignaalDomein.values:
        errors["domein"] = "Kies het leefgebied."
    if not beschrijving.strip():
        errors["beschrijving"] = "Beschrijf wat er nodig is."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        if case.coordinator_id is None:
            errors["__all__"] = "Deze casus heeft (nog) geen coördinator om het signaal aan te geven."
        if errors:
            raise ValidationError(errors)
        signaal = Signaal.objects.create(
            case=case, domein=domein, beschrijving=beschrijving.strip(), created_by=actor, created_at=timezone.now()
        )
        record_event(
            case,
            EventKind.SIGNAAL_COORDINATOR,
            actor,
            reason=f"{signaal.get_domein_display()}: {signaal.beschrijving}",
            payload={"ref": str(signaal.pk)},
        )
    return signaal


def pick_up_signaal(*, actor: User, case: Case, signaal_id: int, reactie: str) -> Signaal:
    _require_coordinator(actor, case)
    if not reactie.strip():
        raise ValidationError({"reactie": "Beschrijf wat u met het signaal doet."})
    with transaction.atomic():
        case = _locked(case)
        signaal = Signaal.objects.select_for_update().filter(case=case, pk=signaal_id).first()
        if signaal is None:
            raise ValidationError({"__all__": "Dit signaal hoort niet bij deze casus."})
        if signaal.opgepakt_op is not None:
            raise StaleCase(case)
        signaal.opgepakt_op = timezone.now()
        signaal.opgepakt_door = actor
        signaal.reactie = reactie.strip()
        signaal.save(update_fields=["opgepakt_op", "opgepakt_door", "reactie"])
        record_event(case, EventKind.SIGNAAL_OPGEPAKT, actor, reason=signaal.reactie, payload={"ref": str(signaal.pk)})
    return signaal


# --- Crisis [HvB-WI 4] ----------------------------------------------------------------------------


def crisis_melden(
    *,
    actor: User,
    case: Case,
    expected_phase: str,
    gesignaleerd_door: str,
    reden: str,
    cit_gecontacteerd: bool,
    geinformeerd: str,
) -> Case:
    errors = {}
    if not gesignaleerd_door.strip():
        errors["gesignaleerd_door"] = "Vul in wie de crisis signaleerde."
    if not reden.strip():
        errors["reden"] = "Beschrijf wat er aan de hand is."
    if not geinformeerd.strip():
        errors["geinformeerd"] = "Vul in wie u heeft geïnformeerd (bijvoorbeeld ouders, coördinator, regievoerder)."
    if errors:
        raise ValidationError(errors)

    def open_crisis(case, actor):
        Crisis.objects.create(
            case=case,
            gemeld_op=timezone.now(),
            gesignaleerd_door=gesignaleerd_door.strip(),
            reden=reden.strip(),
            cit_gecontacteerd=cit_gecontacteerd,
            geinformeerd=geinformeerd.strip(),
            reported_by=actor,
        )

    cit = "CIT ingeschakeld" if cit_gecontacteerd else "CIT niet ingeschakeld"
    return _fire(
        actor=actor,
        case=case,
        name="crisis_melden",
        expected_phase=expected_phase,
        reason=f"Gesignaleerd door {gesignaleerd_door.strip()}: {reden.strip()} ({cit}; geïnformeerd: "
        f"{geinformeerd.strip()})",
        after=open_crisis,
    )


def record_perspectiefplan_crisis(
    *,
    actor: User,
    case: Case,
    plan: str,
    met_cit: bool,
    met_jeugdige: bool,
    met_crisisaanbieder: bool,
    met_regievoerder: bool,
) -> Crisis:
    """The coördinator records the Perspectiefplan Crisis, made with CIT, jeugdige, crisis provider and
    regievoerder."""
    _require_coordinator(actor, case)
    errors = {}
    if not plan.strip():
        errors["plan"] = "Beschrijf het Perspectiefplan Crisis."
    missing = [
        name
        for name, present in (
            ("het CIT", met_cit),
            ("de jeugdige", met_jeugdige),
            ("de crisisaanbieder", met_crisisaanbieder),
            ("de regievoerder", met_regievoerder),
        )
        if not present
    ]
    if missing:
        errors["__all__"] = (
            "Het plan wordt opgesteld met het CIT, de jeugdige, de crisisaanbieder en de regievoerder. "
            + (f"Nog niet betrokken: {', '.join(missing)}.")
        )
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.CRISIS)
        crisis = Crisis.objects.select_for_update().filter(case=case, afgesloten_op__isnull=True).first()
        if crisis is None:
            raise StaleCase(case)
        if errors:
            raise ValidationError(errors)
        crisis.plan = plan.strip()
        crisis.plan_met_cit = crisis.plan_met_jeugdige = True
        crisis.plan_met_crisisaanbieder = crisis.plan_met_regievoerder = True
        crisis.plan_vastgelegd_op = timezone.now()
        crisis.plan_by = actor
        crisis.save()
        record_event(case, EventKind.PERSPECTIEFPLAN_CRISIS, actor, reason=crisis.plan)
    return crisis


def crisis_afsluiten(*, actor: User, case: Case, expected_phase: str = Phase.CRISIS, toelichting: str = "") -> Case:
    def close(case, actor):
        Crisis.objects.filter(case=case, afgesloten_op__isnull=True).update(afgesloten_op=timezone.now())

    return _fire(
        actor=actor,
        case=case,
        name="crisis_afsluiten",
        expected_phase=expected_phase,
        reason=toelichting.strip(),
        after=close,
    )


# --- Afronding [HvB-QA 5, HvB-WI 3, HvB-QA 7] ---------------------------------------------------------


def record_resultaten_bereikt(*, actor: User, case: Case, toelichting: str = "") -> Case:
    """Regievoerder and coördinator each record that the results of the plan are reached."""
    if guards.is_regievoerder(case, actor) and actor.has_perm("referrals.record_care"):
        field, who = "resultaten_bereikt_regievoerder_op", "regievoerder"
    elif guards.is_coordinator(case, actor):
        field, who = "resultaten_bereikt_coordinator_op", "coördinator"
    else:
        raise PermissionDenied("Alleen de regievoerder en de coördinator van deze casus leggen dit vast.")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.HULPVERLENEND)
        if case.zorg_gestart_op is None:
            raise ValidationError({"__all__": "De jeugdhulp is nog niet gestart: leg eerst de start vast."})
        if getattr(case, field) is not None:
            raise ValidationError({"__all__": f"De {who} heeft dit al vastgelegd op {nl_date(getattr(case, field))}."})
        today = timezone.localdate()
        Case.objects.filter(pk=case.pk).update(**{field: today})
        setattr(case, field, today)
        record_event(
            case,
            EventKind.RESULTATEN_BEREIKT,
            actor,
            reason=f"Volgens de {who}." + (f" {toelichting.strip()}" if toelichting.strip() else ""),
            payload={"door": who},
        )
    return case


def afronding_starten(*, actor: User, case: Case, expected_phase: str = Phase.HULPVERLENEND) -> Case:
    return _fire(actor=actor, case=case, name="afronding_starten", expected_phase=expected_phase)


def hervatten(*, actor: User, case: Case, expected_phase: str = Phase.AFRONDEND, reden: str = "") -> Case:
    if not reden.strip():
        raise ValidationError({"reden": "Geef aan waarom de hulpverlening wordt hervat."})
    return _fire(actor=actor, case=case, name="hervatten", expected_phase=expected_phase, reason=reden.strip())


def record_eindevaluatie(
    *,
    actor: User,
    case: Case,
    datum: date,
    jeugdige_aanwezig: bool,
    verwijzer_aanwezig: bool,
    coordinator_aanwezig: bool,
    verslag: str,
) -> Eindevaluatie:
    _require_regievoerder(actor, case)
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AFRONDEND)
        errors = _check_care_date(datum, case, "datum", "De eindevaluatie")
        if not verslag.strip():
            errors["verslag"] = "Schrijf het verslag van de eindevaluatie."
        if errors:
            raise ValidationError(errors)
        evaluatie, _ = Eindevaluatie.objects.update_or_create(
            case=case,
            defaults={
                "datum": datum,
                "jeugdige_aanwezig": jeugdige_aanwezig,
                "verwijzer_aanwezig": verwijzer_aanwezig,
                "coordinator_aanwezig": coordinator_aanwezig,
                "verslag": verslag.strip(),
                "recorded_by": actor,
            },
        )
        present = [
            name
            for name, here in (
                ("jeugdige", jeugdige_aanwezig),
                ("verwijzer", verwijzer_aanwezig),
                ("coördinator", coordinator_aanwezig),
            )
            if here
        ]
        record_event(
            case,
            EventKind.EINDEVALUATIE_VASTGELEGD,
            actor,
            reason="Aanwezig: " + (", ".join(present) or "niemand van hen"),
            payload={"datum": datum.isoformat()},
        )
    return evaluatie


def record_vervolg(
    *, actor: User, case: Case, besluit: str, toelichting: str = "", lichte_hulp_loopt_door: bool = False
) -> Vervolg:
    """Care that continues in another segment needs an FOA, or the joint decision that none is needed."""
    _require_regievoerder(actor, case)
    errors = {}
    if besluit not in FoaBesluit.values:
        errors["besluit"] = "Kies of de zorg doorgaat in een ander segment."
    elif besluit == FoaBesluit.GEEN_FOA and not toelichting.strip():
        errors["toelichting"] = "Leg uit waarom samen is besloten dat er geen FOA nodig is."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AFRONDEND)
        if besluit == FoaBesluit.FOA and not CaseDocument.objects.filter(case=case, kind=DocumentKind.FOA).exists():
            errors["besluit"] = "Voeg eerst de FOA toe bij de documenten."
        if errors:
            raise ValidationError(errors)
        vervolg, _ = Vervolg.objects.update_or_create(
            case=case,
            defaults={
                "besluit": besluit,
                "toelichting": toelichting.strip(),
                "lichte_hulp_loopt_door": lichte_hulp_loopt_door,
                "recorded_by": actor,
            },
        )
        record_event(
            case, EventKind.FOA_VASTGELEGD, actor, reason=f"{vervolg.get_besluit_display()}. {vervolg.toelichting}"
        )
    return vervolg


def agree_einddatum(*, actor: User, case: Case, einddatum: date, afgesproken_met_coordinator: bool) -> Case:
    """The regievoerder records the end date agreed with the coördinator (the coördinator may record it too)."""
    if not (guards.is_regievoerder(case, actor) and actor.has_perm("referrals.record_care")) and not (
        guards.is_coordinator(case, actor)
    ):
        raise PermissionDenied("Alleen de regievoerder of de coördinator van deze casus legt de einddatum vast.")
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, Phase.AFRONDEND)
        errors = {}
        start = case.zorg_gestart_op or case.aanmelddatum
        if einddatum < start:
            errors["einddatum"] = f"De einddatum kan niet vóór de start van de jeugdhulp ({nl_date(start)}) liggen."
        elif einddatum > timezone.localdate() + timedelta(days=MAX_DAYS_BACK):
            errors["einddatum"] = "Deze datum ligt meer dan een jaar vooruit. Controleer de datum."
        if case.coordinator_id and not afgesproken_met_coordinator and not guards.is_coordinator(case, actor):
            errors["afgesproken_met_coordinator"] = "De einddatum spreekt u af met de coördinator."
        if errors:
            raise ValidationError(errors)
        Case.objects.filter(pk=case.pk).update(einddatum=einddatum)
        case.einddatum = einddatum
        record_event(case, EventKind.EINDDATUM_AFGESPROKEN, actor, payload={"einddatum": einddatum.isoformat()})
    return case


def _care_stopped(case: Case, actor: User) -> None:
    """Closing ends the care (the JW307 stop melden deadline starts); light help may continue 3 months."""
    if case.zorg_gestart_op is not None:
        stopped = timezone.make_aware(datetime.combine(case.afgesloten_op, datetime.min.time()))
        record_event(
            case,
            EventKind.ZORG_GESTOPT,
            actor,
            payload={"datum": case.afgesloten_op.isoformat(), "moment": stopped.isoformat()},
        )
    vervolg = related(case, "vervolg")
    if vervolg is not None and vervolg.lichte_hulp_loopt_door:
        record_event(case, EventKind.LICHTE_HULP_DOORLOPEND, actor, reason="Ten hoogste 3 maanden na afsluiting.")


def afsluiten(*, actor: User, case: Case, expected_phase: str = Phase.AFRONDEND) -> Case:
    return _fire(
        actor=actor,
        case=case,
        name="afsluiten",
        expected_phase=expected_phase,
        afgesloten_op=timezone.localdate(),
        after=_care_stopped,
    )


# --- Substitutes [HvB-QA 6] -----------------------------------------------------------------------


def record_substitution(
    *,
    actor: User,
    case: Case,
    role: str,
    substitute: User | None,
    start: date,
    end: date,
    gezin_geinformeerd: bool,
    andere_partij_geinformeerd: bool,
) -> Substitution:
    """While the coördinator or regievoerder is away, the substitute is the contact and may act for them."""
    if role not in CaseRole.values:
        raise ValidationError({"role": "Kies wie er afwezig is."})
    holder_field = "coordinator" if role == CaseRole.COORDINATOR else "regievoerder"
    allowed = (
        guards.is_coordinator(case, actor)
        if role == CaseRole.COORDINATOR
        else guards.is_regievoerder(case, actor) or actor.role == "aanmeldpunt"
    )
    if not allowed and not (role == CaseRole.COORDINATOR and actor.role == "toegang_medewerker"):
        raise PermissionDenied("U kunt voor deze rol geen vervanging vastleggen.")
    errors = {}
    if end < start:
        errors["end"] = "De vervanging eindigt vóór ze begint. Controleer de datums."
    elif end < timezone.localdate():
        errors["end"] = "Deze periode ligt al helemaal in het verleden."
    elif end > start + timedelta(days=MAX_DAYS_BACK):
        errors["end"] = "Een vervanging duurt ten hoogste een jaar."
    if not gezin_geinformeerd:
        errors["gezin_geinformeerd"] = "Informeer eerst het gezin over de vervanger."
    if not andere_partij_geinformeerd:
        errors["andere_partij_geinformeerd"] = (
            "Informeer eerst de regievoerder over de vervanger."
            if role == CaseRole.COORDINATOR
            else "Informeer eerst de coördinator over de vervanger."
        )
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *OPEN_PHASES)
        holder = getattr(case, holder_field)
        if holder is None:
            errors["role"] = f"Deze casus heeft geen {CaseRole(role).label.lower()}."
        elif substitute is None or substitute.pk == holder.pk:
            errors["substitute"] = "Kies een andere medewerker als vervanger."
        elif role == CaseRole.COORDINATOR and (
            substitute.role != "toegang_medewerker" or substitute.organisation_id != holder.organisation_id
        ):
            errors["substitute"] = "De vervanger is een medewerker van hetzelfde Toegangsteam."
        elif role == CaseRole.REGIEVOERDER and (
            substitute.role != "regievoerder" or substitute.organisation_id != case.regie_organisatie_id
        ):
            errors["substitute"] = "De vervanger is een regievoerder van de regievoerende organisatie."
        if errors:
            raise ValidationError(errors)
        substitution = Substitution.objects.create(
            case=case,
            role=role,
            absent=holder,
            substitute=substitute,
            start=start,
            end=end,
            gezin_geinformeerd=True,
            andere_partij_geinformeerd=True,
            recorded_by=actor,
        )
        assign_perm("referrals.view_identity", substitute, case)
        record_event(
            case,
            EventKind.VERVANGING_VASTGELEGD,
            actor,
            reason=f"{substitute.get_full_name()} vervangt {holder.get_full_name()} ({CaseRole(role).label.lower()}) "
            f"van {nl_date(start)} tot en met {nl_date(end)}. Gezin en andere partij zijn geïnformeerd.",
            payload={"ref": str(substitution.pk)},
        )
    return substitution


# --- Beschikking [HvB-STAP] and Perspectiefplan 18-/18+ [HvB-QA 3] ------------------------------------

PRODUCTCODE = re.compile(r"^\d{2}[A-Z0-9]{3}$")


def record_beschikking(
    *,
    actor: User,
    case: Case,
    afgegeven_op: date,
    resultaat: str,
    productcategorie: str,
    productcode: str,
    activiteiten: str,
    frequentie: str,
    ingangsdatum: date,
) -> Beschikking:
    """Crossroads decides the care and records the beschikking it sends to the family (without end date)."""
    _require(actor, "referrals.record_beschikking")
    code = productcode.strip().upper()
    errors = {}
    if productcategorie not in ProductCategorie.values:
        errors["productcategorie"] = "Kies de productcategorie."
    if not PRODUCTCODE.match(code):
        errors["productcode"] = "Een productcode is twee cijfers en drie tekens, bijvoorbeeld 45A01."
    elif code == "43A12":
        errors["productcode"] = "Voor Jeugdzorgplus (43A12) wordt geen beschikking afgegeven."
    elif productcategorie in ProductCategorie.values and not code.startswith(productcategorie):
        errors["productcode"] = f"Deze productcode hoort niet bij categorie {productcategorie}."
    for field, value, what in (
        ("resultaat", resultaat, "het resultaat"),
        ("activiteiten", activiteiten, "de activiteiten"),
        ("frequentie", frequentie, "de frequentie"),
    ):
        if not value.strip():
            errors[field] = f"Vul {what} in."
    if afgegeven_op > timezone.localdate():
        errors["afgegeven_op"] = "De beschikking kan niet in de toekomst zijn afgegeven."
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        if related(case, "beschikking") is not None:
            errors["__all__"] = (
                "Deze casus heeft al een beschikking. Segment 1 kent geen herindicatie: een andere zorgbehoefte "
                "verandert het plan, niet de beschikking."
            )
        if "afgegeven_op" not in errors and afgegeven_op < case.aanmelddatum:
            errors["afgegeven_op"] = (
                f"De beschikking kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) liggen."
            )
        if ingangsdatum < case.aanmelddatum:
            errors["ingangsdatum"] = (
                f"De ingangsdatum kan niet vóór de aanmelddatum ({nl_date(case.aanmelddatum)}) liggen."
            )
        if errors:
            raise ValidationError(errors)
        beschikking = Beschikking.objects.create(
            case=case,
            beschikkingsnummer=f"S1B-{afgegeven_op.year}-{case.pk:06d}",
            afgegeven_op=afgegeven_op,
            resultaat=resultaat.strip(),
            aanbieder=case.regie_organisatie,
            productcategorie=productcategorie,
            productcode=code,
            activiteiten=activiteiten.strip(),
            frequentie=frequentie.strip(),
            ingangsdatum=ingangsdatum,
            recorded_by=actor,
        )
        moment = timezone.make_aware(datetime.combine(afgegeven_op, datetime.min.time()))
        record_event(
            case,
            EventKind.BESCHIKKING_AFGEGEVEN,
            actor,
            reason=f"Beschikking {beschikking.beschikkingsnummer}: {beschikking.resultaat}",
            payload={"nummer": beschikking.beschikkingsnummer, "moment": moment.isoformat()},
        )
    return beschikking


def save_perspectiefplan(*, actor: User, case: Case, texts: dict[str, str], gereed: bool = False) -> Perspectiefplan:
    """The regievoerder starts and fills the Perspectiefplan 18-/18+; it is finished when every life domain
    has its state of affairs and the results still to reach."""
    _require_regievoerder(actor, case)
    domeinen = {
        d: {a: (texts.get(f"{d}__{a}") or "").strip() for a in PERSPECTIEF_ASPECTEN} for d in PerspectiefDomein.values
    }
    with transaction.atomic():
        case = _locked(case)
        _require_phase(case, *CARE_PHASES)
        today = timezone.localdate()
        plan = related(case, "perspectiefplan")
        started = plan is None
        if plan is None:
            plan = Perspectiefplan(case=case, gestart_op=today)
        if plan.gereed_op is not None:
            raise ValidationError({"__all__": f"Het perspectiefplan is al gereed sinds {nl_date(plan.gereed_op)}."})
        plan.domeinen = domeinen
        plan.updated_by = actor
        if gereed:
            missing = plan.missing()
            if missing:
                raise ValidationError(
                    {
                        "__all__": "Het plan is pas gereed als elk leefdomein een stand van zaken en nog te bereiken "
                        f"resultaten heeft. Nog leeg: {', '.join(m.lower() for m in missing)}."
                    }
                )
            plan.gereed_op = today
        plan.save()
        if started:
            record_event(case, EventKind.PERSPECTIEFPLAN_GESTART, actor)
        if gereed:
            record_event(case, EventKind.PERSPECTIEFPLAN_GEREED, actor)
    return plan
