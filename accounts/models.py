from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from .append_only import AppendOnlyModel
from .roles import ROLE_CHOICES, role_label

cbs_code_validator = RegexValidator(r"^\d{4}$", "Een CBS-gemeentecode bestaat uit 4 cijfers.")
agb_code_validator = RegexValidator(r"^\d{8}$", "Een AGB-code bestaat uit 8 cijfers.")


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente"
    TOEGANG = "toegang", "Toegangsteam"
    CROSSROADS = "crossroads", "Crossroads"
    PARTNER = "partner", "Crossroads-partner"
    JEUGDZORGPLUS = "jeugdzorgplus", "Jeugdzorgplus-aanbieder"
    GI = "gi", "Gecertificeerde instelling"


class Organisation(models.Model):
    kind = models.CharField("soort", max_length=20, choices=OrganisationKind.choices)
    name = models.CharField("naam", max_length=200, unique=True)
    cbs_code = models.CharField("CBS-gemeentecode", max_length=4, blank=True, validators=[cbs_code_validator])
    agb_code = models.CharField("AGB-code", max_length=8, blank=True, validators=[agb_code_validator])
    gemeente = models.ForeignKey(
        "self",
        verbose_name="gemeente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        limit_choices_to={"kind": OrganisationKind.GEMEENTE},
        help_text="Voor een Toegangsteam: de gemeente waarvoor het werkt.",
    )
    strategic_partner = models.BooleanField("strategisch partner", default=False)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    office_hours = models.CharField("bereikbaarheid", max_length=200, blank=True)
    # The postal address, for letterheads and the contact directory [HvB-QA Bijlage 1].
    postadres = models.CharField(
        "postadres", max_length=200, blank=True, help_text="Straat en huisnummer, of postbus met nummer."
    )
    postcode = models.CharField("postcode", max_length=7, blank=True)
    plaats = models.CharField("plaats", max_length=100, blank=True)
    callback_note = models.CharField(
        "terugbelverzoek",
        max_length=300,
        blank=True,
        help_text="Hoe een professional om terugbellen vraagt, bijvoorbeeld via welk nummer of formulier.",
    )

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cbs_code"], condition=~models.Q(cbs_code=""), name="organisation_unique_cbs_code"
            ),
            models.UniqueConstraint(
                fields=["agb_code"], condition=~models.Q(agb_code=""), name="organisation_unique_agb_code"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.GEMEENTE) | ~models.Q(cbs_code=""),
                name="organisation_gemeente_has_cbs_code",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=[OrganisationKind.PARTNER, OrganisationKind.JEUGDZORGPLUS])
                | ~models.Q(agb_code=""),
                name="organisation_provider_has_agb_code",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.TOEGANG) | models.Q(gemeente__isnull=False),
                name="organisation_toegang_has_gemeente",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def own_gemeente(self):
        """The gemeente this organisation is or works for (None for providers)."""
        if self.kind == OrganisationKind.GEMEENTE:
            return self
        if self.kind == OrganisationKind.TOEGANG:
            return self.gemeente
        return None

    @property
    def own_gemeente_id(self) -> int | None:
        """The id of own_gemeente, without a query to load it."""
        if self.kind == OrganisationKind.GEMEENTE:
            return self.pk
        if self.kind == OrganisationKind.TOEGANG:
            return self.gemeente_id
        return None


class EscalationLevel(models.IntegerChoices):
    MEDEWERKER = 1, "Medewerker"
    TEAMLEIDER = 2, "Teamleider"
    MANAGER = 3, "Manager"


class EscalationContact(models.Model):
    """One step of an organisation's escalation line (worker -> team lead -> manager) in the contact
    directory [DOMAIN 10, HvB-QA Bijlage 1], kept by the functioneel beheerder."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.CASCADE, related_name="escalation_contacts"
    )
    level = models.PositiveSmallIntegerField("niveau", choices=EscalationLevel.choices)
    name = models.CharField("naam of functie", max_length=200)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)

    class Meta:
        verbose_name = "escalatiecontact"
        verbose_name_plural = "escalatielijn"
        ordering = ["organisation", "level"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "level"], name="one_escalation_contact_per_level"),
            models.CheckConstraint(condition=~models.Q(phone="", email=""), name="escalation_contact_reachable"),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.name}"

    def clean(self):
        super().clean()
        if not self.phone.strip() and not self.email.strip():
            raise ValidationError({"phone": "Vul een telefoonnummer of een e-mailadres in."})


def is_gastheergemeente(organisation) -> bool:
    """The gastheergemeente (Tilburg) [HvB-STAP]: all iJw messages of the region run through it, so its
    backoffice handles, and is warned about, the messages of every gemeente (settings.IJW_GASTHEERGEMEENTE)."""
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.GEMEENTE
        and organisation.cbs_code == settings.IJW_GASTHEERGEMEENTE
    )


def gastheergemeente_id() -> int | None:
    return (
        Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, cbs_code=settings.IJW_GASTHEERGEMEENTE)
        .values_list("pk", flat=True)
        .first()
    )


class User(AbstractUser):
    role = models.CharField("rol", max_length=30, choices=ROLE_CHOICES, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField("telefoon", max_length=30, blank=True)
    otp_required = models.BooleanField(
        "tweede factor verplicht",
        default=False,
        help_text="Bij inloggen ook een code uit een authenticator-app vragen (TOTP).",
    )

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role and self.organisation_id is None:
            raise ValidationError({"organisation": "Een gebruiker met een rol hoort bij een organisatie."})

    @property
    def role_label(self) -> str:
        return role_label(self.role)


class AccessLog(AppendOnlyModel):
    """Who looked at which personal data, and when (NEN 7513 style). Insert only."""

    append_only_message = "Het inzagelogboek kan niet worden gewijzigd of verwijderd."

    at = models.DateTimeField("moment", auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, verbose_name="gebruiker", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("rol", max_length=30)
    organisation = models.CharField("organisatie", max_length=200, blank=True)
    action = models.CharField("handeling", max_length=40)
    object_type = models.CharField("soort gegeven", max_length=40)
    object_id = models.CharField("kenmerk", max_length=64, db_index=True)
    description = models.CharField("omschrijving", max_length=300, blank=True)

    class Meta:
        verbose_name = "inzage"
        verbose_name_plural = "inzagelogboek"
        ordering = ["-at"]

    @property
    def role_label(self) -> str:
        return role_label(self.role) or self.role
