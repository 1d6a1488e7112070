"""Who coordinates: the coördinator named by the Toegang, the verwijzer as coördinator licht by default,
and Crossroads' request to the Toegang to coordinate (ADR 0003)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import OrganisationKind, User
from accounts.roles import Role
from referrals.dates import nl_date
from referrals.models import OPEN_PHASES, Case
from referrals.services import assign_coordinator as assign_case_coordinator
from referrals.services import record_coordination_requested

from .. import guards
from ..models import Consent, ConsentSubject, Coordination, DecisionKind, Level
from ..selectors import coordination_of
from .common import locked
from .consent import consent_errors
from .level import fire_transition


def assign_default_coordinator(*, case: Case, actor: User | None) -> None:
    """A Toegang referral is aangemeld: its verwijzer becomes coördinator licht [HvB-WI fn 5]. Runs inside the
    aanmelding's transaction (see apps.py), so the aanmelding and this default happen together or not at all."""
    verwijzer = case.verwijzer_user
    if case.route != "toegang" or verwijzer is None or verwijzer.role != Role.TOEGANG_MEDEWERKER:
        return
    if Coordination.objects.filter(case=case).exclude(level=Level.GEEN).exists():
        return
    reason = "De verwijzer is standaard coördinator licht."
    if case.coordinator_id is None:
        assign_case_coordinator(actor=actor or verwijzer, case=case, coordinator=verwijzer, reason=reason)
        # The aanmelding saves this same case object; keep it in step with the row.
        case.coordinator = verwijzer
    fire_transition(
        actor=verwijzer,
        case=case,
        name="standaard_licht",
        expected_level=Level.GEEN,
        decision={"kind": DecisionKind.STANDAARD, "decided_on": case.aanmelddatum or timezone.localdate()},
        reason=reason,
        payload={"coordinator": verwijzer.get_full_name() or verwijzer.username},
    )


def assign_coordinator(*, actor: User, case: Case, coordinator: User | None, reason: str = "") -> Case:
    """The Toegang of the case's gemeente names the coördinator: one of its own Toegang workers."""
    if not guards.may_toewijzen(case, actor):
        raise PermissionDenied(guards.may_toewijzen.reason)
    team_gemeente = None
    if coordinator is not None and coordinator.organisation_id:
        org = coordinator.organisation
        team_gemeente = org.gemeente_id if org.kind == OrganisationKind.TOEGANG else None
    if (
        coordinator is None
        or coordinator.role != Role.TOEGANG_MEDEWERKER
        or not coordinator.is_active
        or team_gemeente != case.gemeente_id
    ):
        raise ValidationError(
            {"coordinator": f"Kies een medewerker van de Toegang van {case.gemeente.name} als coördinator."}
        )
    if case.phase not in OPEN_PHASES:
        raise ValidationError({"__all__": "De casus is niet open: er is geen coördinator meer toe te wijzen."})
    if Coordination.objects.filter(case=case, level=Level.AFGESLOTEN).exists():
        raise ValidationError({"__all__": "De coördinatie is afgesloten: er is geen coördinator meer toe te wijzen."})
    return assign_case_coordinator(actor=actor, case=case, coordinator=coordinator, reason=reason.strip())


def request_coordination(*, actor: User, case: Case, given_by: str, given_on: date) -> Consent:
    """Crossroads asks the Toegang to coordinate (medisch domein, overgangscliënt): the recorded consent of the
    right people comes first [HvB-QA 1]. Records the consent and fires `aanvragen` (geen -> aangevraagd);
    the timeline event is the coordination request (ADR 0003)."""
    if actor.role not in (Role.AANMELDPUNT, Role.REGIEVOERDER):
        raise PermissionDenied("Alleen het aanmeldpunt of de regievoerder vraagt coördinatie aan.")
    errors = consent_errors(case, subject=ConsentSubject.COORDINATIE, given_by=given_by, given_on=given_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = locked(case)
        consent = Consent.objects.filter(
            case=case, subject=ConsentSubject.COORDINATIE, withdrawn_on__isnull=True
        ).first()
        if consent is None:
            consent = Consent.objects.create(
                case=case, subject=ConsentSubject.COORDINATIE, given_by=given_by, given_on=given_on, recorded_by=actor
            )
        fire_transition(
            actor=actor,
            case=case,
            name="aanvragen",
            expected_level=coordination_of(case).level,
            write_event=False,
        )
        record_coordination_requested(
            actor=actor,
            case=case,
            reason=f"Toestemming van {consent.get_given_by_display().lower()} op {nl_date(consent.given_on)}",
        )
    return consent
