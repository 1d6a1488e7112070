"""Use cases that change a case. The only place that does.

Each service runs in one transaction, checks the actor's permission, changes state and writes one
timeline event. Input errors raise ValidationError with a Dutch message per field; a refused
transition raises TransitionRefused with the Dutch reasons; a concurrent change raises StaleCase.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import ConcurrentTransition
from guardian.shortcuts import assign_perm

from accounts.models import Organisation, User
from accounts.services import log_access

from .bsn import normalise_bsn, validate_bsn
from .dates import nl_date
from .documents import sniff_document
from .guards import related
from .models import (
    ROUTE_VERWIJZERS,
    Aanmeldgesprek,
    AanmeldtafelAdvies,
    BsnStatus,
    Case,
    CaseDocument,
    CaseEvent,
    EndReason,
    EventKind,
    Gezin,
    Ipva,
    Jeugdige,
    Leefgebied,
    Phase,
    PhoneConsultation,
    Route,
    Segment,
)
from .signals import case_event_recorded


class StaleCase(Exception):
    """The case changed since the user loaded it; nothing was applied."""

    def __init__(self, case: Case):
        self.case = case
        super().__init__(
            "Deze casus is intussen door iemand anders gewijzigd. Uw actie is niet uitgevoerd; "
            "hieronder ziet u de huidige stand."
        )


class TransitionRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


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


def log_case_list(*, user: User, where: str, cases) -> None:
    """A list that shows youths' names is a view of personal data too: log which cases it showed."""
    refs = [case.reference for case in cases]
    if not refs:
        return
    shown: list[str] = []
    for ref in refs:
        if len(", ".join([*shown, ref])) > 260:
            break
        shown.append(ref)
    more = len(refs) - len(shown)
    text = ", ".join(shown) + (f" en {more} meer" if more else "")
    log_access(user=user, action="lijst", object_type="casussen", object_id="-", description=f"{where}: {text}")


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
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    with transaction.atomic():
        case = _locked(case)
        last = CaseDocument.objects.filter(case=case, kind=kind).aggregate(v=Max("version"))["v"] or 0
        document = CaseDocument(
            case=case,
            kind=kind,
            title=title.strip() or uploaded_file.name,
            version=last + 1,
            original_name=uploaded_file.name[:255],
            content_type=content_type,
            size=uploaded_file.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        document.file.save(uploaded_file.name, uploaded_file, save=False)
        try:
            document.save()
            record_event(
                case,
                EventKind.DOCUMENT_TOEGEVOEGD,
                actor,
                payload={"document": str(document.public_id), "soort": kind, "versie": document.version},
            )
        except Exception:
            document.file.delete(save=False)  # nothing half: no file without its row
            raise
    return document


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


def _fire(*, actor: User, case: Case, name: str, expected_phase: str, reason: str = "", **kwargs) -> Case:
    """Fire one phase transition on the state the user saw (`expected_phase`).

    ConcurrentTransitionMixin makes the UPDATE conditional on the phase that was loaded, so of two
    people firing at once exactly one wins; the other gets StaleCase and nothing is applied.
    """
    try:
        with transaction.atomic():
            if case.phase != expected_phase:
                raise StaleCase(case)
            if not actor.role:  # a technical superuser passes has_perm, but takes no part in the chain
                raise PermissionDenied("U heeft geen rechten voor deze handeling.")
            method = getattr(case, name)
            meta = method._django_fsm
            if not meta.has_transition(case.phase):
                raise TransitionRefused([f"Deze stap is niet mogelijk in de {case.get_phase_display().lower()}."])
            if not meta.has_transition_perm(case, case.phase, actor):
                raise PermissionDenied("U heeft geen rechten voor deze handeling.")
            transition = meta.get_transition(case.phase)
            unmet = [c.reason for c in transition.conditions if not c(case)]
            if unmet:
                raise TransitionRefused(unmet)
            from_phase = case.phase
            method(**kwargs)
            case.save()
            record_event(
                case, transition.custom["event"], actor, from_phase=from_phase, to_phase=case.phase, reason=reason
            )
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
    )
