"""People on the case: who held a role when, and substitutes."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from .case import Case


class CaseRole(models.TextChoices):
    REGIEVOERDER = "regievoerder", "Regievoerder"
    COORDINATOR = "coordinator", "Coördinator"


class CaseRoleHolder(models.Model):
    """Who held a role (coördinator, regievoerder) on the case, and when: the history of the people on the
    case. Not an iJw toewijzing (JW301). The current holder is also on the case (Case.regievoerder,
    Case.coordinator); the services keep the two in step."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="role_history")
    role = models.CharField("rol", max_length=20, choices=CaseRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_roles_held")
    started_at = models.DateTimeField("vanaf")
    ended_at = models.DateTimeField("tot", null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        verbose_name = "rol op de casus"
        verbose_name_plural = "rollen op de casus"
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
