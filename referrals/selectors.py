"""Read queries, already narrowed to what the user may see (need to know, DOMAIN.md section 9).

Every list, search and page of case data starts from `visible_cases(user)`: one queryset filter
built from role and organisation, plus django-guardian grants for the exceptions.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import Role

from .bsn import normalise_bsn
from .models import BsnStatus, Case, CaseEvent, CaseUserObjectPermission, Jeugdige, Phase


def visibility_q(user: User) -> Q:
    role = user.role
    org_id = user.organisation_id
    if not user.is_authenticated or not role or org_id is None:
        return Q(pk__in=[])
    if role in (Role.TOEGANG_MEDEWERKER, Role.GEDRAGSWETENSCHAPPER):
        gemeente = user.organisation.own_gemeente
        own_gemeente = Q(gemeente=gemeente) & (~Q(phase=Phase.CONCEPT) | Q(created_by_organisation=org_id))
        # A verwijzer keeps sight of a referral for a youth living in another gemeente.
        return own_gemeente | Q(verwijzer_user=user.pk)
    if role in (Role.AANMELDPUNT, Role.MANAGER_CROSSROADS):
        return ~Q(phase=Phase.CONCEPT) | Q(created_by_organisation=org_id)
    if role == Role.REGIEVOERDER:
        return Q(regie_organisatie=org_id)
    if role == Role.MANAGER_GEMEENTE:
        return Q(gemeente=org_id) & ~Q(phase=Phase.CONCEPT)
    return Q(pk__in=[])


def _identity_visible(user: User):
    """True where the user may see who the youth is: always, except a geheim BSN without a grant."""
    granted = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename="view_identity"
    )
    return When_(
        When(~Q(jeugdige__bsn_status=BsnStatus.GEHEIM), then=Value(True)),
        default=Exists(granted),
        output_field=BooleanField(),
    )


def visible_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(visibility_q(user)).annotate(identity_visible=_identity_visible(user))


def _with_list_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("jeugdige", "gemeente", "regie_organisatie")


@dataclass
class CaseFilters:
    q: str = ""
    fase: str = ""
    gemeente: int | None = None
    partner: int | None = None
    route: str = ""
    urgent: bool = False


def search_cases(user: User, filters: CaseFilters) -> QuerySet[Case]:
    qs = visible_cases(user)
    term = filters.q.strip()
    if term:
        bsn = normalise_bsn(term)
        if bsn.isdigit() and len(bsn) == 9:
            match = Q(jeugdige__bsn=bsn)
        elif term.upper().startswith("S1-") and term[3:].isdigit():
            match = Q(pk=int(term[3:]))
        else:
            match = Q()
            for word in term.split():
                match &= (
                    Q(jeugdige__voornaam__icontains=word)
                    | Q(jeugdige__achternaam__icontains=word)
                    | Q(jeugdige__tussenvoegsel__iexact=word)
                )
        # Nobody finds a geheim-BSN youth by name or number without being allowed to see it.
        qs = qs.filter(match).filter(identity_visible=True)
    if filters.fase:
        qs = qs.filter(phase=filters.fase)
    if filters.gemeente:
        qs = qs.filter(gemeente_id=filters.gemeente)
    if filters.partner:
        qs = qs.filter(regie_organisatie_id=filters.partner)
    if filters.route:
        qs = qs.filter(route=filters.route)
    if filters.urgent:
        qs = qs.filter(urgent=True)
    return _with_list_relations(qs).order_by("-urgent", "-aanmelddatum", "-pk")


def case_detail(user: User, public_id) -> Case:
    qs = (
        visible_cases(user)
        .select_related(
            "jeugdige__gezin",
            "gemeente",
            "regie_organisatie",
            "verwijzer_user",
            "ipva",
            "aanmeldgesprek",
            "aanmeldtafel_advies__regie_partner",
        )
        .prefetch_related(
            "documents__uploaded_by",
            "phone_consultations",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch("jeugdige__gezin__jeugdigen", queryset=Jeugdige.objects.prefetch_related("cases")),
        )
    )
    return get_object_or_404(qs, public_id=public_id)


@dataclass
class TransitionOption:
    name: str
    label: str
    allowed: bool
    permitted: bool
    reasons: list[str] = field(default_factory=list)
    secondary: bool = False


def transition_options(case: Case, user: User) -> list[TransitionOption]:
    """The phase transitions from the current phase: which the user can fire now, and for the
    others, in Dutch, why not yet."""
    options = []
    for t in case.get_all_phase_transitions():
        if t.source not in (case.phase, "*"):
            continue
        permitted = t.has_perm(case, user)
        reasons = [c.reason for c in t.conditions if not c(case)]
        if not permitted:
            reasons = [t.custom.get("role_reason", "U heeft hiervoor niet de juiste rol.")]
        options.append(
            TransitionOption(
                name=t.name,
                label=t.custom["label"],
                allowed=permitted and not reasons,
                permitted=permitted,
                reasons=reasons,
                secondary=t.custom.get("secondary", False),
            )
        )
    return options


# --- Work lists -----------------------------------------------------------------------------------


def intake_queue(user: User) -> QuerySet[Case]:
    """The aanmeldpunt's incoming referrals: urgent first, then oldest first."""
    return (
        _with_list_relations(visible_cases(user).filter(phase=Phase.AANMELD))
        .select_related("aanmeldgesprek", "aanmeldtafel_advies")
        .order_by("-urgent", "aanmelddatum", "pk")
    )


def toegang_work_list(user: User) -> dict[str, QuerySet[Case]]:
    mine = visible_cases(user).filter(Q(verwijzer_user=user) | Q(created_by=user))
    return {
        "concepten": _with_list_relations(mine.filter(phase=Phase.CONCEPT)).order_by("-created_at"),
        "aangemeld": _with_list_relations(mine.filter(phase=Phase.AANMELD))
        .select_related("aanmeldgesprek")
        .order_by("-urgent", "aanmelddatum"),
        "terugverwezen": _with_list_relations(mine.filter(phase=Phase.TERUGVERWEZEN)).order_by("-updated_at")[:20],
    }


def regie_work_list(user: User) -> QuerySet[Case]:
    return _with_list_relations(
        visible_cases(user).filter(phase__in=[Phase.CRISIS, Phase.HULPVERLENEND, Phase.AFRONDEND])
    ).order_by(When_(When(phase=Phase.CRISIS, then=Value(0)), default=Value(1)), "-urgent", "aanmelddatum")


def gemeente_cases_in_intake(user: User) -> QuerySet[Case]:
    return _with_list_relations(visible_cases(user).filter(phase=Phase.AANMELD)).order_by("-urgent", "aanmelddatum")


def phase_counts(user: User) -> dict[str, int]:
    rows = Case.objects.filter(visibility_q(user)).order_by().values("phase").annotate(n=Count("pk"))
    counts = {r["phase"]: r["n"] for r in rows}
    return {label: counts.get(value, 0) for value, label in Phase.choices if value != Phase.CONCEPT}
