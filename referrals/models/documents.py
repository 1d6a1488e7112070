"""Documents on the case, and documents made in the background."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .case import Case


class DocumentKind(models.TextChoices):
    IPVA = "ipva", "IPVA"
    DAT_BRIEF = "dat_brief", "DAT-brief"
    WAT_BRIEF = "wat_brief", "WAT-brief"
    ADVIESVERSLAG = "adviesverslag", "Adviesverslag aanmeldtafel"
    BESCHIKKING = "beschikking", "Beschikking"
    VERWIJZING = "verwijzing", "Verwijsbrief of bepaling"
    BEHANDELPLAN = "behandelplan", "Behandelplan"
    EVALUATIE = "evaluatie", "Evaluatie"
    EINDEVALUATIE = "eindevaluatie", "Eindevaluatie"
    FOA = "foa", "FOA (formulier onderbouwing aanvraag)"
    PERSPECTIEFPLAN = "perspectiefplan", "Perspectiefplan 18-/18+"
    PERSPECTIEFPLAN_CRISIS = "perspectiefplan_crisis", "Perspectiefplan Crisis"
    ZORGMELDING = "zorgmelding", "Zorgmelding / VTO (meldcode)"
    DOSSIEROVERZICHT = "dossieroverzicht", "Dossieroverzicht (overdracht)"
    BRIEF_COORDINATOR = "brief_coordinator", "Brief aan het gezin: coördinator"
    BRIEF_REGIEVOERDER = "brief_regievoerder", "Brief aan het gezin: regievoerder"
    OVERIG = "overig", "Overig"


def document_path(instance, filename):
    return f"cases/{instance.case.public_id}/{uuid.uuid4().hex}"


class CaseDocument(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("soort", max_length=30, choices=DocumentKind.choices)
    title = models.CharField("titel", max_length=200)
    version = models.PositiveIntegerField("versie")
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField("bestandsnaam", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField("controlegetal (SHA-256)", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documenten"
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "version"], name="document_unique_version")]


class JobStatus(models.TextChoices):
    WACHTEND = "wachtend", "Wacht op de achtergrondtaak"
    BEZIG = "bezig", "Bezig"
    KLAAR = "klaar", "Klaar"
    MISLUKT = "mislukt", "Mislukt"


class DocumentJob(models.Model):
    """A document made in the background (Celery): its progress for the page that polls it, and the stored
    document when it is done."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="document_jobs")
    kind = models.CharField("soort", max_length=30, choices=DocumentKind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    status = models.CharField("stand", max_length=10, choices=JobStatus.choices, default=JobStatus.WACHTEND)
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    step = models.CharField("stap", max_length=100, blank=True)
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    error = models.CharField("reden", max_length=300, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)

    class Meta:
        verbose_name = "document in de maak"
        verbose_name_plural = "documenten in de maak"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="documentjob_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(status="klaar") | Q(document__isnull=False), name="documentjob_done_has_document"
            ),
        ]

    # Still waiting or running this long after it was asked for: its worker is gone (stopped, restarted).
    STALLED_AFTER = timedelta(minutes=10)
    STALLED_ERROR = "Het maken duurde te lang en is gestopt. Kies op de casuspagina opnieuw ‘Maken’."

    @property
    def stalled(self) -> bool:
        running = self.status in (JobStatus.WACHTEND, JobStatus.BEZIG)
        return running and timezone.now() - self.requested_at > self.STALLED_AFTER
