"""The coordination level machine: each level change is one transition of `Coordination`, fired on the
level the user saw, with its decision record and timeline event [HvB-WI 1-3]."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from accounts.models import User
from referrals.dates import nl_date
from referrals.guards import role_reason
from referrals.models import Case
from referrals.services import StaleCase, TransitionRefused, record_event

from .. import guards
from ..models import AfschaalIndicator, Coordination, Decision, DecisionKind, Level, OpschaalReden
from .common import NO_RIGHTS, check_day, locked


def fire_transition(
    *,
    actor: User,
    case: Case,
    name: str,
    expected_level: str,
    decision: dict | None = None,
    reason: str = "",
    payload: dict | None = None,
    form_values: dict | None = None,
    write_event: bool = True,
    **kwargs,
) -> Coordination:
    """Fire one level transition on the level the user saw (`expected_level`), with the decision record and
    the timeline event, in one transaction. Of two people firing at once exactly one wins: the case row is
    locked, the level is read again under the lock, and ConcurrentTransitionMixin makes the UPDATE
    conditional on the level that was loaded."""
    if not actor.role:  # a technical superuser passes has_perm, but takes no part in the chain
        raise PermissionDenied(NO_RIGHTS)
    try:
        with transaction.atomic():
            case = locked(case)
            coordination, _ = Coordination.objects.get_or_create(case=case)
            coordination.case = case
            if coordination.level != expected_level:
                raise StaleCase(case)
            method = getattr(coordination, name)
            meta = method._django_fsm
            if not meta.has_transition(coordination.level):
                raise TransitionRefused([f"Deze stap is niet mogelijk bij {coordination.get_level_display().lower()}."])
            transition = meta.get_transition(coordination.level)
            if not meta.has_transition_perm(coordination, coordination.level, actor):
                raise PermissionDenied(role_reason(transition))
            for attr, value in (form_values or {}).items():
                setattr(coordination, attr, value)
            unmet = [c.reason for c in transition.conditions if not c(coordination)]
            if unmet:
                raise TransitionRefused(unmet)
            from_level = coordination.level
            method(**kwargs)
            coordination.save()
            if decision is not None:
                Decision.objects.create(
                    coordination=coordination,
                    kind=transition.custom.get("decision", decision.pop("kind", DecisionKind.VASTGESTELD)),
                    from_level=from_level,
                    to_level=coordination.level,
                    recorded_by=actor,
                    **decision,
                )
            if write_event:
                record_event(
                    case,
                    transition.custom["event"],
                    actor,
                    reason=reason,
                    payload={"van": from_level, "naar": coordination.level, **(payload or {})},
                )
    except ConcurrentTransition:
        raise StaleCase(Case.objects.get(pk=case.pk)) from None
    return coordination


@dataclass
class JointDecision:
    """What a person records about a joint decision on the level."""

    decided_on: date | None
    met_coordinator: bool = False
    met_gedragswetenschapper: bool = False
    met_regievoerder: bool = False
    met_crossroads: bool = False
    redenen: list[str] = field(default_factory=list)
    indicatoren: list[str] = field(default_factory=list)
    veilig_sinds: date | None = None
    toelichting: str = ""

    def record(self) -> dict:
        return {
            "decided_on": self.decided_on,
            "met_coordinator": self.met_coordinator,
            "met_gedragswetenschapper": self.met_gedragswetenschapper,
            "met_regievoerder": self.met_regievoerder,
            "met_crossroads": self.met_crossroads,
            "redenen": list(self.redenen),
            "indicatoren": list(self.indicatoren),
            "veilig_sinds": self.veilig_sinds,
            "toelichting": self.toelichting.strip(),
        }


def _decision_errors(case: Case, d: JointDecision, *, needs: list[str]) -> dict:
    errors: dict = {}
    check_day(
        errors, "decided_on", d.decided_on, what="is besloten", not_before=case.aanmelddatum, label="de aanmelddatum"
    )
    who = {
        "met_coordinator": "Het besluit wordt genomen met de coördinator.",
        "met_gedragswetenschapper": "Het besluit wordt genomen met de gedragswetenschapper van de Toegang.",
        "met_regievoerder": "Het besluit wordt genomen met de regievoerder.",
        "met_crossroads": "Het niveau wordt vastgesteld samen met Crossroads.",
    }
    for name in needs:
        if not getattr(d, name):
            errors[name] = who[name]
    return errors


def _summary(d: JointDecision, labels: list[str]) -> str:
    parts = [", ".join(labels)] if labels else []
    if d.toelichting.strip():
        parts.append(d.toelichting.strip())
    return ". ".join(parts)


def vaststellen(*, actor: User, case: Case, level: str, expected_level: str, decision: JointDecision) -> Coordination:
    """The Toegang sets the level licht or zwaar, decided with the gedragswetenschapper and Crossroads
    [HvB-WI 1.1]."""
    if level not in (Level.LICHT, Level.ZWAAR):
        raise ValidationError({"level": "Kies coördinatie licht of zwaar."})
    errors = _decision_errors(case, decision, needs=["met_gedragswetenschapper", "met_crossroads"])
    if errors:
        raise ValidationError(errors)
    return fire_transition(
        actor=actor,
        case=case,
        name=f"vaststellen_{level}",
        expected_level=expected_level,
        decision=decision.record(),
        reason=_summary(decision, [Level(level).label]),
        day=decision.decided_on,
    )


def opschalen(*, actor: User, case: Case, expected_level: str, decision: JointDecision) -> Coordination:
    """Licht to zwaar, a joint decision of coördinator, gedragswetenschapper and regievoerder, with its reasons
    [HvB-WI 2.2.1]."""
    errors = _decision_errors(case, decision, needs=["met_coordinator", "met_gedragswetenschapper", "met_regievoerder"])
    redenen = [r for r in decision.redenen if r in OpschaalReden.values]
    if not redenen or len(redenen) != len(decision.redenen):
        errors["redenen"] = "Kies ten minste één reden om op te schalen."
    if errors:
        raise ValidationError(errors)
    return fire_transition(
        actor=actor,
        case=case,
        name="opschalen",
        expected_level=expected_level,
        decision=decision.record(),
        reason=_summary(decision, [OpschaalReden(r).label for r in redenen]),
        payload={"redenen": redenen},
        day=decision.decided_on,
    )


def afschalen(
    *, actor: User, case: Case, expected_level: str, decision: JointDecision
) -> tuple[Coordination, list[str]]:
    """Zwaar to licht, the same three decide, with at least one indicator [HvB-WI 2.2.2]. Returns the warnings:
    a safe period shorter than 6 months is allowed, but said."""
    errors = _decision_errors(case, decision, needs=["met_coordinator", "met_gedragswetenschapper", "met_regievoerder"])
    indicatoren = [i for i in decision.indicatoren if i in AfschaalIndicator.values]
    if not indicatoren or len(indicatoren) != len(decision.indicatoren):
        errors["indicatoren"] = "Kies ten minste één indicator om af te schalen."
    since = decision.veilig_sinds
    if since is not None:
        if since > timezone.localdate():
            errors["veilig_sinds"] = "Deze datum ligt in de toekomst."
        elif decision.decided_on and since > decision.decided_on:
            errors["veilig_sinds"] = "Deze datum ligt na de datum van het besluit."
    if AfschaalIndicator.STRUCTUREEL_VEILIG in indicatoren and "veilig_sinds" not in errors:
        if since is None:
            errors["veilig_sinds"] = "Vul in sinds wanneer de situatie structureel veilig is."
        elif not guards.safe_long_enough(since):
            errors["veilig_sinds"] = (
                f"Sinds {nl_date(since)} is nog geen 6 maanden: kies deze indicator pas na 6 maanden veiligheid."
            )
    if errors:
        raise ValidationError(errors)
    warnings = []
    if not guards.safe_long_enough(since):
        warnings.append(
            "Let op: de situatie is korter dan 6 maanden structureel veilig"
            + (f" (sinds {nl_date(since)})." if since else " (geen datum vastgelegd).")
            + " Er is afgeschaald op basis van de andere indicatoren."
        )
    coordination = fire_transition(
        actor=actor,
        case=case,
        name="afschalen",
        expected_level=expected_level,
        decision=decision.record(),
        reason=_summary(decision, [AfschaalIndicator(i).label for i in indicatoren])
        + "".join(f" {w}" for w in warnings),
        payload={"indicatoren": indicatoren, "veilig_sinds": since.isoformat() if since else None},
        day=decision.decided_on,
        veilig_sinds=since,
    )
    return coordination, warnings


def afsluiten(*, actor: User, case: Case, expected_level: str, decision: JointDecision) -> Coordination:
    """Close coordination: the coördinator attended the eindevaluatie; zwaar only after 6 months of structural
    safety [HvB-WI 3]."""
    errors: dict = {}
    check_day(errors, "decided_on", decision.decided_on, what="de coördinatie is afgesloten")
    if decision.veilig_sinds is not None and decision.veilig_sinds > timezone.localdate():
        errors["veilig_sinds"] = "Deze datum ligt in de toekomst."
    if errors:
        raise ValidationError(errors)
    decision.met_coordinator = True
    values = {"veilig_sinds": decision.veilig_sinds} if decision.veilig_sinds else {}
    return fire_transition(
        actor=actor,
        case=case,
        name="afsluiten",
        expected_level=expected_level,
        decision=decision.record(),
        reason=decision.toelichting.strip(),
        form_values=values,
        day=decision.decided_on,
    )
