"""Escalation: coördinator and regievoerder disagree; the escalation, the talk between the hierarchical
lines and the commitment that follows [HvB-QA 4, ZOU 4]."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from referrals.dates import nl_date
from referrals.models import OPEN_PHASES, Case
from referrals.services import record_event

from .. import guards
from ..models import Escalation, EscalationKind, EscalationSide, EscalationTopic, RetCriterion
from .common import check_day, locked, start_of


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
        case = locked(case)
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
    case = locked(case)
    escalation = Escalation.objects.select_for_update().filter(case=case, pk=escalation_id).first()
    if escalation is None:
        raise ValidationError({"__all__": "Deze escalatie hoort niet bij deze casus."})
    return case, escalation


@dataclass(frozen=True)
class _Step:
    """One step recorded on an open escalation, as data: its date, its texts and its timeline event."""

    day_field: str  # the date's input (and error key)
    day_what: str  # "Vul de datum in waarop ..."
    day_attr: str  # the escalation's field for the date; set once the step is recorded
    by_attr: str  # who recorded it
    after_attr: str  # the step cannot be dated before this date of the escalation
    after_label: str
    texts: tuple  # (input, the escalation's field, the message when left empty)
    done: str  # the refusal when the step is recorded already ({day}: its date)
    reason: str  # the timeline's reason ({day}: the date, {text}: the first text)
    event: str
    needs_attr: str = ""  # a date of the escalation that must be there first
    needs: str = ""  # the refusal without it


TALK = _Step(
    day_field="held_on",
    day_what="het gesprek is gehouden",
    day_attr="gesprek_op",
    by_attr="gesprek_by",
    after_attr="opened_on",
    after_label="de escalatie",
    texts=(
        ("participants", "gesprek_met", "Vul in wie het gesprek in de hiërarchische lijn voerden."),
        ("summary", "gesprek_verslag", "Vat het gesprek samen."),
    ),
    done="Het gesprek is al vastgelegd (gehouden op {day}).",
    reason="Gesprek op {day} tussen {text}",
    event="escalatie_gesprek",
)
COMMITMENT = _Step(
    day_field="committed_on",
    day_what="het commitment is gegeven",
    day_attr="commitment_op",
    by_attr="commitment_by",
    after_attr="gesprek_op",
    after_label="het gesprek",
    texts=(
        ("commitment", "commitment", "Beschrijf het commitment."),
        ("agreements", "nieuwe_afspraken", "Leg de nieuwe afspraken vast."),
    ),
    done="Het commitment is al vastgelegd op {day}.",
    reason="Commitment op {day}: {text}",
    event="escalatie_commitment",
    needs_attr="gesprek_op",
    needs="Leg eerst het gesprek in de hiërarchische lijn vast.",
)


def record_escalation_step(
    *, actor: User, case: Case, escalation_id: int, step: _Step, day: date | None, texts: dict[str, str]
) -> Escalation:
    """Record one step of the escalation (TALK or COMMITMENT), once, after the one before it [ZOU 4]."""
    if not guards.may_escalate(case, actor):
        raise PermissionDenied(guards.may_escalate.reason)
    with transaction.atomic():
        case, escalation = _locked_escalation(case, escalation_id)
        if step.needs_attr and getattr(escalation, step.needs_attr) is None:
            raise ValidationError({"__all__": step.needs})
        if getattr(escalation, step.day_attr) is not None:
            raise ValidationError({"__all__": step.done.format(day=nl_date(getattr(escalation, step.day_attr)))})
        errors: dict = {}
        after = getattr(escalation, step.after_attr)
        check_day(errors, step.day_field, day, what=step.day_what, not_before=after, label=step.after_label)
        for name, _, empty in step.texts:
            if not texts[name].strip():
                errors[name] = empty
        if errors:
            raise ValidationError(errors)
        setattr(escalation, step.day_attr, day)
        for name, attr, _ in step.texts:
            setattr(escalation, attr, texts[name].strip())
        setattr(escalation, step.by_attr, actor)
        escalation.save(update_fields=[step.day_attr, *(attr for _, attr, _ in step.texts), step.by_attr])
        first_text = getattr(escalation, step.texts[0][1])
        record_event(
            case,
            step.event,
            actor,
            reason=step.reason.format(day=nl_date(day), text=first_text),
            payload={"ref": escalation.ref, "moment": start_of(day).isoformat()},
        )
    return escalation


def record_escalation_talk(
    *, actor: User, case: Case, escalation_id: int, held_on: date | None, participants: str, summary: str
) -> Escalation:
    """The talk between the hierarchical lines (within 2 weeks of the escalation) [ZOU 4]."""
    texts = {"participants": participants, "summary": summary}
    return record_escalation_step(
        actor=actor, case=case, escalation_id=escalation_id, step=TALK, day=held_on, texts=texts
    )


def record_escalation_commitment(
    *, actor: User, case: Case, escalation_id: int, committed_on: date | None, commitment: str, agreements: str
) -> Escalation:
    """The commitment and new agreements (within 5 working days of the talk) [ZOU 4]."""
    texts = {"commitment": commitment, "agreements": agreements}
    return record_escalation_step(
        actor=actor, case=case, escalation_id=escalation_id, step=COMMITMENT, day=committed_on, texts=texts
    )
