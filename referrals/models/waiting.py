"""Overbruggingszorg: help arranged while the youth waits for segment 1 care [HvB-S1, HvB-WI fn 2]."""

from django.conf import settings
from django.db import models

from .case import Case


class Overbrugging(models.Model):
    """Help that bridges the wait for the start of care: who gives it, what it is, and from when. Recorded
    when it is arranged, not only once the care has started."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="overbruggingen")
    door = models.CharField("door wie", max_length=200)
    wat = models.TextField("welke hulp")
    vanaf = models.DateField("vanaf")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "overbruggingszorg"
        verbose_name_plural = "overbruggingszorg"
        ordering = ["-vanaf", "-pk"]
