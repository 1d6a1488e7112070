import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import UserObjectPermissionBase

from accounts.append_only import AppendOnlyModel
from accounts.models import Organisation

from . import guards
from .bsn import mask_bsn


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
    postcode = models.CharField("postcode", max_length=7, blank=True)
    woonplaats = models.CharField("woonplaats", max_length=100, blank=True)
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
    # The people on the case now; Assignment keeps who held each role before. One field per role means
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
        permission=guards.may_act_as_coordinator,
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


class Leefgebied(models.TextChoices):
    ONTWIKKELING = "ontwikkeling", "Ontwikkeling en opvoeding"
    GEZONDHEID = "gezondheid", "Gezondheid"
    SCHOOL_WERK = "school_werk", "School en werk"
    WONEN_FINANCIEN = "wonen_financien", "Wonen en financiën"
    NETWERK_VEILIGHEID = "netwerk_veiligheid", "Sociaal netwerk en veiligheid"


class Ipva(models.Model):
    """Integraal plan van aanpak: the Toegang's analysis on the five leefgebieden."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="ipva")
    ontwikkeling = models.TextField(Leefgebied.ONTWIKKELING.label, blank=True)
    gezondheid = models.TextField(Leefgebied.GEZONDHEID.label, blank=True)
    school_werk = models.TextField(Leefgebied.SCHOOL_WERK.label, blank=True)
    wonen_financien = models.TextField(Leefgebied.WONEN_FINANCIEN.label, blank=True)
    netwerk_veiligheid = models.TextField(Leefgebied.NETWERK_VEILIGHEID.label, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "IPVA"
        verbose_name_plural = "IPVA's"

    @property
    def complete(self) -> bool:
        return all(getattr(self, f).strip() for f in Leefgebied.values)

    def leefgebieden(self):
        return [(label, getattr(self, value)) for value, label in Leefgebied.choices]


class PhoneConsultation(models.Model):
    """The phone call between verwijzer and aanmeldpunt before the aanmelding [HvB-WI 1.1]."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phone_consultations")
    datum = models.DateField("datum")
    contactpersoon = models.CharField("gesproken met (aanmeldpunt)", max_length=200)
    samenvatting = models.TextField("samenvatting")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "telefonisch overleg"
        verbose_name_plural = "telefonische overleggen"
        ordering = ["-datum"]


class Aanmeldgesprek(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="aanmeldgesprek")
    gepland_op = models.DateTimeField("gepland op")
    locatie = models.CharField("locatie", max_length=200)
    jeugdige_uitgenodigd = models.BooleanField("jeugdige (en ouders) uitgenodigd", default=False)
    verwijzer_uitgenodigd = models.BooleanField("verwijzer uitgenodigd", default=False)
    gehouden_op = models.DateTimeField("gehouden op", null=True, blank=True)
    aanwezigen = models.CharField("aanwezigen", max_length=300, blank=True)
    verslag = models.TextField("verslag", blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "aanmeldgesprek"
        verbose_name_plural = "aanmeldgesprekken"
        constraints = [
            models.CheckConstraint(
                condition=Q(jeugdige_uitgenodigd=True, verwijzer_uitgenodigd=True),
                name="aanmeldgesprek_both_invited",
            )
        ]


class AanmeldtafelAdvies(models.Model):
    """The advice of the aanmeldtafel on its three questions [HvB-WI 1.2]."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="aanmeldtafel_advies")
    datum = models.DateField("datum aanmeldtafel")
    segment1_nodig = models.BooleanField("hoog specialistische jeugdhulp (segment 1) nodig")
    regie_partner = models.ForeignKey(
        Organisation,
        verbose_name="regievoerder wordt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "partner"},
    )
    hulpvorm = models.CharField("geadviseerde hulpvorm", max_length=40, choices=Hulpvorm.choices, blank=True)
    geadviseerd_segment = models.CharField(
        "geadviseerd ander segment", max_length=3, choices=AdvisedSegment.choices, blank=True
    )
    toelichting = models.TextField("toelichting", blank=True)
    # What the WAT-brief tells the family [HvB-QA 9]: the results the care is to reach.
    te_behalen_resultaten = models.TextField("te behalen resultaten", blank=True)
    verwijzer_geraadpleegd_op = models.DateField("verwijzer geraadpleegd op", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "advies aanmeldtafel"
        verbose_name_plural = "adviezen aanmeldtafel"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(segment1_nodig=True, regie_partner__isnull=False, geadviseerd_segment="") & ~Q(hulpvorm="")
                )
                | (Q(segment1_nodig=False, regie_partner__isnull=True, hulpvorm="") & ~Q(geadviseerd_segment="")),
                name="advies_answers_match",
            )
        ]


class DocumentKind(models.TextChoices):
    IPVA = "ipva", "IPVA"
    DAT_BRIEF = "dat_brief", "DAT-brief"
    WAT_BRIEF = "wat_brief", "WAT-brief"
    ADVIESVERSLAG = "adviesverslag", "Adviesverslag aanmeldtafel"
    BESCHIKKING = "beschikking", "Beschikking"
    VERWIJZING = "verwijzing", "Verwijsbrief of bepaling"
    BEHANDELPLAN = "behandelplan", "Behandelplan"
    EVALUATIE = "evaluatie", "Evaluatie"
    EINDEVALUATIE = "eindevaluatie", "Eindevaluatie"
    FOA = "foa", "FOA (formulier onderbouwing aanvraag)"
    PERSPECTIEFPLAN = "perspectiefplan", "Perspectiefplan 18-/18+"
    PERSPECTIEFPLAN_CRISIS = "perspectiefplan_crisis", "Perspectiefplan Crisis"
    ZORGMELDING = "zorgmelding", "Zorgmelding / VTO (meldcode)"
    DOSSIEROVERZICHT = "dossieroverzicht", "Dossieroverzicht (overdracht)"
    OVERIG = "overig", "Overig"


def document_path(instance, filename):
    return f"cases/{instance.case.public_id}/{uuid.uuid4().hex}"


class CaseDocument(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("soort", max_length=30, choices=DocumentKind.choices)
    title = models.CharField("titel", max_length=200)
    version = models.PositiveIntegerField("versie")
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField("bestandsnaam", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField("controlegetal (SHA-256)", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documenten"
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "version"], name="document_unique_version")]


class JobStatus(models.TextChoices):
    WACHTEND = "wachtend", "Wacht op de achtergrondtaak"
    BEZIG = "bezig", "Bezig"
    KLAAR = "klaar", "Klaar"
    MISLUKT = "mislukt", "Mislukt"


class DocumentJob(models.Model):
    """A document made in the background (Celery): its progress for the page that polls it, and the stored
    document when it is done."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="document_jobs")
    kind = models.CharField("soort", max_length=30, choices=DocumentKind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    status = models.CharField("stand", max_length=10, choices=JobStatus.choices, default=JobStatus.WACHTEND)
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    step = models.CharField("stap", max_length=100, blank=True)
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    error = models.CharField("reden", max_length=300, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)

    class Meta:
        verbose_name = "document in de maak"
        verbose_name_plural = "documenten in de maak"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="documentjob_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(status="klaar") | Q(document__isnull=False), name="documentjob_done_has_document"
            ),
        ]

    # Still waiting or running this long after it was asked for: its worker is gone (stopped, restarted).
    STALLED_AFTER = timedelta(minutes=10)
    STALLED_ERROR = "Het maken duurde te lang en is gestopt. Kies op de casuspagina opnieuw ‘Maken’."

    @property
    def stalled(self) -> bool:
        running = self.status in (JobStatus.WACHTEND, JobStatus.BEZIG)
        return running and timezone.now() - self.requested_at > self.STALLED_AFTER


class EventKind(models.TextChoices):
    AANGEMAAKT = "aangemaakt", "Casus geregistreerd"
    TELEFONISCH_OVERLEG = "telefonisch_overleg", "Telefonisch overleg vastgelegd"
    IPVA_BIJGEWERKT = "ipva_bijgewerkt", "IPVA bijgewerkt"
    DOCUMENT_TOEGEVOEGD = "document_toegevoegd", "Document toegevoegd"
    AANGEMELD = "aangemeld", "Aangemeld bij Crossroads"
    AANMELDGESPREK_GEPLAND = "aanmeldgesprek_gepland", "Aanmeldgesprek gepland"
    AANMELDGESPREK_GEHOUDEN = "aanmeldgesprek_gehouden", "Aanmeldgesprek gehouden"
    ADVIES_VASTGELEGD = "advies_vastgelegd", "Advies aanmeldtafel vastgelegd"
    COORDINATIE_AANGEVRAAGD = "coordinatie_aangevraagd", "Coördinatie aangevraagd bij de Toegang"
    HULPVERLENING_GESTART = "hulpverlening_gestart", "Hulpverlening gestart"
    TERUGVERWEZEN = "terugverwezen", "Terugverwezen"
    VOORTIJDIG_BEEINDIGD = "voortijdig_beeindigd", "Voortijdig beëindigd"
    ZORG_GESTART = "zorg_gestart", "Start jeugdhulp vastgelegd"
    BESCHIKKING_AFGEGEVEN = "beschikking_afgegeven", "Beschikking afgegeven"
    # Hulpverlenende fase, crisis and afronding.
    REGIEVOERDER_TOEGEWEZEN = "regievoerder_toegewezen", "Regievoerder toegewezen"
    COORDINATOR_TOEGEWEZEN = "coordinator_toegewezen", "Coördinator toegewezen"
    VERVANGING_VASTGELEGD = "vervanging_vastgelegd", "Vervanging vastgelegd"
    BEHANDELPLAN_VASTGELEGD = "behandelplan_vastgelegd", "Behandelplan vastgelegd"
    EVALUATIE_VASTGELEGD = "evaluatie_vastgelegd", "Tussentijdse evaluatie vastgelegd"
    SIGNAAL_COORDINATOR = "signaal_coordinator", "Signaal aan de coördinator"
    SIGNAAL_OPGEPAKT = "signaal_opgepakt", "Signaal opgepakt door de coördinator"
    CRISIS_GEMELD = "crisis_gemeld", "Crisis gemeld"
    PERSPECTIEFPLAN_CRISIS = "perspectiefplan_crisis", "Perspectiefplan Crisis vastgelegd"
    CRISIS_AFGESLOTEN = "crisis_afgesloten", "Crisis afgesloten"
    RESULTATEN_BEREIKT = "resultaten_bereikt", "Resultaten bereikt vastgelegd"
    AFRONDING_GESTART = "afronding_gestart", "Afronding gestart"
    HERVAT = "hervat", "Hulpverlening hervat"
    EINDEVALUATIE_VASTGELEGD = "eindevaluatie_vastgelegd", "Eindevaluatie vastgelegd"
    FOA_VASTGELEGD = "foa_vastgelegd", "FOA of besluit over de FOA vastgelegd"
    EINDDATUM_AFGESPROKEN = "einddatum_afgesproken", "Einddatum afgesproken met de coördinator"
    AFGESLOTEN = "afgesloten", "Casus afgesloten"
    LICHTE_HULP_GESTOPT = "lichte_hulp_gestopt", "Lichte hulp na afsluiting gestopt"
    PERSPECTIEFPLAN_GESTART = "perspectiefplan_gestart", "Perspectiefplan 18-/18+ gestart"
    PERSPECTIEFPLAN_GEREED = "perspectiefplan_gereed", "Perspectiefplan 18-/18+ gereed"
    # Coordination level, consent and escalation (coordination app).
    COORDINATIE_VASTGESTELD = "coordinatie_vastgesteld", "Coördinatieniveau vastgesteld"
    OPGESCHAALD = "opgeschaald", "Opgeschaald naar coördinatie zwaar"
    AFGESCHAALD = "afgeschaald", "Afgeschaald naar coördinatie licht"
    COORDINATIE_AFGESLOTEN = "coordinatie_afgesloten", "Coördinatie afgesloten"
    TOESTEMMING_GEGEVEN = "toestemming_gegeven", "Toestemming vastgelegd"
    TOESTEMMING_INGETROKKEN = "toestemming_ingetrokken", "Toestemming ingetrokken"
    GEDEELD = "gedeeld", "Informatie gedeeld"
    ESCALATIE_GEOPEND = "escalatie_geopend", "Escalatie geopend"
    ESCALATIE_GESPREK = "escalatie_gesprek", "Escalatiegesprek in de hiërarchische lijn gehouden"
    ESCALATIE_COMMITMENT = "escalatie_commitment", "Commitment en nieuwe afspraken vastgelegd"
    # iJw messages (messaging app).
    JW315_VERZONDEN = "jw315_verzonden", "Verzoek om toewijzing (JW315) verzonden"
    JW315_ONTVANGEN = "jw315_ontvangen", "Verzoek om toewijzing (JW315) ontvangen door de gemeente"
    JW315_BEANTWOORD = "jw315_beantwoord", "Verzoek om toewijzing beantwoord (JW301 of JW319)"
    TOEWIJZING_ONTVANGEN = "toewijzing_ontvangen", "Toewijzing (JW301) ontvangen"
    JW319_ONTVANGEN = "jw319_ontvangen", "Antwoord gemeente (JW319) ontvangen"
    BERICHT_ONTVANGEN = "bericht_ontvangen", "iJw-bericht ontvangen"
    RETOUR_VERZONDEN = "retour_verzonden", "Retourbericht verzonden"
    BERICHT_AFGEWEZEN = "bericht_afgewezen", "iJw-bericht afgewezen in de retour"
    JW305_VERZONDEN = "jw305_verzonden", "Start jeugdhulp (JW305) verzonden"
    JW307_VERZONDEN = "jw307_verzonden", "Stop jeugdhulp (JW307) verzonden"
    ZORG_GESTOPT = "zorg_gestopt", "Jeugdhulp gestopt"
    HANDMATIGE_TOEWIJZING = "handmatige_toewijzing", "Handmatige toewijzing vastgelegd"
    LICHTE_HULP_DOORLOPEND = "lichte_hulp_doorlopend", "Lichte hulp loopt door na afsluiting"
    # Written by the deadline engine (deadlines.services) on the case timeline.
    TERMIJN_OPGESCHORT = "termijn_opgeschort", "Termijn opgeschort"
    TERMIJN_HERVAT = "termijn_hervat", "Termijn hervat"
    TERMIJN_VERLENGD = "termijn_verlengd", "Termijn verlengd"


class CaseEvent(AppendOnlyModel):
    """The case timeline: one row per change, written by the service in the same transaction."""

    append_only_message = "De tijdlijn van een casus kan niet worden gewijzigd of verwijderd."

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("gebeurtenis", max_length=40, choices=EventKind.choices, db_index=True)
    at = models.DateTimeField("moment", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="door"
    )
    actor_role = models.CharField(max_length=30, blank=True)
    from_phase = models.CharField("van fase", max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField("naar fase", max_length=20, choices=Phase.choices, blank=True)
    reason = models.TextField("reden", blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "gebeurtenis"
        verbose_name_plural = "tijdlijn"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]


# --- People on the case ----------------------------------------------------------------------------


class CaseRole(models.TextChoices):
    REGIEVOERDER = "regievoerder", "Regievoerder"
    COORDINATOR = "coordinator", "Coördinator"


class Assignment(models.Model):
    """Who held a role on the case, and when: the assignment history. The current holder is also on
    the case (Case.regievoerder, Case.coordinator); the services keep the two in step."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("rol", max_length=20, choices=CaseRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    started_at = models.DateTimeField("vanaf")
    ended_at = models.DateTimeField("tot", null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        verbose_name = "toewijzing"
        verbose_name_plural = "toewijzingen"
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role"], condition=Q(ended_at__isnull=True), name="one_current_holder_per_case_role"
            )
        ]


class Substitution(models.Model):
    """A coördinator or regievoerder is away; the substitute is the contact for the period [HvB-QA 6]."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="substitutions")
    role = models.CharField("rol", max_length=20, choices=CaseRole.choices)
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="afwezig", on_delete=models.PROTECT, related_name="+"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="vervanger", on_delete=models.PROTECT, related_name="substitutions"
    )
    start = models.DateField("van")
    end = models.DateField("tot en met")
    gezin_geinformeerd = models.BooleanField("gezin geïnformeerd")
    andere_partij_geinformeerd = models.BooleanField("andere partij geïnformeerd")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "vervanging"
        verbose_name_plural = "vervangingen"
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="substitution_ends_after_start"),
            models.CheckConstraint(
                condition=Q(gezin_geinformeerd=True, andere_partij_geinformeerd=True),
                name="substitution_everyone_informed",
            ),
            models.CheckConstraint(condition=~Q(absent=models.F("substitute")), name="substitution_other_person"),
        ]

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


# --- Care: plan, evaluations, signals, crisis, afronding ---------------------------------------------


class Behandelplan(models.Model):
    """One version of the treatment plan; a change is a new version (who, when, why)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="behandelplannen")
    version = models.PositiveIntegerField("versie")
    doelen = models.TextField("doelen")
    resultaten = models.TextField("beoogde resultaten")
    afspraken = models.TextField("afspraken en inzet", blank=True)
    wijziging = models.CharField("wat is er gewijzigd en waarom", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("vastgelegd op")

    class Meta:
        verbose_name = "behandelplan"
        verbose_name_plural = "behandelplannen"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="behandelplan_unique_version")]


class Evaluatie(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evaluaties")
    datum = models.DateField("datum")
    aanwezigen = models.CharField("aanwezigen", max_length=300)
    verslag = models.TextField("verslag")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tussentijdse evaluatie"
        verbose_name_plural = "tussentijdse evaluaties"
        ordering = ["-datum", "-pk"]


class SignaalDomein(models.TextChoices):
    WMO = "wmo", "Ondersteuning thuis (Wmo)"
    WONEN = "wonen", "Wonen"
    SCHULDEN = "schulden", "Schulden en financiën"
    ONDERWIJS = "onderwijs", "School en onderwijs"
    WERK_INKOMEN = "werk_inkomen", "Werk en inkomen (Participatiewet)"
    GEZONDHEID = "gezondheid", "Gezondheid van ouders"
    VEILIGHEID = "veiligheid", "Veiligheid"
    OVERIG = "overig", "Overig"


class Signaal(models.Model):
    """The regievoerder signals what the family needs outside youth care; the coördinator picks it up."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="signalen")
    domein = models.CharField("leefgebied", max_length=20, choices=SignaalDomein.choices)
    beschrijving = models.TextField("wat is er nodig")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("gesignaleerd op")
    opgepakt_op = models.DateTimeField("opgepakt op", null=True, blank=True)
    opgepakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reactie = models.TextField("reactie coördinator", blank=True)

    class Meta:
        verbose_name = "signaal"
        verbose_name_plural = "signalen"
        ordering = ["opgepakt_op", "-created_at"]


class Crisis(models.Model):
    """A crisis during care [HvB-WI 4]: reported by anyone on the case, closed by the coördinator
    once the Perspectiefplan Crisis is recorded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="crises")
    gemeld_op = models.DateTimeField("gemeld op")
    gesignaleerd_door = models.CharField("gesignaleerd door", max_length=200)
    reden = models.TextField("wat is er aan de hand")
    cit_gecontacteerd = models.BooleanField("crisisinterventieteam (CIT) ingeschakeld")
    geinformeerd = models.CharField("wie is geïnformeerd", max_length=300)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    plan = models.TextField("Perspectiefplan Crisis", blank=True)
    plan_met_cit = models.BooleanField("opgesteld met het CIT", default=False)
    plan_met_jeugdige = models.BooleanField("opgesteld met de jeugdige", default=False)
    plan_met_crisisaanbieder = models.BooleanField("opgesteld met de crisisaanbieder", default=False)
    plan_met_regievoerder = models.BooleanField("opgesteld met de regievoerder", default=False)
    plan_vastgelegd_op = models.DateTimeField("plan vastgelegd op", null=True, blank=True)
    plan_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    afgesloten_op = models.DateTimeField("crisis afgesloten op", null=True, blank=True)

    class Meta:
        verbose_name = "crisis"
        verbose_name_plural = "crises"
        ordering = ["-gemeld_op"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(afgesloten_op__isnull=True), name="one_open_crisis"),
            models.CheckConstraint(
                condition=Q(plan_vastgelegd_op__isnull=True)
                | (
                    ~Q(plan="")
                    & Q(
                        plan_met_cit=True,
                        plan_met_jeugdige=True,
                        plan_met_crisisaanbieder=True,
                        plan_met_regievoerder=True,
                    )
                ),
                name="crisis_plan_made_with_all",
            ),
            models.CheckConstraint(
                condition=Q(afgesloten_op__isnull=True) | Q(plan_vastgelegd_op__isnull=False),
                name="crisis_closed_with_plan",
            ),
        ]

    @property
    def plan_complete(self) -> bool:
        return self.plan_vastgelegd_op is not None


class Eindevaluatie(models.Model):
    """The final evaluation [HvB-WI 3]: with the jeugdige and the verwijzer, and the coördinator."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="eindevaluatie")
    datum = models.DateField("datum")
    jeugdige_aanwezig = models.BooleanField("jeugdige (en ouders) aanwezig")
    verwijzer_aanwezig = models.BooleanField("verwijzer aanwezig")
    coordinator_aanwezig = models.BooleanField("coördinator aanwezig")
    verslag = models.TextField("verslag")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "eindevaluatie"
        verbose_name_plural = "eindevaluaties"


class FoaBesluit(models.TextChoices):
    GEEN_VERVOLG = "geen_vervolg", "De zorg gaat niet door in een ander segment"
    FOA = "foa", "De zorg gaat door in een ander segment: FOA opgesteld"
    GEEN_FOA = "geen_foa", "De zorg gaat door in een ander segment: samen besloten dat er geen FOA nodig is"


class Vervolg(models.Model):
    """What follows segment 1 [HvB-QA 7, HvB-WI 2.1]: an FOA where care continues in another segment, or
    the joint decision that none is needed; light help may continue for at most 3 months."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="vervolg")
    besluit = models.CharField("vervolg", max_length=20, choices=FoaBesluit.choices)
    toelichting = models.TextField("toelichting", blank=True)
    lichte_hulp_loopt_door = models.BooleanField("lichte hulp loopt na afsluiting door", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "vervolg na segment 1"
        verbose_name_plural = "vervolg na segment 1"
        constraints = [
            models.CheckConstraint(
                condition=~Q(besluit="geen_foa") | ~Q(toelichting=""), name="vervolg_geen_foa_has_reason"
            )
        ]


# --- Beschikking and Perspectiefplan 18-/18+ ----------------------------------------------------------


class ProductCategorie(models.TextChoices):
    """The iJw product categories (JZ020) a segment 1 beschikking uses."""

    DAGBEHANDELING = "41", "41 Dagbehandeling"
    VERBLIJF_MET_BEHANDELING = "43", "43 Jeugdhulp verblijf (incl. behandeling)"
    VERBLIJF_ZONDER_BEHANDELING = "44", "44 Jeugdhulp verblijf (excl. behandeling)"
    AMBULANT = "45", "45 Jeugdhulp ambulant"
    CRISIS = "46", "46 Jeugdhulp crisis"
    JEUGD_GGZ = "54", "54 Jeugd-ggz"


class Beschikking(models.Model):
    """The decision Crossroads sends to the family [HvB-STAP]. Segment 1 is decided without an end date
    [HvB-S1]: the period has a start only. Jeugdzorgplus (43A12) has no beschikking."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="beschikking")
    beschikkingsnummer = models.CharField("beschikkingsnummer", max_length=20, unique=True)
    afgegeven_op = models.DateField("afgegeven op")
    resultaat = models.CharField("resultaat", max_length=300)
    aanbieder = models.ForeignKey(Organisation, verbose_name="aanbieder", on_delete=models.PROTECT, related_name="+")
    productcategorie = models.CharField("productcategorie", max_length=2, choices=ProductCategorie.choices)
    productcode = models.CharField("productcode", max_length=5)
    activiteiten = models.TextField("activiteiten")
    frequentie = models.CharField("frequentie", max_length=200)
    ingangsdatum = models.DateField("ingangsdatum")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "beschikking"
        verbose_name_plural = "beschikkingen"
        constraints = [
            models.CheckConstraint(condition=~Q(productcode="43A12"), name="beschikking_not_for_jeugdzorgplus"),
            models.CheckConstraint(
                condition=Q(productcode__startswith=models.F("productcategorie")), name="beschikking_code_in_categorie"
            ),
        ]


class PerspectiefDomein(models.TextChoices):
    ZORG = "zorg", "Zorg"
    ONDERWIJS = "onderwijs", "Onderwijs"
    WERK = "werk", "Werk"
    VRIJE_TIJD = "vrije_tijd", "Vrije tijd"
    GEZONDHEID = "gezondheid", "Gezondheid"
    FINANCIEN = "financien", "Financiën"


PERSPECTIEF_ASPECTEN = {
    "stand": "Stand van zaken",
    "resultaten": "Nog te bereiken resultaten",
    "partijen": "Betrokken partijen",
    "kader": "Wettelijk kader",
}


class Perspectiefplan(models.Model):
    """Perspectiefplan 18-/18+ [HvB-QA 3]: started at 16, finished at 17.5, on every life domain."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="perspectiefplan")
    gestart_op = models.DateField("gestart op")
    gereed_op = models.DateField("gereed op", null=True, blank=True)
    # {domein: {aspect: text}} for the domains of PerspectiefDomein and the aspects of PERSPECTIEF_ASPECTEN.
    domeinen = models.JSONField("leefdomeinen", default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "perspectiefplan 18-/18+"
        verbose_name_plural = "perspectiefplannen 18-/18+"
        constraints = [
            models.CheckConstraint(
                condition=Q(gereed_op__isnull=True) | Q(gereed_op__gte=models.F("gestart_op")),
                name="perspectiefplan_gereed_after_start",
            )
        ]

    def rows(self):
        """(domain label, [(aspect label, text)]) for every domain, in order."""
        return [
            (
                label,
                [(a_label, (self.domeinen.get(value) or {}).get(a, "")) for a, a_label in PERSPECTIEF_ASPECTEN.items()],
            )
            for value, label in PerspectiefDomein.choices
        ]

    def missing(self) -> list[str]:
        """Domains whose state of affairs or results to reach are still empty."""
        return [
            label
            for value, label in PerspectiefDomein.choices
            if not all(((self.domeinen.get(value) or {}).get(a) or "").strip() for a in ("stand", "resultaten"))
        ]
