"""Use cases of coordination, consent, sharing and escalation. The only place that changes them.

Each service checks the actor's permission, validates its input (ValidationError with a Dutch message per
field, nothing stored), runs in one transaction with the case row locked, and writes its timeline event
through `referrals.services.record_event`. A level transition that is not allowed raises TransitionRefused
with the Dutch reasons; a change on a level the user did not see raises StaleCase.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from accounts.models import OrganisationKind, User
from accounts.roles import Role
from referrals.dates import nl_date
from referrals.guards import role_reason
from referrals.models import OPEN_PHASES, Case
from referrals.services import (
    StaleCase,
    TransitionRefused,
    assign_coordinator,
    record_coordination_requested,
    record_event,
    record_sharing_consent,
    too_long_ago,
)

from . import guards
from .models import (
    AfschaalIndicator,
    Consent,
    ConsentGiver,
    ConsentSubject,
    Coordination,
    Decision,
    DecisionKind,
    Escalation,
    EscalationKind,
    EscalationSide,
    EscalationTopic,
    Level,
    OpschaalReden,
    RetCriterion,
    Sharing,
    required_consent_giver,
)

NO_RIGHTS = "U heeft geen rechten voor deze handeling."


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _check_day(errors: dict, name: str, day: date | None, *, what: str, not_before: date | None = None, label=""):
    """A date a person typed: not in the future, not more than a year back, not before `not_before`."""
    if day is None:
        errors[name] = f"Vul de datum in waarop {what}."
    elif day > timezone.localdate():
        errors[name] = "Deze datum ligt in de toekomst."
    elif too_long_ago(day):
        errors[name] = "Deze datum ligt meer dan een jaar terug. Controleer de datum."
    elif not_before is not None and day < not_before:
        errors[name] = f"Deze datum ligt vóór {label} ({nl_date(not_before)})."


# --- The level machine ---------------------------------------------------------------------------------


def coordination_of(case: Case) -> Coordination:
    """The case's coordination, or an unsaved one at level `geen` (nothing is stored by reading)."""
    try:
        return case.coordination
    except Coordination.DoesNotExist:
        return Coordination(case=case)


def _fire(
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
            case = _locked(case)
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


def default_coordinator_licht(*, case: Case, actor: User | None) -> None:
    """A Toegang referral is aangemeld: its verwijzer becomes coördinator licht [HvB-WI fn 5]. Runs inside the
    aanmelding's transaction (see apps.py), so the aanmelding and this default happen together or not at all."""
    verwijzer = case.verwijzer_user
    if case.route != "toegang" or verwijzer is None or verwijzer.role != Role.TOEGANG_MEDEWERKER:
        return
    if Coordination.objects.filter(case=case).exclude(level=Level.GEEN).exists():
        return
    reason = "De verwijzer is standaard coördinator licht."
    if case.coordinator_id is None:
        assign_coordinator(actor=actor or verwijzer, case=case, coordinator=verwijzer, reason=reason)
        # The aanmelding saves this same case object; keep it in step with the row.
        case.coordinator = verwijzer
    _fire(
        actor=verwijzer,
        case=case,
        name="standaard_licht",
        expected_level=Level.GEEN,
        decision={"kind": DecisionKind.STANDAARD, "decided_on": case.aanmelddatum or timezone.localdate()},
        reason=reason,
        payload={"coordinator": verwijzer.get_full_name() or verwijzer.username},
    )


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
    _check_day(
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
    return _fire(
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
    return _fire(
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
    coordination = _fire(
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
    _check_day(errors, "decided_on", decision.decided_on, what="de coördinatie is afgesloten")
    if decision.veilig_sinds is not None and decision.veilig_sinds > timezone.localdate():
        errors["veilig_sinds"] = "Deze datum ligt in de toekomst."
    if errors:
        raise ValidationError(errors)
    decision.met_coordinator = True
    values = {"veilig_sinds": decision.veilig_sinds} if decision.veilig_sinds else {}
    return _fire(
        actor=actor,
        case=case,
        name="afsluiten",
        expected_level=expected_level,
        decision=decision.record(),
        reason=decision.toelichting.strip(),
        form_values=values,
        day=decision.decided_on,
    )


def toewijzen(*, actor: User, case: Case, coordinator: User | None, reason: str = "") -> Case:
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
    return assign_coordinator(actor=actor, case=case, coordinator=coordinator, reason=reason.strip())


# --- Consent ---------------------------------------------------------------------------------------------


def _consent_errors(case: Case, *, subject: str, given_by: str, given_on: date | None) -> dict:
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
    errors = _consent_errors(case, subject=subject, given_by=given_by, given_on=given_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case)
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
        case = _locked(case)
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


def share(*, actor: User, case: Case, subject: str) -> Sharing:
    """Share the IPVA with the regievoerder, or the WAT-brief and adviesverslag with the coördinator, under the
    consent that holds now [HvB-QA 9]. Without it: refused, nothing shared."""
    if subject not in ("ipva_delen", "wat_advies_delen"):
        raise ValidationError({"__all__": "Dit kan niet worden gedeeld."})
    if not guards.may_share(case, actor, subject):
        raise PermissionDenied(
            "Alleen de Toegang deelt het IPVA; alleen Crossroads deelt de WAT-brief en het adviesverslag."
        )
    with transaction.atomic():
        case = _locked(case)
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


def request_coordination(*, actor: User, case: Case, given_by: str, given_on: date) -> Consent:
    """Crossroads asks the Toegang to coordinate (medisch domein, overgangscliënt): the recorded consent of the
    right people comes first [HvB-QA 1]. Records the consent and fires `aanvragen` (geen -> aangevraagd);
    the timeline event is the coordination request (ADR 0003)."""
    if actor.role not in (Role.AANMELDPUNT, Role.REGIEVOERDER):
        raise PermissionDenied("Alleen het aanmeldpunt of de regievoerder vraagt coördinatie aan.")
    errors = _consent_errors(case, subject=ConsentSubject.COORDINATIE, given_by=given_by, given_on=given_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case)
        consent = Consent.objects.filter(
            case=case, subject=ConsentSubject.COORDINATIE, withdrawn_on__isnull=True
        ).first()
        if consent is None:
            consent = Consent.objects.create(
                case=case, subject=ConsentSubject.COORDINATIE, given_by=given_by, given_on=given_on, recorded_by=actor
            )
        _fire(
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


# --- Escalation ------------------------------------------------------------------------------------------


def open_escalation(
    *, actor: User, case: Case, kind: str, topic: str, description: str, ret_criteria: list[str] | None = None
) -> Escalation:
    """Coördinator and regievoerder disagree: the one who escalates opens it in their own line [HvB-QA 4]; a
    content escalation goes to the RET with the criteria that apply [HvB-S1, ZOU]."""
    if not guards.may_escalate(case, actor):
        raise PermissionDenied(guards.may_escalate.reason)
    ret_criteria = list(ret_criteria or [])
    errors: dict = {}
    if kind not in EscalationKind.values:
        errors["kind"] = "Kies procesescalatie of inhoudelijke escalatie."
    if topic not in EscalationTopic.values:
        errors["topic"] = "Kies waarover de escalatie gaat."
    if not description.strip():
        errors["description"] = "Beschrijf waarover coördinator en regievoerder het niet eens zijn."
    if any(c not in RetCriterion.values for c in ret_criteria):
        errors["ret_criteria"] = "Kies alleen criteria uit de lijst."
    elif kind == EscalationKind.INHOUD and not ret_criteria:
        errors["ret_criteria"] = "Kies bij een inhoudelijke escalatie naar het RET welke criteria gelden."
    elif kind == EscalationKind.PROCES and ret_criteria:
        errors["ret_criteria"] = "De criteria van het RET horen alleen bij een inhoudelijke escalatie."
    if errors:
        raise ValidationError(errors)
    side = EscalationSide.TOEGANG if actor.role in (Role.TOEGANG_MEDEWERKER,) else EscalationSide.CROSSROADS
    with transaction.atomic():
        case = _locked(case)
        if case.phase not in OPEN_PHASES:
            raise ValidationError({"__all__": "De casus is niet open: er is niets meer te escaleren."})
        now = timezone.now()
        escalation = Escalation.objects.create(
            case=case,
            kind=kind,
            side=side,
            topic=topic,
            description=description.strip(),
            ret_criteria=ret_criteria,
            opened_by=actor,
            opened_on=timezone.localdate(now),
            opened_at=now,
        )
        record_event(
            case,
            "escalatie_geopend",
            actor,
            reason=f"{escalation.get_kind_display()} over {escalation.get_topic_display().lower()}: "
            f"{escalation.description}",
            payload={"ref": escalation.ref, "soort": kind, "waarover": topic, "criteria": ret_criteria},
        )
    return escalation


def _locked_escalation(case: Case, escalation_id: int) -> tuple[Case, Escalation]:
    case = _locked(case)
    escalation = Escalation.objects.select_for_update().filter(case=case, pk=escalation_id).first()
    if escalation is None:
        raise ValidationError({"__all__": "Deze escalatie hoort niet bij deze casus."})
    return case, escalation


def record_escalation_talk(
    *, actor: User, case: Case, escalation_id: int, held_on: date | None, participants: str, summary: str
) -> Escalation:
    """The talk between the hierarchical lines (within 2 weeks of the escalation) [ZOU 4]."""
    if not guards.may_escalate(case, actor):
        raise PermissionDenied(guards.may_escalate.reason)
    with transaction.atomic():
        case, escalation = _locked_escalation(case, escalation_id)
        if escalation.gesprek_op is not None:
            raise ValidationError(
                {"__all__": f"Het gesprek is al vastgelegd (gehouden op {nl_date(escalation.gesprek_op)})."}
            )
        errors: dict = {}
        _check_day(
            errors,
            "held_on",
            held_on,
            what="het gesprek is gehouden",
            not_before=escalation.opened_on,
            label="de escalatie",
        )
        if not participants.strip():
            errors["participants"] = "Vul in wie het gesprek in de hiërarchische lijn voerden."
        if not summary.strip():
            errors["summary"] = "Vat het gesprek samen."
        if errors:
            raise ValidationError(errors)
        escalation.gesprek_op = held_on
        escalation.gesprek_met = participants.strip()
        escalation.gesprek_verslag = summary.strip()
        escalation.gesprek_by = actor
        escalation.save(update_fields=["gesprek_op", "gesprek_met", "gesprek_verslag", "gesprek_by"])
        record_event(
            case,
            "escalatie_gesprek",
            actor,
            reason=f"Gesprek op {nl_date(held_on)} tussen {escalation.gesprek_met}",
            payload={"ref": escalation.ref, "moment": _start_of(held_on).isoformat()},
        )
    return escalation


def record_escalation_commitment(
    *, actor: User, case: Case, escalation_id: int, committed_on: date | None, commitment: str, agreements: str
) -> Escalation:
    """The commitment and new agreements (within 5 working days of the talk) [ZOU 4]."""
    if not guards.may_escalate(case, actor):
        raise PermissionDenied(guards.may_escalate.reason)
    with transaction.atomic():
        case, escalation = _locked_escalation(case, escalation_id)
        if escalation.gesprek_op is None:
            raise ValidationError({"__all__": "Leg eerst het gesprek in de hiërarchische lijn vast."})
        if escalation.commitment_op is not None:
            raise ValidationError(
                {"__all__": f"Het commitment is al vastgelegd op {nl_date(escalation.commitment_op)}."}
            )
        errors: dict = {}
        _check_day(
            errors,
            "committed_on",
            committed_on,
            what="het commitment is gegeven",
            not_before=escalation.gesprek_op,
            label="het gesprek",
        )
        if not commitment.strip():
            errors["commitment"] = "Beschrijf het commitment."
        if not agreements.strip():
            errors["agreements"] = "Leg de nieuwe afspraken vast."
        if errors:
            raise ValidationError(errors)
        escalation.commitment_op = committed_on
        escalation.commitment = commitment.strip()
        escalation.nieuwe_afspraken = agreements.strip()
        escalation.commitment_by = actor
        escalation.save(update_fields=["commitment_op", "commitment", "nieuwe_afspraken", "commitment_by"])
        record_event(
            case,
            "escalatie_commitment",
            actor,
            reason=f"Commitment op {nl_date(committed_on)}: {escalation.commitment}",
            payload={"ref": escalation.ref, "moment": _start_of(committed_on).isoformat()},
        )
    return escalation
