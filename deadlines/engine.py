"""Opening and meeting deadlines, in the transaction of the timeline event that starts or meets them.

`on_case_event` is connected to `referrals.signals.case_event_recorded` (see DeadlinesConfig.ready). Per
event it costs one query for the rules and, only when a rule applies, one UPDATE for the deadlines met
and one INSERT for the deadlines opened.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from referrals.models import END_PHASES, AanmeldtafelAdvies, CaseEvent, EventKind, Jeugdige

from . import workdays
from .models import Deadline, DeadlineRule, DeadlineState, Outcome


def event_moment(event: CaseEvent) -> datetime:
    """When the step happened in the world, which is not always when it was recorded: the aanmelding
    counts from its aanmelddatum, a gesprek from when it was held."""
    if event.kind == EventKind.AANGEMELD and event.case.aanmelddatum:
        return workdays.start_of_day(event.case.aanmelddatum)
    for key in ("gehouden_op", "moment"):
        value = parse_datetime(str(event.payload.get(key, "")))
        if value is not None and value.tzinfo is not None:
            return min(value, event.at)
    return event.at


def reminder_moment(rule: DeadlineRule, due_at: datetime) -> datetime | None:
    if not rule.remind_amount:
        return None
    return workdays.before(due_at, rule.remind_amount, rule.remind_unit)


def event_ref(event: CaseEvent) -> str:
    """The payload's "ref" (an escalation or message id), as text; "" when the event has none."""
    ref = event.payload.get("ref") if isinstance(event.payload, dict) else None
    return "" if ref is None else str(ref)[:64]


def advised_hulpvorm(case) -> str:
    """The hulpvorm the aanmeldtafel advised ("" before the advice), read fresh: the advice may have been
    saved in this transaction after the case was loaded."""
    return AanmeldtafelAdvies.objects.filter(case_id=case.pk).values_list("hulpvorm", flat=True).first() or ""


def applies(rule: DeadlineRule, case, moment: datetime) -> bool:
    """The rule's conditions (data): the routes it runs on, the hulpvormen it does not (no beschikking for
    Jeugdzorgplus [HvB-STAP]), and e.g. only for youths younger than 16 on the day the clock starts."""
    if rule.routes and case.route not in rule.routes:
        return False
    if rule.excluded_hulpvormen and advised_hulpvorm(case) in rule.excluded_hulpvormen:
        return False
    if rule.max_age_at_start:
        born = case.jeugdige.geboortedatum
        if workdays.date_at_age(born, rule.max_age_at_start) <= workdays.local_date(moment):
            return False
    return True


def _lapse_excluded(case, event: CaseEvent) -> None:
    """The advice names the hulpvorm: a running or breached deadline whose rule does not apply to it (the
    beschikking for Jeugdzorgplus) lapses, instead of warning about a step that does not exist. An advice
    corrected to a hulpvorm the rule does apply to opens again what an earlier advice lapsed."""
    hulpvorm = advised_hulpvorm(case)
    lapse, reopen = [], []
    deadlines = (
        Deadline.objects.filter(case_id=case.pk)
        .select_related("rule", "met_event")
        .only("pk", "state", "rule__excluded_hulpvormen", "met_event__kind")
    )
    for d in deadlines:  # the dozen deadlines of one case
        excluded = bool(hulpvorm) and hulpvorm in d.rule.excluded_hulpvormen
        if excluded and d.state in (DeadlineState.OPEN, DeadlineState.BREACHED):
            lapse.append(d.pk)
        lapsed_by_advice = d.state == DeadlineState.LAPSED and d.met_event and d.met_event.kind == event.kind
        if lapsed_by_advice and d.rule.excluded_hulpvormen and not excluded:
            reopen.append(d.pk)
    if lapse:
        Deadline.objects.filter(pk__in=lapse).update(state=DeadlineState.LAPSED, met_event=event)
    if reopen:  # back to open; the sweep marks it breached again if it is overdue (its warning stays once)
        Deadline.objects.filter(pk__in=reopen).update(state=DeadlineState.OPEN, met_event=None)


def recompute_age_deadlines(case, event: CaseEvent) -> None:
    """The youth's birth date was corrected: the deadlines that hang on it follow. A deadline due at an age
    (the perspectiefplan at 16 and 17.5) gets the due moment of the new date (a pause still moves it; an
    extension, given with a reason, stays); one whose rule no longer applies (16 or older when its clock
    started) lapses; one that applies now and did not before is opened, or reopened when an earlier
    correction lapsed it. The sweep marks a recomputed deadline breached if it is overdue."""
    born = Jeugdige.objects.filter(pk=case.jeugdige_id).values_list("geboortedatum", flat=True).first()
    if born is None:
        return
    rules = [r for r in DeadlineRule.objects.all() if r.unit == workdays.Unit.AGE_YEARS or r.max_age_at_start]
    if not rules:
        return
    now = timezone.now()
    ended = case.phase in END_PHASES  # a closed file opens no clocks again
    existing = {
        (d.rule_id, d.start_event_id): d
        for d in Deadline.objects.filter(case_id=case.pk, rule__in=rules).select_related("met_event")
    }
    for rule in rules:
        starts = CaseEvent.objects.filter(case_id=case.pk, kind=rule.start_event).order_by("at", "pk")
        for start in starts:
            deadline = existing.get((rule.pk, start.pk))
            moment = event_moment(start)
            young_enough = not rule.max_age_at_start or workdays.date_at_age(born, rule.max_age_at_start) > (
                workdays.local_date(moment)
            )
            if deadline is None:
                if rule.active and not ended and young_enough and applies(rule, case, moment):
                    due = workdays.due_moment(moment, rule.amount, rule.unit, born=born)
                    Deadline.objects.create(
                        rule=rule,
                        case=case,
                        start_event=start,
                        started_at=moment,
                        due_at=due,
                        original_due_at=due,
                        remind_at=reminder_moment(rule, due),
                        ref=event_ref(start),
                    )
                continue
            lapsed_by_correction = (
                deadline.state == DeadlineState.LAPSED
                and deadline.met_event is not None
                and deadline.met_event.kind == EventKind.JEUGDIGE_GECORRIGEERD
            )
            reopenable = lapsed_by_correction and not ended
            if deadline.state not in (DeadlineState.OPEN, DeadlineState.BREACHED) and not reopenable:
                continue  # met, or lapsed because the case ended: history
            if not young_enough:
                if not lapsed_by_correction:
                    deadline.state, deadline.met_event = DeadlineState.LAPSED, event
                    deadline.save(update_fields=["state", "met_event"])
                continue
            fields = []
            if reopenable:
                deadline.state, deadline.met_event = DeadlineState.OPEN, None
                fields += ["state", "met_event"]
            if rule.unit == workdays.Unit.AGE_YEARS and not deadline.extended:
                due = workdays.due_moment(deadline.started_at, rule.amount, rule.unit, born=born)
                deadline.original_due_at = due
                deadline.due_at = due + deadline.paused_total
                deadline.remind_at = reminder_moment(rule, deadline.due_at)
                fields += ["due_at", "original_due_at", "remind_at"]
                if deadline.state == DeadlineState.BREACHED and deadline.due_at > now:
                    deadline.state, deadline.breached_at = DeadlineState.OPEN, None
                    fields += ["state", "breached_at"]
            if fields:
                deadline.save(update_fields=fields)


def on_case_event(sender, event: CaseEvent, **kwargs) -> None:
    if event.to_phase in END_PHASES:
        # A case that ends takes its open clocks with it: nobody is warned about a closed file. Rules
        # that outlive the case (light help after closing, reporting the stop of care) keep running.
        Deadline.objects.filter(case_id=event.case_id, state=DeadlineState.OPEN, rule__survives_case_end=False).update(
            state=DeadlineState.LAPSED, met_event=event
        )
    # The rules are a handful of rows: one query, and "also met by" (a list) is matched here. A rule switched
    # off opens no deadlines, but the deadlines it opened before are still met.
    kind = event.kind
    rules = [r for r in DeadlineRule.objects.all() if (r.active and r.start_event == kind) or r.is_met_by(kind)]
    case = event.case
    if event.kind == EventKind.ADVIES_VASTGELEGD:
        _lapse_excluded(case, event)
    if event.kind == EventKind.JEUGDIGE_GECORRIGEERD and "geboortedatum" in event.payload.get("velden", ()):
        recompute_age_deadlines(case, event)
    if not rules:
        return
    moment = event_moment(event)

    ref = event_ref(event)
    met_rule_ids = [r.pk for r in rules if r.is_met_by(event.kind)]
    if met_rule_ids:
        met = Deadline.objects.filter(
            case=case, rule_id__in=met_rule_ids, state__in=[DeadlineState.OPEN, DeadlineState.BREACHED]
        )
        # A deadline opened with a ref (several escalations or messages at once) is met only by an event
        # with the same ref; one without a ref by any meeting event, as before.
        met = met.filter(Q(ref="") | Q(ref=ref))
        # A breached deadline met afterwards is met late; its breach stays recorded.
        met.update(
            state=DeadlineState.MET,
            met_at=moment,
            met_event=event,
            outcome=models.Case(
                # While paused the clock stands still: met during a pause that began in time is on time.
                models.When(
                    paused_at__isnull=False, paused_at__lte=models.F("due_at"), then=models.Value(Outcome.ON_TIME)
                ),
                models.When(paused_at__isnull=True, due_at__gte=moment, then=models.Value(Outcome.ON_TIME)),
                default=models.Value(Outcome.LATE),
            ),
        )

    opened = []
    for rule in rules:
        if rule.start_event != event.kind or not applies(rule, case, moment):
            continue
        born = case.jeugdige.geboortedatum if rule.unit == workdays.Unit.AGE_YEARS else None
        due = workdays.due_moment(moment, rule.amount, rule.unit, born=born)
        opened.append(
            Deadline(
                rule=rule,
                case=case,
                start_event=event,
                started_at=moment,
                due_at=due,
                original_due_at=due,
                remind_at=reminder_moment(rule, due),
                ref=ref,
            )
        )
    if opened:
        Deadline.objects.bulk_create(opened, ignore_conflicts=True)
