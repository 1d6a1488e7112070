"""What the Toegang and the aanmeldfase record: the IPVA, the phone consultation, the aanmeldgesprek
and the advice of the aanmeldtafel."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organisation

from .case import AdvisedSegment, Case, Hulpvorm


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
