"""Reads of the accounts app: the contact directory [DOMAIN 10, HvB-QA Bijlage 1]."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .models import EscalationContact, Organisation, OrganisationKind

# The order the directory lists the kinds in: the coalition first, then who refers.
DIRECTORY_ORDER = [
    OrganisationKind.CROSSROADS,
    OrganisationKind.PARTNER,
    OrganisationKind.TOEGANG,
    OrganisationKind.GEMEENTE,
    OrganisationKind.GI,
    OrganisationKind.JEUGDZORGPLUS,
]


@dataclass
class DirectorySection:
    kind: str
    label: str
    organisations: list[Organisation]


def contact_directory(kind: str = "", query: str = "") -> list[DirectorySection]:
    """Every organisation with its contact details, opening hours and escalation line, grouped by kind
    (two queries). Professional contact data only: nothing about a youth, so nothing to log."""
    qs: QuerySet[Organisation] = Organisation.objects.select_related("gemeente").prefetch_related(
        Prefetch("escalation_contacts", queryset=EscalationContact.objects.order_by("level"))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if query.strip():
        qs = qs.filter(name__icontains=query.strip())
    by_kind: dict[str, list[Organisation]] = {}
    for org in qs.order_by("name"):
        by_kind.setdefault(org.kind, []).append(org)
    return [DirectorySection(k, OrganisationKind(k).label, by_kind[k]) for k in DIRECTORY_ORDER if by_kind.get(k)]
