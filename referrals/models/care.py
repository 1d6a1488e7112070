"""Care records: behandelplan, evaluations, signals, crisis, afronding, beschikking and the
Perspectiefplan 18-/18+."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organisation

from .case import Case

# --- Care: plan, evaluations, signals, crisis, afronding ---------------------------------------------


class Behandelplan(models.Model):
    """One version of the treatment plan; a change is a new version (who, when, why)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="behandelplannen")
    version = models.PositiveIntegerField("versie")
    doelen = models.TextField("doelen")
    resultaten = models.TextField("beoogde resultaten")
    afspraken = models.TextField("afspraken en inzet", blank=True)
    wijziging = models.CharField("wat is er gewijzigd en waarom", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("vastgelegd op")

    class Meta:
        verbose_name = "behandelplan"
        verbose_name_plural = "behandelplannen"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="behandelplan_unique_version")]


class Evaluatie(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evaluaties")
    datum = models.DateField("datum")
    aanwezigen = models.CharField("aanwezigen", max_length=300)
    verslag = models.TextField("verslag")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tussentijdse evaluatie"
        verbose_name_plural = "tussentijdse evaluaties"
        ordering = ["-datum", "-pk"]


class SignaalDomein(models.TextChoices):
    WMO = "wmo", "Ondersteuning thuis (Wmo)"
    WONEN = "wonen", "Wonen"
    SCHULDEN = "schulden", "Schulden en financiën"
    ONDERWIJS = "onderwijs", "School en onderwijs"
    WERK_INKOMEN = "werk_inkomen", "Werk en inkomen (Participatiewet)"
    GEZONDHEID = "gezondheid", "Gezondheid van ouders"
    VEILIGHEID = "veiligheid", "Veiligheid"
    OVERIG = "overig", "Overig"


class Signaal(models.Model):
    """The regievoerder signals what the family needs outside youth care; the coördinator picks it up."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="signalen")
    domein = models.CharField("leefgebied", max_length=20, choices=SignaalDomein.choices)
    beschrijving = models.TextField("wat is er nodig")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("gesignaleerd op")
    opgepakt_op = models.DateTimeField("opgepakt op", null=True, blank=True)
    opgepakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reactie = models.TextField("reactie coördinator", blank=True)

    class Meta:
        verbose_name = "signaal"
        verbose_name_plural = "signalen"
        ordering = ["opgepakt_op", "-created_at"]


class Crisis(models.Model):
    """A crisis during care [HvB-WI 4]: reported by anyone on the case, closed by the coördinator
    once the Perspectiefplan Crisis is recorded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="crises")
    gemeld_op = models.DateTimeField("gemeld op")
    gesignaleerd_door = models.CharField("gesignaleerd door", max_length=200)
    reden = models.TextField("wat is er aan de hand")
    cit_gecontacteerd = models.BooleanField("crisisinterventieteam (CIT) ingeschakeld")
    geinformeerd = models.CharField("wie is geïnformeerd", max_length=300)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    plan = models.TextField("Perspectiefplan Crisis", blank=True)
    plan_met_cit = models.BooleanField("opgesteld met het CIT", default=False)
    plan_met_jeugdige = models.BooleanField("opgesteld met de jeugdige", default=False)
    plan_met_crisisaanbieder = models.BooleanField("opgesteld met de crisisaanbieder", default=False)
    plan_met_regievoerder = models.BooleanField("opgesteld met de regievoerder", default=False)
    plan_vastgelegd_op = models.DateTimeField("plan vastgelegd op", null=True, blank=True)
    plan_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    afgesloten_op = models.DateTimeField("crisis afgesloten op", null=True, blank=True)

    class Meta:
        verbose_name = "crisis"
        verbose_name_plural = "crises"
        ordering = ["-gemeld_op"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(afgesloten_op__isnull=True), name="one_open_crisis"),
            models.CheckConstraint(
                condition=Q(plan_vastgelegd_op__isnull=True)
                | (
                    ~Q(plan="")
                    & Q(
                        plan_met_cit=True,
                        plan_met_jeugdige=True,
                        plan_met_crisisaanbieder=True,
                        plan_met_regievoerder=True,
                    )
                ),
                name="crisis_plan_made_with_all",
            ),
            models.CheckConstraint(
                condition=Q(afgesloten_op__isnull=True) | Q(plan_vastgelegd_op__isnull=False),
                name="crisis_closed_with_plan",
            ),
        ]

    @property
    def plan_complete(self) -> bool:
        return self.plan_vastgelegd_op is not None


class Eindevaluatie(models.Model):
    """The final evaluation [HvB-WI 3]: with the jeugdige and the verwijzer, and the coördinator."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="eindevaluatie")
    datum = models.DateField("datum")
    jeugdige_aanwezig = models.BooleanField("jeugdige (en ouders) aanwezig")
    verwijzer_aanwezig = models.BooleanField("verwijzer aanwezig")
    coordinator_aanwezig = models.BooleanField("coördinator aanwezig")
    verslag = models.TextField("verslag")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "eindevaluatie"
        verbose_name_plural = "eindevaluaties"


class FoaBesluit(models.TextChoices):
    GEEN_VERVOLG = "geen_vervolg", "De zorg gaat niet door in een ander segment"
    FOA = "foa", "De zorg gaat door in een ander segment: FOA opgesteld"
    GEEN_FOA = "geen_foa", "De zorg gaat door in een ander segment: samen besloten dat er geen FOA nodig is"


class LichteHulpAfloop(models.TextChoices):
    AFGEROND = "afgerond", "De lichte hulp is afgerond"
    FOA = "foa", "De hulp loopt langer door: opgenomen in een FOA"
    GESTOPT = "gestopt", "Gestopt om een andere reden"


class Vervolg(models.Model):
    """What follows segment 1 [HvB-QA 7, HvB-WI 2.1]: an FOA where care continues in another segment, or
    the joint decision that none is needed; light help may continue for at most 3 months."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="vervolg")
    besluit = models.CharField("vervolg", max_length=20, choices=FoaBesluit.choices)
    toelichting = models.TextField("toelichting", blank=True)
    lichte_hulp_loopt_door = models.BooleanField("lichte hulp loopt na afsluiting door", default=False)
    # Light help after closing ends within 3 months, or what follows is in an FOA [HvB-WI 2.1].
    lichte_hulp_gestopt_op = models.DateField("lichte hulp gestopt op", null=True, blank=True)
    lichte_hulp_afloop = models.CharField(
        "hoe de lichte hulp eindigde", max_length=20, choices=LichteHulpAfloop.choices, blank=True
    )
    lichte_hulp_toelichting = models.TextField("toelichting op het einde van de lichte hulp", blank=True)
    lichte_hulp_gestopt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "vervolg na segment 1"
        verbose_name_plural = "vervolg na segment 1"
        constraints = [
            models.CheckConstraint(
                condition=~Q(besluit="geen_foa") | ~Q(toelichting=""), name="vervolg_geen_foa_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(lichte_hulp_gestopt_op__isnull=True, lichte_hulp_afloop="")
                | Q(lichte_hulp_gestopt_op__isnull=False, lichte_hulp_loopt_door=True) & ~Q(lichte_hulp_afloop=""),
                name="vervolg_lichte_hulp_stop_complete",
            ),
        ]

    @property
    def lichte_hulp_loopt(self) -> bool:
        """Light help continues after closing and has not been recorded as stopped."""
        return self.lichte_hulp_loopt_door and self.lichte_hulp_gestopt_op is None


# --- Beschikking and Perspectiefplan 18-/18+ ----------------------------------------------------------


class ProductCategorie(models.TextChoices):
    """The iJw product categories (JZ020) a segment 1 beschikking uses."""

    DAGBEHANDELING = "41", "41 Dagbehandeling"
    VERBLIJF_MET_BEHANDELING = "43", "43 Jeugdhulp verblijf (incl. behandeling)"
    VERBLIJF_ZONDER_BEHANDELING = "44", "44 Jeugdhulp verblijf (excl. behandeling)"
    AMBULANT = "45", "45 Jeugdhulp ambulant"
    CRISIS = "46", "46 Jeugdhulp crisis"
    JEUGD_GGZ = "54", "54 Jeugd-ggz"


class Beschikking(models.Model):
    """The decision Crossroads sends to the family [HvB-STAP]. Segment 1 is decided without an end date
    [HvB-S1]: the period has a start only. Jeugdzorgplus (43A12) has no beschikking."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="beschikking")
    beschikkingsnummer = models.CharField("beschikkingsnummer", max_length=20, unique=True)
    afgegeven_op = models.DateField("afgegeven op")
    resultaat = models.CharField("resultaat", max_length=300)
    aanbieder = models.ForeignKey(Organisation, verbose_name="aanbieder", on_delete=models.PROTECT, related_name="+")
    productcategorie = models.CharField("productcategorie", max_length=2, choices=ProductCategorie.choices)
    productcode = models.CharField("productcode", max_length=5)
    activiteiten = models.TextField("activiteiten")
    frequentie = models.CharField("frequentie", max_length=200)
    ingangsdatum = models.DateField("ingangsdatum")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "beschikking"
        verbose_name_plural = "beschikkingen"
        constraints = [
            models.CheckConstraint(condition=~Q(productcode="43A12"), name="beschikking_not_for_jeugdzorgplus"),
            models.CheckConstraint(
                condition=Q(productcode__startswith=models.F("productcategorie")), name="beschikking_code_in_categorie"
            ),
        ]


class PerspectiefDomein(models.TextChoices):
    ZORG = "zorg", "Zorg"
    ONDERWIJS = "onderwijs", "Onderwijs"
    WERK = "werk", "Werk"
    VRIJE_TIJD = "vrije_tijd", "Vrije tijd"
    GEZONDHEID = "gezondheid", "Gezondheid"
    FINANCIEN = "financien", "Financiën"


PERSPECTIEF_ASPECTEN = {
    "stand": "Stand van zaken",
    "resultaten": "Nog te bereiken resultaten",
    "partijen": "Betrokken partijen",
    "kader": "Wettelijk kader",
}


class Perspectiefplan(models.Model):
    """Perspectiefplan 18-/18+ [HvB-QA 3]: started at 16, finished at 17.5, on every life domain."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="perspectiefplan")
    gestart_op = models.DateField("gestart op")
    gereed_op = models.DateField("gereed op", null=True, blank=True)
    # {domein: {aspect: text}} for the domains of PerspectiefDomein and the aspects of PERSPECTIEF_ASPECTEN.
    domeinen = models.JSONField("leefdomeinen", default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "perspectiefplan 18-/18+"
        verbose_name_plural = "perspectiefplannen 18-/18+"
        constraints = [
            models.CheckConstraint(
                condition=Q(gereed_op__isnull=True) | Q(gereed_op__gte=models.F("gestart_op")),
                name="perspectiefplan_gereed_after_start",
            )
        ]

    def rows(self):
        """(domain label, [(aspect label, text)]) for every domain, in order."""
        return [
            (
                label,
                [(a_label, (self.domeinen.get(value) or {}).get(a, "")) for a, a_label in PERSPECTIEF_ASPECTEN.items()],
            )
            for value, label in PerspectiefDomein.choices
        ]

    def missing(self) -> list[str]:
        """Domains whose state of affairs or results to reach are still empty."""
        return [
            label
            for value, label in PerspectiefDomein.choices
            if not all(((self.domeinen.get(value) or {}).get(a) or "").strip() for a in ("stand", "resultaten"))
        ]
