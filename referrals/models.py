import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
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
        indexes = [models.Index(fields=["gemeente", "phase"]), models.Index(fields=["regie_organisatie", "phase"])]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"S1-{self.pk:06d}" if self.pk else "S1-nieuw"

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
        custom={"label": "Aanmelden bij Crossroads", "event": "aangemeld", "role_reason": guards.may_aanmelden.reason},
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
        source=OPEN_PHASES,
        target=Phase.AFGESLOTEN,
        permission=guards.may_voortijdig_beeindigen,
        custom={
            "label": "Voortijdig beëindigen",
            "event": "voortijdig_beeindigd",
            "secondary": True,
            "role_reason": guards.may_voortijdig_beeindigen.reason,
        },
    )
    def voortijdig_beeindigen(self, *, reden: str):
        self.einde_reden = reden


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
    OVERIG = "overig", "Overig"


def document_path(instance, filename):
    return f"cases/{instance.case.public_id}/{uuid.uuid4().hex}"


class CaseDocument(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("soort", max_length=20, choices=DocumentKind.choices)
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
    # Steps whose services come later; the deadline rules already name them.
    ZORG_GESTART = "zorg_gestart", "Start jeugdhulp vastgelegd"
    BESCHIKKING_AFGEGEVEN = "beschikking_afgegeven", "Beschikking afgegeven"
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
