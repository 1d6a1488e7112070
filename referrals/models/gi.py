"""The bepaling jeugdhulp of a gecertificeerde instelling (GI) [HvB-STAP]."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organisation

from .case import Case
from .documents import CaseDocument


class GiMaatregel(models.TextChoices):
    """Under which measure the GI decides the care; jeugdreclassering may run up to 23 [HvB-STAP]."""

    OTS = "ots", "Ondertoezichtstelling (OTS)"
    VOOGDIJ = "voogdij", "Voogdij"
    JEUGDRECLASSERING = "jeugdreclassering", "Jeugdreclassering"
    ANDERS = "anders", "Anders"


class Eenheid(models.TextChoices):
    """The iJw units of an omvang, as messaging.codes.EENHEDEN (messaging sits above this app)."""

    MINUUT = "01", "minuut"
    UUR = "04", "uur"
    ETMAAL = "14", "etmaal"
    DAGDEEL = "16", "dagdeel (4 uur)"
    STUKS_OUTPUT = "82", "stuks (output)"
    EURO = "83", "euro's"
    STUKS_INSPANNING = "84", "stuks (inspanning)"


class Frequentie(models.TextChoices):
    PER_DAG = "1", "per dag"
    PER_WEEK = "2", "per week"
    PER_MAAND = "4", "per maand"
    TOTAAL = "6", "totaal binnen de geldigheidsduur"


class GiBepaling(models.Model):
    """A GI's bepaling jeugdhulp: which care, from when to when. On the route of another GI than JBB,
    Leger des Heils or William Schrikker Groep the gemeente assigns on it with a JW301, no JW315 [HvB-STAP]."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="gi_bepalingen")
    kind = models.CharField("maatregel", max_length=20, choices=GiMaatregel.choices)
    bepaald_op = models.DateField("datum bepaling")
    einddatum = models.DateField("einddatum", null=True, blank=True)
    gi = models.ForeignKey(
        Organisation,
        verbose_name="gecertificeerde instelling",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "gi"},
    )
    # The GI as named: the organisation above, or (another GI, not in the directory) the case's verwijzer.
    gi_naam = models.CharField("naam GI", max_length=200)
    categorie = models.CharField("productcategorie", max_length=2)
    product_code = models.CharField("productcode", max_length=5, blank=True)
    volume = models.PositiveIntegerField("volume", null=True, blank=True)
    eenheid = models.CharField("eenheid", max_length=2, choices=Eenheid.choices, blank=True)
    frequentie = models.CharField("frequentie", max_length=1, choices=Frequentie.choices, blank=True)
    document = models.ForeignKey(
        CaseDocument, verbose_name="document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The public id of the JW301 the gemeente sent on this bepaling (messaging sits above this app).
    toewijzing_bericht = models.UUIDField("toewijzing (JW301)", null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="vastgelegd door"
    )
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "GI-bepaling"
        verbose_name_plural = "GI-bepalingen"
        ordering = ["-bepaald_op", "-pk"]
        permissions = [("record_gi_bepaling", "GI-bepaling vastleggen")]
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=models.F("bepaald_op")),
                name="gi_bepaling_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.gi_naam})"

    @property
    def product_label(self) -> str:
        label = self.product_code or f"categorie {self.categorie}"
        if self.volume is not None:
            label += f", {self.volume} {self.get_eenheid_display()} {self.get_frequentie_display()}"
        return label
