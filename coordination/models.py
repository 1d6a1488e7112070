"""Coordination by the Toegang: the level machine (DOMAIN.md section 5), the joint decisions behind each
change, consent per subject with withdrawal (section 9), what was shared, and escalations (section 7).

The level changes only through the transitions of `Coordination`, and only `coordination.services`
fires them (with the timeline event and the decision record in the same transaction)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from referrals.models import Case

from . import guards


class ConsentSubject(models.TextChoices):
    COORDINATIE = "coordinatie", "Coördinatie aanvragen bij de Toegang"
    IPVA_DELEN = "ipva_delen", "IPVA delen met de regievoerder"
    WAT_ADVIES_DELEN = "wat_advies_delen", "WAT-brief en adviesverslag delen met de coördinator"


class ConsentGiver(models.TextChoices):
    OUDERS = "ouders", "Ouders / wettelijk vertegenwoordigers"
    OUDERS_EN_JEUGDIGE = "ouders_en_jeugdige", "Ouders en jeugdige"
    JEUGDIGE = "jeugdige", "Jeugdige"


def required_consent_giver(age: int) -> str:
    """Who consents, by the youth's age on the day (WGBO / Jeugdwet, DOMAIN.md section 9)."""
    if age < 12:
        return ConsentGiver.OUDERS
    if age < 16:
        return ConsentGiver.OUDERS_EN_JEUGDIGE
    return ConsentGiver.JEUGDIGE


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    subject = models.CharField("waarvoor", max_length=30, choices=ConsentSubject.choices)
    given_by = models.CharField("gegeven door", max_length=30, choices=ConsentGiver.choices)
    given_on = models.DateField("gegeven op")
    toelichting = models.CharField("toelichting", max_length=300, blank=True)
    withdrawn_on = models.DateField("ingetrokken op", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField("reden intrekking", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            # One consent per subject holds at a time; a new one follows a withdrawal.
            models.UniqueConstraint(
                fields=["case", "subject"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_active_consent_per_subject",
            ),
        ]

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class Sharing(models.Model):
    """A record that information was shared, under the consent that allowed it [HvB-QA 9]."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sharings")
    subject = models.CharField("wat", max_length=30, choices=ConsentSubject.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="sharings")
    shared_with = models.CharField("gedeeld met", max_length=200)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField("gedeeld op")

    class Meta:
        verbose_name = "gedeelde informatie"
        verbose_name_plural = "gedeelde informatie"
        ordering = ["-shared_at"]


# --- Coordination level ------------------------------------------------------------------------------


class Level(models.TextChoices):
    GEEN = "geen", "Geen coördinatie"
    AANGEVRAAGD = "aangevraagd", "Aangevraagd bij de Toegang"
    LICHT = "licht", "Coördinatie licht"
    ZWAAR = "zwaar", "Coördinatie zwaar"
    AFGESLOTEN = "afgesloten", "Coördinatie afgesloten"


class OpschaalReden(models.TextChoices):
    """Reasons to scale up to coördinatie zwaar [HvB-WI 2.2.1]."""

    VEILIGHEIDSRISICO = "veiligheidsrisico", "Toegenomen, aantoonbaar veiligheidsrisico"
    VEILIG_THUIS = "veilig_thuis", "Opdracht van Veilig Thuis"
    LANGDURIG_INTENSIEF = "langdurig_intensief", "Langdurige intensieve zorg"
    DOMEINOVERSTIJGEND = "domeinoverstijgend", "Domeinoverstijgende interventies nodig"
    GEDWONGEN_KADER = "gedwongen_kader", "Risico op het gedwongen kader"


class AfschaalIndicator(models.TextChoices):
    """Indicators to scale down to coördinatie licht [HvB-WI 2.2.2]."""

    STRUCTUREEL_VEILIG = (
        "structureel_veilig",
        "6 maanden aaneengesloten structureel veilig, met eigen regie en draagkracht en draaglast in balans",
    )
    POSITIEVE_ONTWIKKELING = "positieve_ontwikkeling", "Positieve ontwikkeling of perspectief op herstel"
    GRIP_OP_DOMEINEN = "grip_op_domeinen", "Voldoende grip op de problemen op andere leefgebieden"


class DecisionKind(models.TextChoices):
    STANDAARD = "standaard", "Verwijzer is standaard coördinator licht"
    VASTGESTELD = "vastgesteld", "Niveau vastgesteld"
    OPGESCHAALD = "opgeschaald", "Opgeschaald"
    AFGESCHAALD = "afgeschaald", "Afgeschaald"
    AFGESLOTEN = "afgesloten", "Coördinatie afgesloten"


class Coordination(ConcurrentTransitionMixin, models.Model):
    """The coordination level of one case. Made on first use; a case without one has level `geen`."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="coordination")
    level = FSMField("coördinatieniveau", default=Level.GEEN, choices=Level.choices, protected=True)
    besloten_op = models.DateField("niveau gezamenlijk besloten op", null=True, blank=True)
    veilig_sinds = models.DateField("structureel veilig sinds", null=True, blank=True)
    afgesloten_op = models.DateField("afgesloten op", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "coördinatie"
        verbose_name_plural = "coördinaties"
        permissions = [
            ("aanvragen", "Coördinatie aanvragen bij de Toegang"),
            ("toewijzen", "Coördinator toewijzen"),
            ("vaststellen", "Coördinatieniveau vaststellen"),
            ("opschalen", "Opschalen naar coördinatie zwaar"),
            ("afschalen", "Afschalen naar coördinatie licht"),
            ("afsluiten", "Coördinatie afsluiten"),
            ("record_consent", "Toestemming vastleggen en intrekken"),
            ("delen", "Informatie delen na toestemming"),
            ("escaleren", "Escalatie openen en vastleggen"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="afgesloten") | Q(afgesloten_op__isnull=False), name="coordination_closed_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.get_level_display()}"

    # --- Transitions. Pure state changes: the services check input, write the decision and the timeline. ---

    @transition(
        field=level,
        source=Level.GEEN,
        target=Level.AANGEVRAAGD,
        conditions=[guards.casus_open, guards.niet_route_toegang, guards.toestemming_coordinatie],
        permission=guards.may_aanvragen,
        custom={
            "label": "Coördinatie aanvragen bij de Toegang",
            "event": "coordinatie_aangevraagd",
        },
    )
    def aanvragen(self):
        pass

    @transition(
        field=level,
        source=Level.GEEN,
        target=Level.LICHT,
        conditions=[guards.casus_open, guards.route_toegang, guards.coordinator_toegewezen],
        permission=guards.is_verwijzer,
        custom={
            "label": "Verwijzer wordt coördinator licht",
            "event": "coordinatie_vastgesteld",
            "automatic": True,
        },
    )
    def standaard_licht(self):
        pass

    @transition(
        field=level,
        source=[Level.GEEN, Level.AANGEVRAAGD, Level.LICHT],
        target=Level.LICHT,
        conditions=[guards.casus_open, guards.coordinator_toegewezen, guards.niveau_nog_niet_besloten],
        permission=guards.may_vaststellen,
        custom={
            "label": "Vaststellen: coördinatie licht",
            "event": "coordinatie_vastgesteld",
            "decision": DecisionKind.VASTGESTELD,
        },
    )
    def vaststellen_licht(self, *, day: date):
        self.besloten_op = day

    @transition(
        field=level,
        source=[Level.GEEN, Level.AANGEVRAAGD, Level.LICHT],
        target=Level.ZWAAR,
        conditions=[guards.casus_open, guards.coordinator_toegewezen, guards.niveau_nog_niet_besloten],
        permission=guards.may_vaststellen,
        custom={
            "label": "Vaststellen: coördinatie zwaar",
            "event": "coordinatie_vastgesteld",
            "decision": DecisionKind.VASTGESTELD,
        },
    )
    def vaststellen_zwaar(self, *, day: date):
        self.besloten_op = day

    @transition(
        field=level,
        source=Level.LICHT,
        target=Level.ZWAAR,
        conditions=[guards.casus_open, guards.coordinator_toegewezen],
        permission=guards.may_opschalen,
        custom={
            "label": "Opschalen naar coördinatie zwaar",
            "event": "opgeschaald",
            "decision": DecisionKind.OPGESCHAALD,
        },
    )
    def opschalen(self, *, day: date):
        self.besloten_op = day
        self.veilig_sinds = None  # the safety risk grew: a new safe period starts later

    @transition(
        field=level,
        source=Level.ZWAAR,
        target=Level.LICHT,
        conditions=[guards.casus_open, guards.coordinator_toegewezen],
        permission=guards.may_afschalen,
        custom={
            "label": "Afschalen naar coördinatie licht",
            "event": "afgeschaald",
            "decision": DecisionKind.AFGESCHAALD,
        },
    )
    def afschalen(self, *, day: date, veilig_sinds: date | None):
        self.besloten_op = day
        self.veilig_sinds = veilig_sinds

    @transition(
        field=level,
        source=[Level.LICHT, Level.ZWAAR],
        target=Level.AFGESLOTEN,
        conditions=[guards.coordinator_bij_eindevaluatie, guards.zwaar_zes_maanden_veilig],
        permission=guards.may_afsluiten,
        custom={
            "label": "Coördinatie afsluiten",
            "event": "coordinatie_afgesloten",
            "decision": DecisionKind.AFGESLOTEN,
        },
    )
    def afsluiten(self, *, day: date):
        self.afgesloten_op = day


class Decision(models.Model):
    """A joint decision about the level: who decided, when, why [HvB-WI 1.1, 2.2.1, 2.2.2, 3]."""

    coordination = models.ForeignKey(Coordination, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField("besluit", max_length=20, choices=DecisionKind.choices)
    from_level = models.CharField("van", max_length=20, choices=Level.choices)
    to_level = models.CharField("naar", max_length=20, choices=Level.choices)
    decided_on = models.DateField("besloten op")
    met_coordinator = models.BooleanField("coördinator", default=False)
    met_gedragswetenschapper = models.BooleanField("gedragswetenschapper Toegang", default=False)
    met_regievoerder = models.BooleanField("regievoerder", default=False)
    met_crossroads = models.BooleanField("Crossroads", default=False)
    redenen = models.JSONField("redenen voor opschalen", default=list, blank=True)
    indicatoren = models.JSONField("indicatoren voor afschalen", default=list, blank=True)
    veilig_sinds = models.DateField("structureel veilig sinds", null=True, blank=True)
    toelichting = models.TextField("toelichting", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "besluit over de coördinatie"
        verbose_name_plural = "besluiten over de coördinatie"
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["opgeschaald", "afgeschaald"])
                | Q(met_coordinator=True, met_gedragswetenschapper=True, met_regievoerder=True),
                name="decision_scaling_is_joint",
            ),
            models.CheckConstraint(
                condition=~Q(kind="vastgesteld") | Q(met_gedragswetenschapper=True, met_crossroads=True),
                name="decision_vaststellen_is_joint",
            ),
        ]

    @property
    def reden_labels(self) -> list[str]:
        return [OpschaalReden(r).label for r in self.redenen if r in OpschaalReden.values]

    @property
    def indicator_labels(self) -> list[str]:
        return [AfschaalIndicator(i).label for i in self.indicatoren if i in AfschaalIndicator.values]

    @property
    def deelnemers(self) -> list[str]:
        names = [
            ("coördinator", self.met_coordinator),
            ("gedragswetenschapper Toegang", self.met_gedragswetenschapper),
            ("regievoerder", self.met_regievoerder),
            ("Crossroads", self.met_crossroads),
        ]
        return [n for n, present in names if present]


# --- Escalation --------------------------------------------------------------------------------------


class EscalationKind(models.TextChoices):
    PROCES = "proces", "Procesescalatie (hiërarchische lijn)"
    INHOUD = "inhoud", "Inhoudelijke escalatie (RET)"


class EscalationSide(models.TextChoices):
    TOEGANG = "toegang", "Toegang"
    CROSSROADS = "crossroads", "Crossroads"


class EscalationTopic(models.TextChoices):
    URGENTIE = "urgentie", "Urgentie"
    GEADVISEERDE_ZORG = "geadviseerde_zorg", "Geadviseerde zorg"
    AFSPRAKEN = "afspraken", "Afspraken"
    ANDERS = "anders", "Anders"


class RetCriterion(models.TextChoices):
    """When the regional expertise team is asked in: the RET when Crossroads and the Toegang cannot agree
    [HvB-S1], on the criteria a-j of the regional doorbraakteam, in that order [ZOU 4]."""

    GEEN_LOKALE_OPLOSSING = "geen_lokale_oplossing", "Geen lokale oplossing"
    VRAAG_GERICHT_OP_JEUGDIGE = (
        "vraag_gericht_op_jeugdige",
        "De ondersteuningsvraag van het gezin richt zich op de jeugdige",
    )
    URGENT_GEEN_CRISIS = "urgent_geen_crisis", "Urgent, maar geen crisis"
    VRIJWILLIG_KADER = "vrijwillig_kader", "De ondersteuningsvraag ligt binnen het vrijwillig kader"
    MEERDERE_AANBIEDERS = "meerdere_aanbieders", "Meerdere aanbieders nodig"
    THUISZITTER = "thuiszitter", "(Dreigende) thuiszitter"
    DOORPLAATSING = "doorplaatsing", "(Mogelijke) doorplaatsing"
    UITHUISPLAATSING = "uithuisplaatsing", "(Mogelijke) uithuisplaatsing"
    LANGE_HISTORIE = "lange_historie", "Lange hulpverleningshistorie en opnieuw geen passende plek"
    OVERBRUGGINGSZORG = "overbruggingszorg", "Overbruggingszorg nodig"


class EscalationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(commitment_op__isnull=True)


class Escalation(models.Model):
    """A disagreement between coördinator and regievoerder, escalated in each one's own line [HvB-QA 4]:
    a talk in the hierarchical lines within 2 weeks, commitment within 5 working days after it [ZOU 4]."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="escalations")
    kind = models.CharField("soort escalatie", max_length=10, choices=EscalationKind.choices)
    side = models.CharField("ingebracht door", max_length=20, choices=EscalationSide.choices)
    topic = models.CharField("waarover", max_length=20, choices=EscalationTopic.choices)
    description = models.TextField("omschrijving")
    ret_criteria = models.JSONField("criteria RET", default=list, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField("geopend op")
    opened_at = models.DateTimeField("geopend")
    gesprek_op = models.DateField("gesprek gehouden op", null=True, blank=True)
    gesprek_met = models.CharField("gesprek tussen", max_length=300, blank=True)
    gesprek_verslag = models.TextField("verslag van het gesprek", blank=True)
    gesprek_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commitment_op = models.DateField("commitment op", null=True, blank=True)
    commitment = models.TextField("commitment", blank=True)
    nieuwe_afspraken = models.TextField("nieuwe afspraken", blank=True)
    commitment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = "escalatie"
        verbose_name_plural = "escalaties"
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gesprek_op__isnull=True) | Q(gesprek_op__gte=models.F("opened_on")),
                name="escalation_talk_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(commitment_op__isnull=True)
                | (Q(gesprek_op__isnull=False) & Q(commitment_op__gte=models.F("gesprek_op"))),
                name="escalation_commitment_after_talk",
            ),
        ]

    @property
    def ref(self) -> str:
        """What pairs this escalation's timeline events (the deadline engine matches on it)."""
        return str(self.pk)

    @property
    def state(self) -> str:
        if self.commitment_op:
            return "afgerond"
        if self.gesprek_op:
            return "wacht_op_commitment"
        return "wacht_op_gesprek"

    @property
    def state_label(self) -> str:
        return {
            "afgerond": "Afgerond: commitment vastgelegd",
            "wacht_op_commitment": "Gesprek gehouden, wacht op commitment",
            "wacht_op_gesprek": "Wacht op gesprek in de hiërarchische lijn",
        }[self.state]

    @property
    def criteria_labels(self) -> list[str]:
        return [RetCriterion(c).label for c in self.ret_criteria if c in RetCriterion.values]
