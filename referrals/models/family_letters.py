"""Letters to the family that the case waits for until they are recorded as sent: who the coördinator and
the regievoerder are [HvB-QA 6], and the DAT-brief of the Toegang [HvB-STAP]."""

from django.conf import settings
from django.db import models

from .case import Case
from .documents import CaseDocument


class FamilyLetter(models.TextChoices):
    COORDINATOR = "coordinator", "Brief aan het gezin: uw coördinator"
    REGIEVOERDER = "regievoerder", "Brief aan het gezin: uw regievoerder"
    DAT_BRIEF = "dat_brief", "DAT-brief"


class SendMethod(models.TextChoices):
    POST = "post", "per post"
    EMAIL = "email", "per e-mail (beveiligd)"
    HANDED = "overhandigd", "overhandigd in een gesprek"


class FamilyLetterSent(models.Model):
    """One letter to the family recorded as sent: which letter, the stored PDF that was sent, when, how and
    by whom. A letter about a person covers the holder and the substitutes known when it was sent."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="family_letters_sent")
    letter = models.CharField("brief", max_length=20, choices=FamilyLetter.choices)
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="+", verbose_name="document")
    sent_on = models.DateField("verstuurd op")
    method = models.CharField("manier", max_length=20, choices=SendMethod.choices)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "verstuurde brief aan het gezin"
        verbose_name_plural = "verstuurde brieven aan het gezin"
        ordering = ["-recorded_at", "-pk"]
