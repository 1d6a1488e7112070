"""What the coordination services share: the case locked for the change, and the checks of a typed date."""

from datetime import date, datetime, time

from django.utils import timezone

from referrals.dates import nl_date
from referrals.models import Case
from referrals.services import too_long_ago

NO_RIGHTS = "U heeft geen rechten voor deze handeling."


def locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def check_day(errors: dict, name: str, day: date | None, *, what: str, not_before: date | None = None, label=""):
    """A date a person typed: not in the future, not more than a year back, not before `not_before`."""
    if day is None:
        errors[name] = f"Vul de datum in waarop {what}."
    elif day > timezone.localdate():
        errors[name] = "Deze datum ligt in de toekomst."
    elif too_long_ago(day):
        errors[name] = "Deze datum ligt meer dan een jaar terug. Controleer de datum."
    elif not_before is not None and day < not_before:
        errors[name] = f"Deze datum ligt vóór {label} ({nl_date(not_before)})."
