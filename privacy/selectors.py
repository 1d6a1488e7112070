"""Reading the access log for the privacy officer: per person, per case, and the AVG inzage report.

A log row belongs to a case when its object is the case or one of its documents, or when its
description names the case reference (lists, exports and messages log the references they showed).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import AccessLog, User
from accounts.services import log_access
from referrals.models import Case, CaseDocument


@dataclass
class LogFilters:
    persoon: str = ""
    casus: Case | None = None
    actie: str = ""
    van: date | None = None
    tot: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def case_q(case: Case) -> Q:
    as_text = [str(d) for d in CaseDocument.objects.filter(case=case).values_list("public_id", flat=True)]
    return (
        Q(object_type="casus", object_id=str(case.public_id))
        | Q(object_type="document", object_id__in=as_text)
        | Q(description__contains=case.reference)
    )


def access_log(filters: LogFilters) -> QuerySet[AccessLog]:
    qs = AccessLog.objects.select_related("user")
    for word in filters.persoon.split():
        qs = qs.filter(
            Q(user__username__icontains=word) | Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        )
    if filters.casus is not None:
        qs = qs.filter(case_q(filters.casus))
    if filters.actie:
        qs = qs.filter(action=filters.actie)
    if filters.van:
        qs = qs.filter(at__gte=_day_start(filters.van))
    if filters.tot:
        qs = qs.filter(at__lt=_day_start(filters.tot + timedelta(days=1)))
    return qs.order_by("-at", "-pk")


def actions() -> list[str]:
    return list(AccessLog.objects.order_by("action").values_list("action", flat=True).distinct())


def find_case(term: str) -> Case | None:
    """A case by its reference (S1-000012, S1-12, 12) or its identifier in a URL."""
    term = term.strip()
    qs = Case.objects.select_related("jeugdige")
    number = term.upper().removeprefix("S1-")
    if number.isascii() and number.isdigit() and len(number) <= 9:
        return qs.filter(pk=int(number)).first()
    try:
        return qs.filter(public_id=uuid.UUID(term)).first()
    except ValueError:
        return None


def case_for_report(public_id) -> Case | None:
    return Case.objects.select_related("jeugdige", "gemeente").filter(public_id=public_id).first()


def describe(filters: LogFilters | None) -> str:
    if filters is None:
        return "ongeldige filter"
    parts = [
        f"persoon {filters.persoon}" if filters.persoon else "",
        f"casus {filters.casus.reference}" if filters.casus else "",
        f"handeling {filters.actie}" if filters.actie else "",
        f"vanaf {filters.van:%d-%m-%Y}" if filters.van else "",
        f"tot en met {filters.tot:%d-%m-%Y}" if filters.tot else "",
    ]
    return ", ".join(p for p in parts if p) or "alles"


def log_log_read(user: User, filters: LogFilters | None, *, export: bool = False) -> None:
    """Every look at the access log is itself written to it: what was filtered, and whether it was exported."""
    log_access(
        user=user,
        action="exporteren" if export else "inzien",
        object_type="inzagelogboek",
        object_id=filters.casus.public_id if filters and filters.casus else "-",
        description=f"{'CSV-export inzagelogboek' if export else 'Inzagelogboek'}: {describe(filters)}",
    )


def report_rows(user: User, public_id) -> tuple[Case, list[AccessLog]] | None:
    """The case of an AVG inzage report and every access to its file, the report itself logged."""
    case = case_for_report(public_id)
    if case is None:
        return None
    rows = list(access_log(LogFilters(casus=case)))
    log_access(
        user=user,
        action="rapport",
        object_type="casus",
        object_id=case.public_id,
        description=f"{case.reference} AVG-inzageverslag",
    )
    return case, rows
