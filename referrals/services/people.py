"""People on the case: the coördinator and the regievoerder (with their history), consent to share,
and substitutes while one of them is away."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import User

from .. import guards
from ..dates import nl_date
from ..models import OPEN_PHASES, Case, CaseRole, CaseRoleHolder, EventKind, Phase, Substitution
from .timeline import MAX_DAYS_BACK, _locked, _require, _require_phase, record_event

# --- People on the case --------------------------------------------------------------------------


def _assign(*, actor: User, case: Case, role: str, user: User, reason: str) -> Case:
    """Make `user` the holder of `role` on the (locked) case; the previous holder's term ends."""
    field = "coordinator" if role == CaseRole.COORDINATOR else "regievoerder"
    if getattr(case, f"{field}_id") == user.pk:
        return case
    now = timezone.now()
    CaseRoleHolder.objects.filter(case=case, role=role, ended_at__isnull=True).update(ended_at=now)
    CaseRoleHolder.objects.create(case=case, role=role, user=user, started_at=now, assigned_by=actor, reason=reason)
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


def record_sharing_consent(*, actor: User, case: Case, subject: str, allowed: bool, reason: str = "") -> Case:
    """Record on the case whether consent to share (IPVA with the regievoerder; WAT-brief and adviesverslag
    with the coördinator) holds now. Called by the coordination app when consent is given or withdrawn."""
    field = SHARING_FIELDS[subject]
    with transaction.atomic():
        case = _locked(case)
        if getattr(case, field) != allowed:
            Case.objects.filter(pk=case.pk).update(**{field: allowed})
            setattr(case, field, allowed)
    return case


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
