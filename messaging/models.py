"""Stored iJw messages, their life (state and its history) and the toewijzingen on a case.

A Message keeps the exact bytes that were sent or received; no field of it ever changes after it is
stored, except `state`, and that only through `messaging.services` (a conditional UPDATE that also
writes a MessageTransition). BerichtIdentificatie comes from SenderCounter: one row per sender, bumped
in one atomic statement, so two messages of one sender never share a number.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import connection, models
from django.db.models import Q

from accounts.append_only import AppendOnlyModel
from accounts.models import Organisation, agb_code_validator
from referrals.models import Case

from .schemas import BERICHT_CODES, HEEN_OF, TITLES


class MessageType(models.TextChoices):
    JW315 = "jw315", "JW315 Verzoek om toewijzing"
    JW316 = "jw316", "JW316 Retour op verzoek om toewijzing"
    JW301 = "jw301", "JW301 Toewijzing"
    JW302 = "jw302", "JW302 Retour op toewijzing"
    JW305 = "jw305", "JW305 Start jeugdhulp"
    JW306 = "jw306", "JW306 Retour op start jeugdhulp"
    JW307 = "jw307", "JW307 Stop jeugdhulp"
    JW308 = "jw308", "JW308 Retour op stop jeugdhulp"
    JW317 = "jw317", "JW317 Verzoek om wijziging"
    JW318 = "jw318", "JW318 Retour op verzoek om wijziging"
    JW319 = "jw319", "JW319 Antwoordbericht"
    JW320 = "jw320", "JW320 Retour op antwoordbericht"


class MessageState(models.TextChoices):
    CONCEPT = "concept", "Concept"
    GEVALIDEERD = "gevalideerd", "Gevalideerd"
    VERZONDEN = "verzonden", "Verzonden"
    GEACCEPTEERD = "geaccepteerd", "Geaccepteerd"
    AFGEWEZEN = "afgewezen", "Afgewezen"


# The only state changes there are; anything else is refused.
TRANSITIONS = {
    MessageState.CONCEPT: {MessageState.GEVALIDEERD},
    MessageState.GEVALIDEERD: {MessageState.VERZONDEN},
    MessageState.VERZONDEN: {MessageState.GEACCEPTEERD, MessageState.AFGEWEZEN},
}


class Direction(models.TextChoices):
    """Seen from the provider side (Crossroads and partners), which is who builds most messages here."""

    NAAR_GEMEENTE = "naar_gemeente", "Aanbieder → gemeente"
    NAAR_AANBIEDER = "naar_aanbieder", "Gemeente → aanbieder"


class SenderCounter(models.Model):
    """The last BerichtIdentificatie number per sender (AGB or CBS code)."""

    sender = models.CharField("afzender", max_length=8, unique=True)
    last = models.BigIntegerField("laatste nummer", default=0)

    class Meta:
        verbose_name = "berichtteller"
        verbose_name_plural = "berichttellers"

    @classmethod
    def next_number(cls, sender: str) -> int:
        """One atomic INSERT ... ON CONFLICT DO UPDATE: safe when many build messages at once."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (sender, last) VALUES (%s, 1) "
                f"ON CONFLICT (sender) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                [sender],
            )
            return cursor.fetchone()[0]


class MessageQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if set(kwargs) - {"state"}:
            raise PermissionError(Message.immutable_message)
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError(Message.immutable_message)


class Message(models.Model):
    immutable_message = "Een opgeslagen bericht kan niet worden gewijzigd of verwijderd."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message_type = models.CharField("bericht", max_length=5, choices=MessageType.choices, db_index=True)
    direction = models.CharField("richting", max_length=20, choices=Direction.choices)
    # The party that sent this message and its own BerichtIdentificatie (for a retour: IdentificatieRetour).
    sender = models.CharField("afzender (AGB of CBS)", max_length=8)
    receiver = models.CharField("ontvanger (AGB of CBS)", max_length=8)
    identificatie = models.CharField("berichtidentificatie", max_length=12)
    dagtekening = models.DateField("dagtekening")
    gemeente = models.ForeignKey(
        Organisation, verbose_name="gemeente", on_delete=models.PROTECT, null=True, related_name="+"
    )
    aanbieder = models.ForeignKey(
        Organisation, verbose_name="aanbieder", on_delete=models.PROTECT, null=True, related_name="+"
    )
    case = models.ForeignKey(Case, verbose_name="casus", on_delete=models.PROTECT, null=True, related_name="messages")
    answers = models.ForeignKey(
        "self", verbose_name="antwoord op", on_delete=models.PROTECT, null=True, blank=True, related_name="answered_by"
    )
    toewijzing = models.ForeignKey(
        "Toewijzing", verbose_name="toewijzing", on_delete=models.PROTECT, null=True, related_name="messages"
    )
    # A JW315 sent again after its JW316 refused it: the refused message it corrects, set when it is stored.
    # One-to-one: a refused message is corrected once.
    corrects = models.OneToOneField(
        "self",
        verbose_name="correctie van",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    content = models.BinaryField("inhoud (exact zoals verzonden)")
    sha256 = models.CharField("controlegetal (SHA-256)", max_length=64)
    xsd_versie = models.CharField("XsdVersie", max_length=40)
    referentie = models.CharField("referentie aanbieder", max_length=36, blank=True, db_index=True)
    summary = models.CharField("samenvatting", max_length=300, blank=True)
    state = models.CharField(
        "status", max_length=20, choices=MessageState.choices, default=MessageState.CONCEPT, db_index=True
    )
    imported = models.BooleanField("ingelezen", default=False)
    # A received message whose Identificatie its sender already used for this message type (TR056): kept
    # beside the first one with its retour (9056), outside the uniqueness below (ADR 0023).
    duplicate = models.BooleanField("identificatie al gebruikt (TR056)", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="door"
    )
    created_at = models.DateTimeField("opgeslagen op", auto_now_add=True, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "iJw-bericht"
        verbose_name_plural = "iJw-berichten"
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("send_request", "Verzoek om toewijzing, start en stop jeugdhulp maken en verzenden"),
            ("answer_request", "Verzoeken om toewijzing beantwoorden (JW301/JW319)"),
            ("import_message", "iJw-bericht inlezen"),
            ("record_manual_toewijzing", "Handmatige toewijzing vastleggen"),
            ("view_traffic", "Berichtenverkeer inzien"),
        ]
        constraints = [
            # TR056: an Identificatie is unique per sender and message type; a received duplicate is flagged.
            models.UniqueConstraint(
                fields=["sender", "message_type", "identificatie"],
                condition=Q(duplicate=False),
                name="message_unique_identificatie_per_sender_and_type",
            ),
            models.CheckConstraint(condition=~Q(sha256=""), name="message_has_checksum"),
        ]
        indexes = [models.Index(fields=["case", "-created_at"]), models.Index(fields=["gemeente", "state"])]

    def __str__(self):
        return f"{self.code} {self.identificatie}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(self.immutable_message)
        self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.immutable_message)

    @property
    def code(self) -> str:
        return self.message_type.upper()

    @property
    def bericht_code(self) -> str:
        return BERICHT_CODES[self.message_type]

    @property
    def title(self) -> str:
        return TITLES[self.message_type]

    @property
    def is_retour(self) -> bool:
        return self.message_type in HEEN_OF

    @property
    def data(self) -> bytes:
        return bytes(self.content)


class MessageTransition(AppendOnlyModel):
    """The state history of a message: one row per change, never changed."""

    append_only_message = "De geschiedenis van een bericht kan niet worden gewijzigd of verwijderd."

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField("van", max_length=20, choices=MessageState.choices, blank=True)
    to_state = models.CharField("naar", max_length=20, choices=MessageState.choices)
    at = models.DateTimeField("moment", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="door"
    )
    reason = models.CharField("toelichting", max_length=500, blank=True)

    class Meta:
        verbose_name = "statuswijziging bericht"
        verbose_name_plural = "statuswijzigingen berichten"
        ordering = ["at", "pk"]


class ToewijzingSource(models.TextChoices):
    JW301 = "jw301", "Toewijzing (JW301) ontvangen"
    HANDMATIG = "handmatig", "Handmatig met de gemeente afgesproken"


class Toewijzing(models.Model):
    """A toewijzing on a case: received in a JW301, or arranged by hand (geen/geheim BSN, ongeboren)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="toewijzingen")
    source = models.CharField("bron", max_length=20, choices=ToewijzingSource.choices)
    message = models.ForeignKey(
        Message, verbose_name="JW301", on_delete=models.PROTECT, null=True, blank=True, related_name="recorded"
    )
    gemeente = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="gemeente")
    aanbieder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="aanbieder"
    )
    toewijzing_nummer = models.BigIntegerField("toewijzingnummer", null=True, blank=True)
    referentie_aanbieder = models.CharField("referentie aanbieder", max_length=36, blank=True)
    categorie = models.CharField("productcategorie", max_length=2, blank=True)
    product_code = models.CharField("productcode", max_length=5, blank=True)
    volume = models.PositiveIntegerField("volume", null=True, blank=True)
    eenheid = models.CharField("eenheid", max_length=2, blank=True)
    frequentie = models.CharField("frequentie", max_length=1, blank=True)
    budget = models.PositiveIntegerField("budget (eurocent)", null=True, blank=True)
    ingangsdatum = models.DateField("ingangsdatum")
    einddatum = models.DateField("einddatum", null=True, blank=True)
    toewijzingsdatum = models.DateField("toewijzingsdatum")
    contactpersoon_gemeente = models.CharField("afgesproken met (gemeente)", max_length=200, blank=True)
    toelichting = models.TextField("toelichting", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="vastgelegd door"
    )
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "toewijzing (iJw)"
        verbose_name_plural = "toewijzingen (iJw)"
        ordering = ["-ingangsdatum", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "toewijzing_nummer"],
                condition=Q(toewijzing_nummer__isnull=False),
                name="toewijzing_unique_nummer_per_gemeente",  # TR332
            ),
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=models.F("ingangsdatum")),
                name="toewijzing_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(source=ToewijzingSource.JW301) | Q(toewijzing_nummer__isnull=False),
                name="toewijzing_jw301_has_nummer",
            ),
            models.CheckConstraint(
                condition=~Q(source=ToewijzingSource.HANDMATIG) | ~Q(contactpersoon_gemeente=""),
                name="toewijzing_handmatig_names_contact",
            ),
        ]

    def __str__(self):
        nummer = f" {self.toewijzing_nummer}" if self.toewijzing_nummer else ""
        return f"Toewijzing{nummer} ({self.product_label})"

    @property
    def product_label(self) -> str:
        from .codes import CATEGORIEEN

        if self.product_code:
            return f"{self.product_code} ({CATEGORIEEN.get(self.categorie, self.categorie)})"
        return CATEGORIEEN.get(self.categorie, "generiek")

    @property
    def omvang_label(self) -> str:
        from .codes import EENHEDEN, FREQUENTIES

        if self.volume is None:
            return ""
        return (
            f"{self.volume} {EENHEDEN.get(self.eenheid, self.eenheid)} {FREQUENTIES.get(self.frequentie, '')}".strip()
        )


class BeeindigingWijze(models.TextChoices):
    JW301_EINDDATUM = "jw301_einddatum", "JW301 met einddatum aan de aanbieder verstuurd"
    AFGESPROKEN = "afgesproken", "Met de aanbieder afgesproken, zonder bericht"


class LopendeToewijzing(models.Model):
    """A toewijzing in segment 2 to 4 that still runs when the youth is referred to segment 1: the
    referrer passes the case to Crossroads and the running toewijzing is ended [HvB-S1]. Recorded by the
    aanmeldpunt, the case's regievoerder or the backoffice; ended by the backoffice (ADR 0021)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="lopende_toewijzingen")
    aanbieder_naam = models.CharField("aanbieder", max_length=200)
    aanbieder_agb = models.CharField("AGB-code aanbieder", max_length=8, blank=True, validators=[agb_code_validator])
    product_code = models.CharField("productcode", max_length=5, blank=True)
    toewijzing_nummer = models.CharField("toewijzingnummer", max_length=20, blank=True)
    sinds = models.DateField("loopt sinds")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="gemeld door"
    )
    recorded_at = models.DateTimeField("gemeld op", auto_now_add=True)
    beeindigd_per = models.DateField("beëindigd per", null=True, blank=True)
    beeindigd_wijze = models.CharField("hoe beëindigd", max_length=20, choices=BeeindigingWijze.choices, blank=True)
    beeindigd_toelichting = models.TextField("toelichting beëindiging", blank=True)
    beeindigd_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="beëindigd door",
    )
    beeindigd_at = models.DateTimeField("beëindiging vastgelegd op", null=True, blank=True)

    class Meta:
        verbose_name = "lopende toewijzing segment 2–4"
        verbose_name_plural = "lopende toewijzingen segment 2–4"
        ordering = ["recorded_at", "pk"]
        indexes = [
            models.Index(
                fields=["recorded_at"], condition=Q(beeindigd_per__isnull=True), name="lopende_toewijzing_open"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(beeindigd_per__isnull=True) | Q(beeindigd_per__gte=models.F("sinds")),
                name="lopende_toewijzing_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(beeindigd_per__isnull=True, beeindigd_by__isnull=True, beeindigd_wijze="")
                    | Q(beeindigd_per__isnull=False, beeindigd_by__isnull=False) & ~Q(beeindigd_wijze="")
                ),
                name="lopende_toewijzing_ended_completely",
            ),
        ]

    def __str__(self):
        return f"Lopende toewijzing bij {self.aanbieder_naam}"

    @property
    def ended(self) -> bool:
        return self.beeindigd_per is not None
