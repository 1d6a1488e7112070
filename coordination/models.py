from django.conf import settings
from django.db import models
from django.db.models import Q

from referrals.models import Case


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
    withdrawn_on = models.DateField("ingetrokken op", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]
