"""The youth, the family and the case with its phase machine, and the choices they use."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import UserObjectPermissionBase

from accounts.models import Organisation
from common.landen import LANDEN

from .. import guards
from ..bsn import mask_bsn


class BsnStatus(models.TextChoices):
    NORMAAL = "normaal", "BSN bekend"
    GEEN_BSN = "geen_bsn", "Geen BSN"
    ONGEBOREN = "ongeboren", "Ongeboren (zorg op BSN van de moeder)"
    GEHEIM = "geheim", "Geheim BSN"


class Geslacht(models.TextChoices):
    # The iJw code list COD046 uses 0, 1, 2 and 9.
    ONBEKEND = "0", "Onbekend"
    MAN = "1", "Man"
    VROUW = "2", "Vrouw"
    NIET_GESPECIFICEERD = "9", "Niet gespecificeerd"


class Segment(models.TextChoices):
    SEGMENT_1 = "1", "Segment 1"
    SEGMENT_2 = "2", "Segment 2"
    SEGMENT_3 = "3", "Segment 3"
    SEGMENT_4 = "4", "Segment 4"


class Route(models.TextChoices):
    TOEGANG = "toegang", "Toegang (gemeente)"
    MEDISCH_DOMEIN = "medisch_domein", "Medisch domein"
    GI = "gi", "Gecertificeerde instelling"
    OVERGANGSCLIENT = "overgangsclient", "Overgangscliënt"
    LTA = "lta", "LTA"


class VerwijzerType(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente (Toegang)"
    HUISARTS = "huisarts", "Huisarts"
    JEUGDARTS = "jeugdarts", "Jeugdarts"
    MEDISCH_SPECIALIST = "medisch_specialist", "Medisch specialist"
    GGD_JEUGDARTS_COA = "ggd_jeugdarts_coa", "GGD-jeugdarts (COA)"
    GI_JBB = "gi_jbb", "GI: Jeugdbescherming Brabant"
    GI_LEGER_DES_HEILS = "gi_ldh", "GI: Leger des Heils"
    GI_WSG = "gi_wsg", "GI: William Schrikker Groep"
    GI_ANDERS = "gi_anders", "Andere GI"


ROUTE_VERWIJZERS = {
    Route.TOEGANG: {VerwijzerType.GEMEENTE},
    Route.LTA: {VerwijzerType.GEMEENTE},
    Route.OVERGANGSCLIENT: {VerwijzerType.GEMEENTE},
    Route.MEDISCH_DOMEIN: {
        VerwijzerType.HUISARTS,
        VerwijzerType.JEUGDARTS,
        VerwijzerType.MEDISCH_SPECIALIST,
        VerwijzerType.GGD_JEUGDARTS_COA,
    },
    Route.GI: {
        VerwijzerType.GI_JBB,
        VerwijzerType.GI_LEGER_DES_HEILS,
        VerwijzerType.GI_WSG,
        VerwijzerType.GI_ANDERS,
    },
}


class Phase(models.TextChoices):
    CONCEPT = "concept", "Concept"
    AANMELD = "aanmeld", "Aanmeldfase"
    HULPVERLENEND = "hulpverlenend", "Hulpverlenende fase"
    CRISIS = "crisis", "Crisis"
    AFRONDEND = "afrondend", "Afrondende fase"
    TERUGVERWEZEN = "terugverwezen", "Terugverwezen"
    AFGESLOTEN = "afgesloten", "Afgesloten"


OPEN_PHASES = [Phase.AANMELD, Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND]
END_PHASES = [Phase.TERUGVERWEZEN, Phase.AFGESLOTEN]


class Hulpvorm(models.TextChoices):
    BEHANDELVERBLIJF_OPEN = "behandelverblijf_open", "Behandelverblijf open"
    BEHANDELVERBLIJF_GESLOTEN = "behandelverblijf_gesloten", "Behandelverblijf gesloten"
    BEHANDELVERBLIJF_FORENSISCH = "behandelverblijf_forensisch", "Behandelverblijf forensisch"
    INTENSIEF_AMBULANT = "intensief_ambulant", "Intensieve ambulante jeugdhulp"
    LTA = "lta", "LTA"
    TRANSFORENSISCH = "transforensisch", "Transforensische zorg"


class AdvisedSegment(models.TextChoices):
    SEGMENT_2 = "2", "Segment 2"
    SEGMENT_3 = "3", "Segment 3"
    SEGMENT_4 = "4", "Segment 4"
    WLZ = "wlz", "Wlz (Wet langdurige zorg)"


class EndReason(models.TextChoices):
    VERHUISD = "verhuisd", "Verhuisd naar een andere gemeente (warme overdracht)"
    GEEN_HULPVRAAG = "geen_hulpvraag", "Geen ondersteuningsvraag meer (vrijwillig)"
    NIET_JEUGDWET = "niet_jeugdwet", "Jeugdige valt niet meer onder de Jeugdwet"
    WLZ = "wlz", "Wlz-indicatie"


class Gezin(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    naam = models.CharField("gezinsnaam", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "gezin"
        verbose_name_plural = "gezinnen"

    def __str__(self):
        return f"Gezin {self.naam}"


class Jeugdige(models.Model):
    gezin = models.ForeignKey(Gezin, on_delete=models.PROTECT, related_name="jeugdigen")
    bsn_status = models.CharField("BSN-status", max_length=20, choices=BsnStatus.choices, default=BsnStatus.NORMAAL)
    bsn = models.CharField("BSN", max_length=9, blank=True, db_index=True)
    voornaam = models.CharField("voornaam", max_length=100)
    tussenvoegsel = models.CharField("tussenvoegsel", max_length=20, blank=True)
    achternaam = models.CharField("achternaam", max_length=100)
    geboortedatum = models.DateField("geboortedatum", help_text="Bij een ongeboren kind: de verwachte datum.")
    geslacht = models.CharField("geslacht", max_length=1, choices=Geslacht.choices, default=Geslacht.ONBEKEND)
    straat = models.CharField("straat", max_length=100, blank=True)
    huisnummer = models.CharField("huisnummer", max_length=20, blank=True)
    postcode = models.CharField("postcode", max_length=8, blank=True)
    woonplaats = models.CharField("woonplaats", max_length=100, blank=True)
    land = models.CharField("land", max_length=2, default="NL", help_text="Landcode uit iJw-lijst COD032.")
    segment = models.CharField(
        "segment van de hulpvraag", max_length=1, choices=Segment.choices, default=Segment.SEGMENT_1
    )
    uren_begeleiding = models.DecimalField(
        "verwachte uren begeleiding", max_digits=6, decimal_places=1, null=True, blank=True
    )
    uren_behandeling = models.DecimalField(
        "verwachte uren behandeling", max_digits=6, decimal_places=1, null=True, blank=True
    )
    producten = models.JSONField("producten die altijd segment 1 zijn", default=list, blank=True)

    class Meta:
        verbose_name = "jeugdige"
        verbose_name_plural = "jeugdigen"
        constraints = [
            models.CheckConstraint(
                condition=(Q(bsn_status=BsnStatus.NORMAAL) & ~Q(bsn=""))
                | (~Q(bsn_status=BsnStatus.NORMAAL) & Q(bsn="")),
                name="jeugdige_bsn_matches_status",
            ),
        ]

    def __str__(self):
        return self.naam

    @property
    def land_naam(self) -> str:
        return LANDEN.get(self.land, self.land)

    @property
    def naam(self) -> str:
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)

    def age_on(self, day: date) -> int:
        b = self.geboortedatum
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(phase__in=OPEN_PHASES)


class Case(ConcurrentTransitionMixin, models.Model):
    """One youth's segment 1 trajectory. The phase changes only through the transitions below,
    and only services call them (see referrals.services)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeugdige = models.ForeignKey(Jeugdige, on_delete=models.PROTECT, related_name="cases")
    gemeente = models.ForeignKey(
        Organisation,
        verbose_name="gemeente (woonplaatsbeginsel)",
        on_delete=models.PROTECT,
        related_name="cases",
        limit_choices_to={"kind": "gemeente"},
    )
    route = models.CharField("verwijsroute", max_length=20, choices=Route.choices)
    verwijzer_type = models.CharField("soort verwijzer", max_length=30, choices=VerwijzerType.choices)
    verwijzer_naam = models.CharField("naam verwijzer", max_length=200)
    verwijzer_organisatie = models.CharField("organisatie verwijzer", max_length=200, blank=True)
    verwijzer_code = models.CharField(
        "AGB-code verwijzer", max_length=8, blank=True, help_text="Voor huisarts, jeugdarts of medisch specialist."
    )
    verwijzer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="verwijzer (Toegang)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_cases",
    )
    urgent = models.BooleanField("urgent", default=False)
    urgentie_motivatie = models.TextField("motivatie urgentie", blank=True)
    hulpvraag = models.TextField("hulpvraag", blank=True)
    phase = FSMField("fase", default=Phase.CONCEPT, choices=Phase.choices, protected=True, db_index=True)
    aanmelddatum = models.DateField("aanmelddatum", null=True, blank=True, db_index=True)
    regie_organisatie = models.ForeignKey(
        Organisation,
        verbose_name="regievoerende organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regie_cases",
    )
    coordinatie_aangevraagd_op = models.DateTimeField("coördinatie aangevraagd op", null=True, blank=True)
    # The people on the case now; CaseRoleHolder keeps who held each role before. One field per role means
    # at most one coördinator (and one regievoerder) per case, by construction.
    regievoerder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="regievoerder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_regievoerder",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="coördinator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_coordinator",
    )
    resultaten_bereikt_regievoerder_op = models.DateField("resultaten bereikt volgens regievoerder", null=True)
    resultaten_bereikt_coordinator_op = models.DateField("resultaten bereikt volgens coördinator", null=True)
    einddatum = models.DateField("einddatum (afgesproken met de coördinator)", null=True, blank=True)
    # Consent to share (recorded in coordination.Consent; mirrored here so that the selectors of this app
    # can gate what they show without importing upwards, as coordinatie_aangevraagd_op does, ADR 0003).
    ipva_delen_toegestaan = models.BooleanField("IPVA delen met de regievoerder toegestaan", default=False)
    wat_advies_delen_toegestaan = models.BooleanField(
        "WAT-brief en adviesverslag delen met de coördinator toegestaan", default=False
    )
    afgesloten_op = models.DateField("afgesloten op", null=True, blank=True)
    zorg_gestart_op = models.DateField("start jeugdhulp", null=True, blank=True)
    overbruggingszorg = models.TextField(
        "overbruggingszorg",
        blank=True,
        help_text="Hulp die de wachttijd overbrugde als de zorg later dan 6 weken startte.",
    )
    geadviseerd_segment = models.CharField(
        "geadviseerd segment", max_length=3, choices=AdvisedSegment.choices, blank=True
    )
    einde_reden = models.CharField("reden einde", max_length=20, choices=EndReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="aangemaakt door"
    )
    created_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "casus"
        verbose_name_plural = "casussen"
        permissions = [
            ("register_case", "Casus registreren"),
            ("aanmelden", "Aanmelden bij Crossroads"),
            ("record_phone_consultation", "Telefonisch overleg vastleggen"),
            ("edit_ipva", "IPVA bewerken"),
            ("plan_aanmeldgesprek", "Aanmeldgesprek plannen"),
            ("record_aanmeldgesprek", "Aanmeldgesprek vastleggen"),
            ("record_aanmeldtafel_advies", "Advies aanmeldtafel vastleggen"),
            ("start_hulpverlening", "Hulpverlening starten"),
            ("terugverwijzen", "Terugverwijzen"),
            ("voortijdig_beeindigen", "Voortijdig beëindigen"),
            ("upload_document", "Document toevoegen"),
            ("view_full_bsn", "Volledig BSN zien"),
            ("record_zorg_gestart", "Start jeugdhulp vastleggen"),
            ("view_identity", "Identiteit zien bij geheim BSN"),
            ("record_care", "Behandelplan, evaluaties en afronding vastleggen"),
            ("assign_regievoerder", "Regievoerder toewijzen"),
            ("record_substitution", "Vervanging vastleggen"),
            ("crisis_melden", "Crisis melden"),
            ("crisis_afsluiten", "Crisis afsluiten"),
            ("afronding_starten", "Afronding starten"),
            ("hervatten", "Hulpverlening hervatten"),
            ("afsluiten", "Casus afsluiten"),
            ("record_beschikking", "Beschikking vastleggen"),
            ("correct_jeugdige", "Gegevens jeugdige wijzigen"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgent=False) | ~Q(urgentie_motivatie=""),
                name="case_urgent_needs_motivation",
            ),
            models.CheckConstraint(
                condition=Q(phase=Phase.CONCEPT) | Q(aanmelddatum__isnull=False),
                name="case_aangemeld_has_aanmelddatum",
            ),
            models.CheckConstraint(
                condition=~Q(phase__in=[Phase.HULPVERLENEND, Phase.CRISIS, Phase.AFRONDEND])
                | Q(regie_organisatie__isnull=False),
                name="case_in_care_has_regie_organisatie",
            ),
        ]
        indexes = [
            models.Index(fields=["gemeente", "phase"]),
            models.Index(fields=["regie_organisatie", "phase"]),
            # The order of the case list (selectors.search_cases): the first page is read off the index.
            models.Index(fields=["-urgent", "-aanmelddatum", "-id"], name="case_list_order"),
        ]
        # Searching by name uses trigram (pg_trgm) GIN indexes on UPPER(name), made on PostgreSQL only by
        # migration 0009 (they are not in the model state, so SQLite's demo database does without).

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return self.reference_of(self.pk)

    @staticmethod
    def reference_of(pk: int | None) -> str:
        """The case number people use ("S1-000123"), from the primary key alone."""
        return f"S1-{pk:06d}" if pk else "S1-nieuw"

    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES

    # --- Phase transitions. Pure state changes: the services write the timeline and check input. ---

    @transition(
        field=phase,
        source=Phase.CONCEPT,
        target=Phase.AANMELD,
        conditions=[
            guards.gegevens_compleet,
            guards.jonger_dan_18,
            guards.ipva_aanwezig,
            guards.telefonisch_overleg_vastgelegd,
        ],
        permission=guards.may_aanmelden,
        custom={"label": "Aanmelden bij Crossroads", "event": "aangemeld"},
    )
    def aanmelden(self, *, aanmelddatum: date):
        self.aanmelddatum = aanmelddatum

    @transition(
        field=phase,
        source=Phase.AANMELD,
        target=Phase.HULPVERLENEND,
        conditions=[guards.aanmeldgesprek_gehouden, guards.advies_segment1, guards.coordinatie_aangevraagd],
        permission="referrals.start_hulpverlening",
        custom={
            "label": "Hulpverlening starten",
            "event": "hulpverlening_gestart",
            "role_reason": "Alleen het aanmeldpunt van Crossroads start de hulpverlening.",
        },
    )
    def start_hulpverlening(self):
        self.regie_organisatie = self.aanmeldtafel_advies.regie_partner

    @transition(
        field=phase,
        source=Phase.AANMELD,
        target=Phase.TERUGVERWEZEN,
        conditions=[guards.aanmeldgesprek_gehouden, guards.advies_niet_segment1, guards.verwijzer_geraadpleegd],
        permission="referrals.terugverwijzen",
        custom={
            "label": "Terugverwijzen",
            "event": "terugverwezen",
            "role_reason": "Alleen het aanmeldpunt van Crossroads verwijst terug.",
        },
    )
    def terugverwijzen(self):
        self.geadviseerd_segment = self.aanmeldtafel_advies.geadviseerd_segment

    @transition(
        field=phase,
        source=Phase.HULPVERLENEND,
        target=Phase.CRISIS,
        permission=guards.may_crisis_melden,
        custom={"label": "Crisis melden", "event": "crisis_gemeld"},
    )
    def crisis_melden(self):
        pass

    @transition(
        field=phase,
        source=Phase.CRISIS,
        target=Phase.HULPVERLENEND,
        conditions=[guards.perspectiefplan_crisis_vastgelegd],
        permission=guards.may_lead_crisis,
        custom={
            "label": "Crisis afsluiten",
            "event": "crisis_afgesloten",
        },
    )
    def crisis_afsluiten(self):
        pass

    @transition(
        field=phase,
        source=Phase.HULPVERLENEND,
        target=Phase.AFRONDEND,
        conditions=[guards.zorg_gestart, guards.resultaten_bereikt_regievoerder, guards.resultaten_bereikt_coordinator],
        permission=guards.may_act_as_regievoerder,
        custom={
            "label": "Afronding starten",
            "event": "afronding_gestart",
        },
    )
    def afronding_starten(self):
        pass

    @transition(
        field=phase,
        source=Phase.AFRONDEND,
        target=Phase.HULPVERLENEND,
        permission=guards.may_act_as_regievoerder,
        custom={
            "label": "Hulpverlening hervatten",
            "event": "hervat",
            "secondary": True,
        },
    )
    def hervatten(self):
        # The results turned out not to be reached: both have to say so again before a new afronding.
        self.resultaten_bereikt_regievoerder_op = None
        self.resultaten_bereikt_coordinator_op = None

    @transition(
        field=phase,
        source=Phase.AFRONDEND,
        target=Phase.AFGESLOTEN,
        conditions=[guards.eindevaluatie_vastgelegd, guards.einddatum_afgesproken, guards.vervolg_vastgelegd],
        permission=guards.may_act_as_regievoerder,
        custom={
            "label": "Casus afsluiten",
            "event": "afgesloten",
        },
    )
    def afsluiten(self, *, afgesloten_op: date):
        self.afgesloten_op = afgesloten_op

    @transition(
        field=phase,
        source=OPEN_PHASES,
        target=Phase.AFGESLOTEN,
        permission=guards.may_voortijdig_beeindigen,
        custom={
            "label": "Voortijdig beëindigen",
            "event": "voortijdig_beeindigd",
            "secondary": True,
        },
    )
    def voortijdig_beeindigen(self, *, reden: str, afgesloten_op: date):
        self.einde_reden = reden
        self.afgesloten_op = afgesloten_op


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case grants (guardian, direct foreign key): e.g. who may see a geheim-BSN identity."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")
