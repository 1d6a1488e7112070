"""The meldcode huiselijk geweld en kindermishandeling: a consultation of Veilig Thuis, a melding or a
zorgmelding recorded as a step on the case (date, who, with whom, outcome) [HvB-WI, HvB-QA]."""

from django.conf import settings
from django.db import models

from .case import Case


class MeldcodeSoort(models.TextChoices):
    CONSULTATIE_VT = "consultatie_vt", "Consultatie Veilig Thuis"
    MELDING_VT = "melding_vt", "Melding bij Veilig Thuis"
    ZORGMELDING = "zorgmelding", "Zorgmelding"
    AFWEGING = "afweging", "Afweging: geen melding, hulp zelf georganiseerd"


class MeldcodeStap(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meldcode_stappen")
    soort = models.CharField("stap", max_length=20, choices=MeldcodeSoort.choices)
    datum = models.DateField("datum")
    met_wie = models.CharField("met wie", max_length=200)
    uitkomst = models.TextField("uitkomst")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="door", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "stap meldcode"
        verbose_name_plural = "stappen meldcode"
        ordering = ["-datum", "-pk"]
