"""Read queries of the coordination app, narrowed to what the user may see (the case selectors of referrals
decide which cases), with everything a page shows prefetched: a fixed number of queries however many rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from referrals.guards import role_reason
from referrals.models import OPEN_PHASES, Case, Phase, Substitution
from referrals.selectors import visible_cases

from . import guards
from .models import Consent, ConsentSubject, Coordination, Decision, Escalation, Level, Sharing

TALK_DAYS = 14  # the talk in the hierarchical lines within 2 weeks [ZOU 4]
COMMITMENT_WORKING_DAYS = 5  # commitment within 5 working days after the talk [ZOU 4]


def coordination_of(case: Case) -> Coordination:
    """The case's coordination, or an unsaved one at level `geen` (nothing is stored by reading)."""
    try:
        return case.coordination
    except Coordination.DoesNotExist:
        return Coordination(case=case)


def add_working_days(day: date, n: int) -> date:
    """`n` working days after `day` (no weekends, no Dutch public holidays)."""
    nl = holidays.country_holidays("NL", years=range(day.year, day.year + 2))
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in nl:
            n -= 1
    return day


def escalation_due(escalation: Escalation) -> date | None:
    """When the next step of an open escalation is due."""
    if escalation.commitment_op:
        return None
    if escalation.gesprek_op:
        return add_working_days(escalation.gesprek_op, COMMITMENT_WORKING_DAYS)
    return escalation.opened_on + timedelta(days=TALK_DAYS)


@dataclass
class LevelOption:
    name: str
    label: str
    allowed: bool
    permitted: bool
    reasons: list[str] = field(default_factory=list)


def level_options(coordination: Coordination, user: User) -> list[LevelOption]:
    """The level transitions from the current level (not the automatic default): which the user can start
    now, and for the others, in Dutch, why not yet."""
    options = []
    for t in coordination.get_all_level_transitions():
        if t.custom.get("automatic") or t.source not in (coordination.level, "*"):
            continue
        unmet = [c for c in t.conditions if not c(coordination)]
        if any(getattr(c, "permanent", False) for c in unmet):
            continue
        permitted = t.has_perm(coordination, user)
        reasons = [c.reason for c in unmet if not guards.form_supplies(c, coordination)]
        if not permitted:
            reasons = [role_reason(t)]
        options.append(
            LevelOption(
                name=t.name,
                label=t.custom["label"],
                allowed=permitted and not reasons,
                permitted=permitted,
                reasons=reasons,
            )
        )
    return options


@dataclass
class ShareOption:
    subject: str
    label: str
    allowed: bool
    reason: str = ""


@dataclass
class EscalationRow:
    escalation: Escalation
    due: date | None
    overdue: bool


@dataclass
class Panel:
    case: Case
    coordination: Coordination
    options: list[LevelOption]
    decisions: list[Decision]
    consents: list[Consent]
    sharings: list[Sharing]
    escalations: list[EscalationRow]
    substitutes: list[Substitution]
    share_options: list[ShareOption]
    can_assign: bool
    can_consent: bool
    can_escalate: bool
    is_open: bool
    warnings: list[str] = field(default_factory=list)


def _panel_case(case: Case) -> Case:
    return (
        Case.objects.select_related(
            "coordinator__organisation", "eindevaluatie", "coordination", "gemeente", "regie_organisatie"
        )
        .prefetch_related(
            Prefetch("substitutions", queryset=Substitution.objects.select_related("substitute", "absent")),
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by", "withdrawn_by")),
            Prefetch("coordination__decisions", queryset=Decision.objects.select_related("recorded_by")),
            Prefetch("escalations", queryset=Escalation.objects.select_related("opened_by")),
            Prefetch("sharings", queryset=Sharing.objects.select_related("shared_by")),
        )
        .get(pk=case.pk)
    )


def coordination_panel(case: Case, user: User) -> Panel:
    """Everything the coordination block of a case page shows, in a fixed number of queries. `case` comes
    from referrals.selectors.case_detail (so the user may see it)."""
    full = _panel_case(case)
    coordination = coordination_of(full)
    coordination.case = full
    today = timezone.localdate()
    is_open = full.phase in OPEN_PHASES
    share_options = []
    for subject, needs in (("ipva_delen", full.regie_organisatie_id), ("wat_advies_delen", full.coordinator_id)):
        if not guards.may_share(full, user, subject) or not is_open:
            continue
        reason = ""
        if guards.active_consent(full, subject) is None:
            reason = "Zonder toestemming wordt niet gedeeld: leg eerst de toestemming vast."
        elif not needs:
            reason = (
                "Er is nog geen regievoerder om mee te delen."
                if subject == "ipva_delen"
                else "Er is nog geen coördinator om mee te delen."
            )
        share_options.append(
            ShareOption(subject=subject, label=ConsentSubject(subject).label, allowed=not reason, reason=reason)
        )
    escalations = []
    for e in full.escalations.all():
        due = escalation_due(e)
        escalations.append(EscalationRow(escalation=e, due=due, overdue=due is not None and due < today))
    warnings = []
    if (
        coordination.level == Level.ZWAAR
        and coordination.veilig_sinds
        and not guards.safe_long_enough(coordination.veilig_sinds)
    ):
        warnings.append("De situatie is korter dan 6 maanden structureel veilig.")
    return Panel(
        case=full,
        coordination=coordination,
        options=level_options(coordination, user) if is_open or full.phase == Phase.AFGESLOTEN else [],
        decisions=list(coordination.decisions.all()) if coordination.pk else [],
        consents=list(full.consents.all()),
        sharings=list(full.sharings.all()),
        escalations=escalations,
        substitutes=[s for s in full.substitutions.all() if s.role == "coordinator" and s.covers(today)],
        share_options=share_options,
        can_assign=is_open and guards.may_toewijzen(full, user) and coordination.level != Level.AFGESLOTEN,
        can_consent=is_open and guards.may_record_consent(full, user),
        can_escalate=is_open and guards.may_escalate(full, user),
        is_open=is_open,
        warnings=warnings,
    )


@dataclass
class WorkEscalation:
    escalation: Escalation
    due: date | None
    overdue: bool


def coordinator_work(user: User) -> dict:
    """What waits for a Toegang worker or gedragswetenschapper: cases of their gemeente where Crossroads asked
    for coordination and no coördinator is named yet (oldest request first), and the open escalations they
    are part of (as coördinator, substitute, or the one who opened it), most pressing first."""
    if not user.is_authenticated or not user.role or user.organisation_id is None:
        return {"requests": [], "escalations": []}
    visible = visible_cases(user)
    requests: list[Case] = []
    if user.role in (Role.TOEGANG_MEDEWERKER, Role.GEDRAGSWETENSCHAPPER):
        gemeente = user.organisation.own_gemeente
        requests = list(
            visible.filter(
                gemeente=gemeente,
                coordination__level=Level.AANGEVRAAGD,
                coordinator__isnull=True,
                phase__in=OPEN_PHASES,
            )
            .select_related("jeugdige", "gemeente")
            .order_by("coordinatie_aangevraagd_op", "pk")
        )
    today = timezone.localdate()
    part_of = (
        Q(case__coordinator=user)
        | Q(opened_by=user)
        | Q(
            case__substitutions__substitute=user,
            case__substitutions__role="coordinator",
            case__substitutions__start__lte=today,
            case__substitutions__end__gte=today,
        )
    )
    if user.role == Role.REGIEVOERDER:
        part_of |= Q(case__regie_organisatie=user.organisation_id)
    open_escalations = (
        Escalation.objects.open()
        .filter(part_of, case__in=visible.filter(phase__in=OPEN_PHASES).values("pk"))
        .distinct()
        .select_related("opened_by")
        .prefetch_related(Prefetch("case", queryset=visible_cases(user).select_related("jeugdige")))
    )
    rows = []
    for e in open_escalations:
        due = escalation_due(e)
        rows.append(WorkEscalation(escalation=e, due=due, overdue=due is not None and due < today))
    rows.sort(key=lambda r: (r.due or date.max, r.escalation.pk))
    return {"requests": requests, "escalations": rows}
