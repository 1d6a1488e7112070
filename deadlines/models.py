"""Deadline rules (data, edited in the admin) and the deadlines they open on cases.

A rule says which timeline event starts its clock, how long it runs and which event meets it. The
deadline engine (deadlines.receivers) opens and meets deadlines in the transaction of the event; the
sweep (deadlines.sweep) marks breaches and warns, once, through a unique constraint.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from referrals.models import Case, CaseEvent, EventKind, Hulpvorm, Route

from .workdays import Unit, day_text


class DurationUnit(models.TextChoices):
    DAYS = Unit.DAYS, "kalenderdagen"
    WEEKS = Unit.WEEKS, "weken"
    MONTHS = Unit.MONTHS, "maanden"
    WORKING_DAYS = Unit.WORKING_DAYS, "werkdagen"
    AGE_YEARS = Unit.AGE_YEARS, "leeftijd (aantal in maanden, 192 = 16 jaar)"


class ReminderUnit(models.TextChoices):
    DAYS = Unit.DAYS, "kalenderdagen"
    WEEKS = Unit.WEEKS, "weken"
    WORKING_DAYS = Unit.WORKING_DAYS, "werkdagen"


VERWIJZER = "verwijzer"
COORDINATOR = "coordinator"
# Who is warned: a role (for 'regievoerder': the regievoerders of the case's regie organisation; for a
# gemeente's backoffice: that gemeente's and the gastheergemeente's, through which all messages run) or the
# verwijzer or the coördinator of the case.
# The functioneel beheerder keeps configuration and sees no cases: never warned about one.
WARN_CHOICES = [
    *((value, label) for value, label in Role.choices if value != Role.FUNCTIONEEL_BEHEERDER),
    (VERWIJZER, "Verwijzer van de casus"),
    (COORDINATOR, "Coördinator van de casus"),
]
# Targets that name one person on the case, not everyone of a role.
PERSON_TARGETS = {VERWIJZER: "verwijzer_user_id", COORDINATOR: "coordinator_id"}
WARN_TARGETS = dict(WARN_CHOICES)


class DeadlineRule(models.Model):
    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("naam", max_length=200)
    start_event = models.CharField("klok start bij", max_length=40, choices=EventKind.choices)
    met_by_event = models.CharField("voldaan door", max_length=40, choices=EventKind.choices)
    amount = models.PositiveIntegerField("termijn (aantal)")
    unit = models.CharField("eenheid", max_length=20, choices=DurationUnit.choices)
    remind_amount = models.PositiveIntegerField("herinnering vooraf (aantal)", default=0)
    remind_unit = models.CharField(
        "herinnering vooraf (eenheid)", max_length=20, choices=ReminderUnit.choices, default=ReminderUnit.DAYS
    )
    also_met_by = models.JSONField(
        "ook voldaan door",
        default=list,
        blank=True,
        help_text="Andere gebeurtenissen die de termijn ook voldoen (bijvoorbeeld de FOA bij lichte hulp).",
    )
    # Who meets the deadline is warned before and after its due day, and may pause or extend it; the
    # others named are warned too: before (the reminder) and after (the breach) separately.
    warn = models.CharField("verantwoordelijk (gewaarschuwd vooraf en na)", max_length=30, choices=WARN_CHOICES)
    also_remind = models.JSONField("herinnering vooraf ook aan", default=list, blank=True)
    also_warn_on_breach = models.JSONField("bij verstrijken ook gewaarschuwd", default=list, blank=True)
    routes = models.JSONField(
        "alleen bij de verwijsroutes", default=list, blank=True, help_text="Leeg: bij elke verwijsroute."
    )
    excluded_hulpvormen = models.JSONField(
        "niet bij de hulpvorm",
        default=list,
        blank=True,
        help_text="Bijvoorbeeld behandelverblijf gesloten (Jeugdzorgplus, 43A12): daar is geen beschikking.",
    )
    # Conditions, as data: a rule may apply only to youths younger than an age on the day its clock
    # starts (the perspectiefplan: in care before the 16th birthday), and may outlive the case (light
    # help after closing, the JW307 after care stopped) instead of lapsing when the case ends.
    max_age_at_start = models.PositiveIntegerField(
        "alleen als de jeugdige bij de start jonger is dan (leeftijd in maanden)",
        null=True,
        blank=True,
        help_text="Bijvoorbeeld 192 = alleen voor jeugdigen die bij de start nog geen 16 zijn. Leeg: altijd.",
    )
    survives_case_end = models.BooleanField(
        "loopt door na het einde van de casus",
        default=False,
        help_text="Aan: de termijn vervalt niet als de casus wordt afgesloten of terugverwezen.",
    )
    active = models.BooleanField("actief", default=True)
    source = models.CharField("bron", max_length=200, blank=True)

    class Meta:
        verbose_name = "termijnregel"
        verbose_name_plural = "termijnregels"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deadline_rule_positive_amount"),
        ]

    def __str__(self):
        return self.name

    def is_met_by(self, kind: str) -> bool:
        return kind == self.met_by_event or kind in self.also_met_by

    @property
    def meeting_events(self) -> list[str]:
        return [self.met_by_event, *(k for k in self.also_met_by if k != self.met_by_event)]

    def reminded(self) -> list[str]:
        """Who gets the reminder before the due day: the one who meets it first."""
        return list(dict.fromkeys([self.warn, *self.also_remind]))

    def warned_on_breach(self) -> list[str]:
        return list(dict.fromkeys([self.warn, *self.also_warn_on_breach]))

    def targets(self) -> list[str]:
        """Everyone the rule warns, before or after: they may pause and extend its deadlines."""
        return list(dict.fromkeys([*self.reminded(), *self.warned_on_breach()]))

    def warned(self, kind: str) -> list[str]:
        return self.warned_on_breach() if kind == WarningKind.BREACH else self.reminded()

    @property
    def conditions_text(self) -> str:
        parts = []
        if self.routes:
            parts.append("alleen bij " + ", ".join(Route(r).label for r in self.routes if r in Route.values))
        if self.excluded_hulpvormen:
            labels = (Hulpvorm(h).label.lower() for h in self.excluded_hulpvormen if h in Hulpvorm.values)
            parts.append("niet bij " + ", ".join(labels))
        if self.max_age_at_start:
            years, months = divmod(self.max_age_at_start, 12)
            parts.append(f"jonger dan {years} jaar" + (f" en {months} maanden" if months else "") + " bij de start")
        return "; ".join(parts)

    @property
    def counts_working_days(self) -> bool:
        return self.unit == Unit.WORKING_DAYS

    @property
    def duration_text(self) -> str:
        if self.unit == Unit.AGE_YEARS:
            years, months = divmod(self.amount, 12)
            return f"tot de leeftijd van {years} jaar" + (f" en {months} maanden" if months else "")
        return f"{self.amount} {self.get_unit_display()}"


class DeadlineRuleChange(models.Model):
    """One change of a rule by the functioneel beheerder: what changed (field: [old, new]), why, by whom. A
    change counts for deadlines opened after it; a deadline already running keeps its due moment."""

    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField("moment")
    reason = models.TextField("reden")
    changes = models.JSONField("wijzigingen", default=dict)

    class Meta:
        verbose_name = "wijziging van een termijnregel"
        verbose_name_plural = "wijzigingen van termijnregels"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.rule.code}: {self.changed_at:%Y-%m-%d %H:%M}"


# How an explanation names the event that started the clock ("Gestart door aanmelding op ...").
START_NOUNS = {
    EventKind.AANGEMELD: "aanmelding",
    EventKind.AANMELDGESPREK_GEHOUDEN: "het aanmeldgesprek",
    EventKind.HULPVERLENING_GESTART: "de start van de hulpverlening",
    EventKind.ZORG_GESTART: "de start van de jeugdhulp",
    EventKind.ZORG_GESTOPT: "het stoppen van de jeugdhulp",
    EventKind.ESCALATIE_GEOPEND: "de escalatie",
    EventKind.ESCALATIE_GESPREK: "het escalatiegesprek",
    EventKind.JW315_ONTVANGEN: "ontvangst van het verzoek om toewijzing (JW315)",
    EventKind.JW317_ONTVANGEN: "ontvangst van het verzoek om wijziging (JW317)",
    EventKind.JW317_IN_ONDERZOEK: "het antwoord 'in onderzoek' op het verzoek om wijziging (JW317)",
    EventKind.BERICHT_ONTVANGEN: "ontvangst van een iJw-bericht",
    EventKind.LICHTE_HULP_DOORLOPEND: "de afsluiting met doorlopende lichte hulp",
}


class DeadlineState(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Voldaan"
    BREACHED = "breached", "Verstreken"
    LAPSED = "lapsed", "Vervallen"  # the case ended (terugverwezen, afgesloten) before the deadline was met


class Outcome(models.TextChoices):
    ON_TIME = "on_time", "op tijd"
    LATE = "late", "te laat"


class DeadlineQuerySet(models.QuerySet):
    def running(self):
        """Open and not paused: the clock is ticking."""
        return self.filter(state=DeadlineState.OPEN, paused_at__isnull=True)


class Deadline(models.Model):
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    start_event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="+", null=True)
    met_event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    started_at = models.DateTimeField("gestart op")
    due_at = models.DateTimeField("uiterlijk", db_index=True)
    original_due_at = models.DateTimeField("oorspronkelijk uiterlijk")
    remind_at = models.DateTimeField("herinneren vanaf", null=True, blank=True)
    met_at = models.DateTimeField("voldaan op", null=True, blank=True)
    breached_at = models.DateTimeField("verstreken op", null=True, blank=True)
    state = models.CharField("status", max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    outcome = models.CharField("uitkomst", max_length=10, choices=Outcome.choices, blank=True)
    paused_at = models.DateTimeField("opgeschort sinds", null=True, blank=True)
    pause_reason = models.TextField("reden opschorting", blank=True)
    paused_total = models.DurationField("totaal opgeschort", default=timedelta)
    extended = models.BooleanField("verlengd", default=False)
    extension_reason = models.TextField("reden verlenging", blank=True)
    # The "ref" of the start event's payload (an escalation or message id): only a meeting event with
    # the same ref meets this deadline, so several escalations or messages can run at once.
    ref = models.CharField("kenmerk", max_length=64, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "termijn"
        verbose_name_plural = "termijnen"
        ordering = ["due_at"]
        constraints = [
            # An event opens each rule once, however often the receiver runs.
            models.UniqueConstraint(fields=["rule", "case", "start_event"], name="deadline_once_per_start"),
            models.CheckConstraint(
                condition=Q(state=DeadlineState.MET, met_at__isnull=False) & ~Q(outcome="")
                | ~Q(state=DeadlineState.MET) & Q(met_at__isnull=True, outcome=""),
                name="deadline_met_has_moment_and_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state=DeadlineState.BREACHED) | Q(breached_at__isnull=False),
                name="deadline_breached_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["state", "remind_at"])]

    def __str__(self):
        return f"{self.rule.name} ({self.case.reference})"

    @property
    def is_open(self) -> bool:
        return self.state == DeadlineState.OPEN

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def explanation(self) -> str:
        """Why this deadline exists and what ends it, in Dutch (uses start_event__actor: select it)."""
        start = "Gestart"
        if self.start_event_id:
            what = START_NOUNS.get(self.start_event.kind) or f"'{self.start_event.get_kind_display().lower()}'"
            start = f"Gestart door {what} op {day_text(self.started_at)}"
            actor = self.start_event.actor
            if actor is not None:
                start += f" door {actor.get_full_name() or actor.username}"
        else:
            start += f" op {day_text(self.started_at)}"
        if self.ref:
            start += f" (kenmerk {self.ref})"
        met_by = " of ".join(EventKind(k).label.lower() for k in self.rule.meeting_events if k in EventKind.values)
        text = f"{start}; voldaan door: {met_by}"
        if self.ref:
            text += f" met kenmerk {self.ref}"
        if self.paused_total:
            text += f". Opgeschort geweest: {_days_text(self.paused_total)}; de uiterste datum schoof mee"
        if self.extended:
            text += f". Verlengd tot {day_text(self.due_at)}: {self.extension_reason}"
        if self.paused_at:
            text += f". Opgeschort sinds {day_text(self.paused_at)}: {self.pause_reason}"
        return text


def _days_text(length: timedelta) -> str:
    days = round(length.total_seconds() / 86400)
    if days < 1:
        return "minder dan een dag"
    return "1 dag" if days == 1 else f"{days} dagen"


class WarningKind(models.TextChoices):
    REMINDER = "reminder", "Herinnering"
    BREACH = "breach", "Termijn verstreken"


class DeadlineWarning(models.Model):
    """One row per warning given. The unique constraint makes a second warning of a kind impossible,
    however often and on however many workers the sweep runs."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField("soort", max_length=10, choices=WarningKind.choices)
    created_at = models.DateTimeField("moment")
    # The sweep run that inserted the row: tells a run which rows it won (bulk_create with
    # ignore_conflicts does not say), so only those are notified and mailed.
    sweep_run = models.UUIDField(db_index=True)

    class Meta:
        verbose_name = "waarschuwing"
        verbose_name_plural = "waarschuwingen"
        constraints = [models.UniqueConstraint(fields=["deadline", "kind"], name="deadline_warning_once")]


class Notification(models.Model):
    """An in-app message to one user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    text = models.TextField("bericht")
    created_at = models.DateTimeField("moment")
    read_at = models.DateTimeField("gelezen op", null=True, blank=True)

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]


class DashboardTally(models.Model):
    """Counts behind the managers' dashboard, kept by PostgreSQL triggers (migration 0008, ADR 0015).

    Every statement that inserts, changes or deletes deadlines adds rows here with what it changed: +1 for
    each fact of a new row, -1 for each fact of an old one. A fact is a deadline's contribution to a
    figure, by rule and its case's gemeente and regievoerende partner: 'settled' (met or breached, by month
    of the settle moment, with how many on time), 'lead', 'lead_g' and 'lead_p' (a lead time met, by month
    and days taken: per gemeente and partner, per gemeente, per partner) and 'open' and 'breached' (the
    current state, by the case's stage: 0 concept, 1 open, 2 ended). The dashboard adds the rows up; a
    nightly task folds them into one row per key (deadlines_dashboard_compact()). Not used on other
    databases (the demo's SQLite), where the dashboard counts the deadlines themselves."""

    kind = models.CharField(max_length=10)
    rule_id = models.IntegerField()
    gemeente_id = models.IntegerField(null=True)
    partner_id = models.IntegerField(null=True)
    stage = models.SmallIntegerField(null=True)
    month = models.DateField(null=True)
    days = models.IntegerField(null=True)
    n = models.IntegerField()
    on_time = models.IntegerField(default=0)

    class Meta:
        verbose_name = "dashboardtelling"
        verbose_name_plural = "dashboardtellingen"
        indexes = [
            models.Index(fields=["kind", "month"], name="dashboard_tally_kind_month"),
            models.Index(fields=["gemeente_id", "kind"], name="dashboard_tally_gemeente"),
            models.Index(fields=["partner_id", "kind"], name="dashboard_tally_partner"),
        ]
