"""Consent and what it allows: who consented to what and when, its withdrawal, and sharing under the
consent that holds (DOMAIN §9)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from referrals.dates import nl_date
from referrals.models import OPEN_PHASES, Case
from referrals.services import StaleCase, record_event, record_sharing_consent, too_long_ago

from .. import guards
from ..models import Consent, ConsentGiver, ConsentSubject, Sharing, required_consent_giver
from .common import locked


def consent_errors(case: Case, *, subject: str, given_by: str, given_on: date | None) -> dict:
    errors: dict = {}
    if subject not in ConsentSubject.values:
        errors["subject"] = "Kies waarvoor de toestemming is."
    if given_by not in ConsentGiver.values:
        errors["given_by"] = "Kies wie de toestemming gaf."
    if given_on is None:
        errors["given_on"] = "Vul de datum van de toestemming in."
    elif given_on > timezone.localdate():
        errors["given_on"] = "De datum van de toestemming kan niet in de toekomst liggen."
    elif too_long_ago(given_on):
        errors["given_on"] = "Deze toestemming is meer dan een jaar oud. Vraag de toestemming opnieuw."
    elif "given_by" not in errors:
        age = case.jeugdige.age_on(given_on)
        needed = required_consent_giver(age)
        if given_by != needed:
            errors["given_by"] = (
                f"Op {nl_date(given_on)} is de jeugdige {age} jaar: "
                f"toestemming nodig van: {ConsentGiver(needed).label.lower()}."
            )
    return errors


def _consent_text(consent: Consent) -> str:
    return (
        f"{consent.get_subject_display()}: toestemming van {consent.get_given_by_display().lower()} "
        f"op {nl_date(consent.given_on)}"
    )


def record_consent(
    *, actor: User, case: Case, subject: str, given_by: str, given_on: date | None, toelichting: str = ""
) -> Consent:
    """Who consented to what, when. Who must consent follows the youth's age on that day: the parents under
    12, parents and youth from 12 to 15, the youth from 16 (DOMAIN.md section 9)."""
    if not guards.may_record_consent(case, actor):
        raise PermissionDenied(guards.may_record_consent.reason)
    errors = consent_errors(case, subject=subject, given_by=given_by, given_on=given_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = locked(case)
        if case.phase not in OPEN_PHASES:
            raise ValidationError({"__all__": "De casus is niet open: er is geen toestemming meer vast te leggen."})
        current = Consent.objects.filter(case=case, subject=subject, withdrawn_on__isnull=True).first()
        if current is not None:
            raise ValidationError(
                {
                    "subject": f"Er is al toestemming voor {current.get_subject_display().lower()} "
                    f"(sinds {nl_date(current.given_on)}). Trek die eerst in om een nieuwe vast te leggen."
                }
            )
        try:
            with transaction.atomic():
                consent = Consent.objects.create(
                    case=case,
                    subject=subject,
                    given_by=given_by,
                    given_on=given_on,
                    toelichting=toelichting.strip(),
                    recorded_by=actor,
                )
        except IntegrityError:
            raise StaleCase(case) from None
        if subject in ("ipva_delen", "wat_advies_delen"):
            record_sharing_consent(actor=actor, case=case, subject=subject, allowed=True, reason=_consent_text(consent))
        record_event(
            case,
            "toestemming_gegeven",
            actor,
            reason=_consent_text(consent),
            payload={"onderwerp": subject, "door": given_by, "op": given_on.isoformat(), "toestemming": consent.pk},
        )
    return consent


def withdraw_consent(
    *, actor: User, case: Case, consent_id: int, withdrawn_on: date | None, reden: str = ""
) -> Consent:
    if not guards.may_record_consent(case, actor):
        raise PermissionDenied(guards.may_record_consent.reason)
    with transaction.atomic():
        case = locked(case)
        consent = Consent.objects.select_for_update().filter(case=case, pk=consent_id).first()
        if consent is None:
            raise ValidationError({"__all__": "Deze toestemming hoort niet bij deze casus."})
        if consent.withdrawn_on is not None:
            raise ValidationError(
                {"__all__": f"Deze toestemming is al ingetrokken op {nl_date(consent.withdrawn_on)}."}
            )
        errors: dict = {}
        if withdrawn_on is None:
            errors["withdrawn_on"] = "Vul de datum van de intrekking in."
        elif withdrawn_on > timezone.localdate():
            errors["withdrawn_on"] = "De intrekking kan niet in de toekomst liggen."
        elif withdrawn_on < consent.given_on:
            errors["withdrawn_on"] = f"De intrekking kan niet vóór de toestemming ({nl_date(consent.given_on)}) liggen."
        if errors:
            raise ValidationError(errors)
        consent.withdrawn_on = withdrawn_on
        consent.withdrawn_by = actor
        consent.withdrawal_reason = reden.strip()
        consent.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_reason"])
        if consent.subject in ("ipva_delen", "wat_advies_delen"):
            record_sharing_consent(actor=actor, case=case, subject=consent.subject, allowed=False, reason=reden)
        record_event(
            case,
            "toestemming_ingetrokken",
            actor,
            reason=f"{consent.get_subject_display()}: ingetrokken op {nl_date(withdrawn_on)}"
            + (f". {reden.strip()}" if reden.strip() else ""),
            payload={"onderwerp": consent.subject, "op": withdrawn_on.isoformat(), "toestemming": consent.pk},
        )
    return consent


def share_documents(*, actor: User, case: Case, subject: str) -> Sharing:
    """Share the IPVA with the regievoerder, or the WAT-brief and adviesverslag with the coördinator, under the
    consent that holds now [HvB-QA 9]. Without it: refused, nothing shared."""
    if subject not in ("ipva_delen", "wat_advies_delen"):
        raise ValidationError({"__all__": "Dit kan niet worden gedeeld."})
    if not guards.may_share(case, actor, subject):
        raise PermissionDenied(
            "Alleen de Toegang deelt het IPVA; alleen Crossroads deelt de WAT-brief en het adviesverslag."
        )
    with transaction.atomic():
        case = locked(case)
        if case.phase not in OPEN_PHASES:
            raise ValidationError({"__all__": "De casus is niet open: er wordt niets meer gedeeld."})
        consent = Consent.objects.filter(case=case, subject=subject, withdrawn_on__isnull=True).first()
        if consent is None:
            raise ValidationError(
                {
                    "__all__": f"Zonder toestemming wordt niet gedeeld: leg eerst de toestemming vast "
                    f"({ConsentSubject(subject).label.lower()})."
                }
            )
        if subject == "ipva_delen":
            if case.regie_organisatie_id is None:
                raise ValidationError({"__all__": "Er is nog geen regievoerder om het IPVA mee te delen."})
            recipient = f"regievoerder ({case.regie_organisatie.name})"
        else:
            if case.coordinator_id is None:
                raise ValidationError({"__all__": "Er is nog geen coördinator om mee te delen."})
            recipient = f"coördinator ({case.coordinator.get_full_name() or case.coordinator.username})"
        sharing = Sharing.objects.create(
            case=case,
            subject=subject,
            consent=consent,
            shared_with=recipient,
            shared_by=actor,
            shared_at=timezone.now(),
        )
        record_event(
            case,
            "gedeeld",
            actor,
            reason=f"{ConsentSubject(subject).label} ({recipient}), met toestemming van "
            f"{consent.get_given_by_display().lower()} van {nl_date(consent.given_on)}",
            payload={"onderwerp": subject, "met": recipient, "toestemming": consent.pk},
        )
    return sharing
