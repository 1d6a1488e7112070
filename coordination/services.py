from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from referrals.dates import nl_date
from referrals.models import Case
from referrals.services import set_coordination_requested, too_long_ago

from .models import Consent, ConsentGiver, ConsentSubject, required_consent_giver


def request_coordination(*, actor: User, case: Case, given_by: str, given_on: date) -> Consent:
    """Crossroads asks the Toegang to coordinate (medisch domein, overgangscliënt): the recorded
    consent of the right people comes first [HvB-QA 1]."""
    if actor.role not in (Role.AANMELDPUNT, Role.REGIEVOERDER):
        raise PermissionDenied("Alleen het aanmeldpunt of de regievoerder vraagt coördinatie aan.")
    errors = {}
    if given_on > timezone.localdate():
        errors["given_on"] = "De datum van de toestemming kan niet in de toekomst liggen."
    elif too_long_ago(given_on):
        errors["given_on"] = "Deze toestemming is meer dan een jaar oud. Vraag de toestemming opnieuw."
    else:
        needed = required_consent_giver(case.jeugdige.age_on(given_on))
        if given_by != needed:
            errors["given_by"] = (
                f"Op {nl_date(given_on)} is de jeugdige {case.jeugdige.age_on(given_on)} jaar: "
                f"toestemming nodig van: {ConsentGiver(needed).label.lower()}."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case, subject=ConsentSubject.COORDINATIE, given_by=given_by, given_on=given_on, recorded_by=actor
        )
        set_coordination_requested(
            actor=actor,
            case=case,
            reason=f"Toestemming van {consent.get_given_by_display().lower()} op {nl_date(given_on)}",
        )
    return consent
