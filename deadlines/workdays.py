"""Calendar arithmetic for deadlines: pure functions, no database, no clock.

Every due moment is the *end of the due day* in Europe/Amsterdam (23:59:59.999999 local time), returned
as an aware datetime in UTC, which is what the database stores. A deadline "2 weeks from 3 March" is met
by anything that happens on 17 March, whatever the hour, and the end of a day stays the end of that day
across a daylight-saving change because the local day is computed first and converted last.

Working days exclude Saturdays, Sundays and the Dutch public holidays of the `holidays` package
(`holidays.NL`, as pinned): Nieuwjaarsdag, Goede Vrijdag, Pasen, Koningsdag, Bevrijdingsdag (in lustrum
years, as the package has it), Hemelvaart, Pinksteren and Kerstmis.

Ages: a youth born on 29 February reaches an age in a non-leap year on 1 March (the day after 28
February has passed, as the Dutch civil register counts it). The same rule applies to month arithmetic
for ages: the day that does not exist in the target month moves to the first day of the next month. For
plain durations in months ("3 months after closing") the day is clamped to the month's last day instead
(31 January + 1 month = 28/29 February), which is how a reader of a letter counts "within three months".
"""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Unit:
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    AGE_YEARS = "age_years"  # the amount is the age in months: 192 = 16 years, 210 = 17.5 years


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.NL(years=year).keys())


def is_holiday(day: date) -> bool:
    return day in _holidays_of(day.year)


def holiday_name(day: date) -> str:
    return holidays.NL(years=day.year, language="nl").get(day, "")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def local_date(moment: datetime) -> date:
    """The Amsterdam calendar day of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: deadlines work with aware moments only")
    return moment.astimezone(AMSTERDAM).date()


def day_text(moment: datetime) -> str:
    """The Amsterdam day of a moment in Dutch running text: '3 maart 2026'."""
    return _dutch_day(local_date(moment))


@lru_cache(maxsize=4096)
def _dutch_day(day: date) -> str:
    # Django's date formatting, in Dutch; kept per day, as the sweep writes it for thousands of deadlines.
    from referrals.dates import nl_date

    return nl_date(day)


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Amsterdam, as an aware UTC datetime."""
    return datetime.combine(day, time.max, tzinfo=AMSTERDAM).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM).astimezone(UTC)


# --- Days ------------------------------------------------------------------------------------------


def add_working_days_to_date(day: date, n: int) -> date:
    """The n-th working day after `day` (the start day itself never counts). n = 0 gives `day`."""
    if n < 0:
        raise ValueError("n must not be negative")
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def subtract_working_days_from_date(day: date, n: int) -> date:
    """The n-th working day before `day`."""
    if n < 0:
        raise ValueError("n must not be negative")
    while n:
        day -= timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def add_months_to_date(day: date, months: int) -> date:
    """Calendar months, with the day clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def date_at_age(born: date, months: int) -> date:
    """The day a person born on `born` reaches an age of `months` months (16 years = 192).

    A birthday that does not exist in the target month (29 February in a non-leap year, or the 31st in a
    shorter month for half-year ages) falls on the first day of the next month."""
    index = born.year * 12 + born.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if born.day > last:
        return date(year, month, last) + timedelta(days=1)
    return date(year, month, born.day)


# --- Due moments -----------------------------------------------------------------------------------


def add_working_days(start: datetime, n: int) -> datetime:
    return end_of_day(add_working_days_to_date(local_date(start), n))


def add_days(start: datetime, n: int) -> datetime:
    return end_of_day(local_date(start) + timedelta(days=n))


def add_weeks(start: datetime, n: int) -> datetime:
    return add_days(start, 7 * n)


def add_months(start: datetime, n: int) -> datetime:
    return end_of_day(add_months_to_date(local_date(start), n))


def moment_at_age(born: date, months: int) -> datetime:
    """The end of the day on which a youth born on `born` reaches `months` months of age."""
    return end_of_day(date_at_age(born, months))


def due_moment(start: datetime, amount: int, unit: str, *, born: date | None = None) -> datetime:
    """The due moment of a rule of `amount` `unit` started at `start` (for ages: of a youth born on `born`)."""
    if unit == Unit.WORKING_DAYS:
        return add_working_days(start, amount)
    if unit == Unit.DAYS:
        return add_days(start, amount)
    if unit == Unit.WEEKS:
        return add_weeks(start, amount)
    if unit == Unit.MONTHS:
        return add_months(start, amount)
    if unit == Unit.AGE_YEARS:
        if born is None:
            raise ValueError("an age rule needs a date of birth")
        return moment_at_age(born, amount)
    raise ValueError(f"unknown unit {unit!r}")


def before(due: datetime, amount: int, unit: str) -> datetime:
    """The moment `amount` `unit` before a due moment (for reminders): the end of that earlier day."""
    day = local_date(due)
    if unit == Unit.WORKING_DAYS:
        day = subtract_working_days_from_date(day, amount)
    elif unit == Unit.DAYS:
        day -= timedelta(days=amount)
    elif unit == Unit.WEEKS:
        day -= timedelta(days=7 * amount)
    elif unit == Unit.MONTHS:
        day = add_months_to_date(day, -amount)
    else:
        raise ValueError(f"unit {unit!r} cannot be used for a reminder")
    # A reminder "2 working days before" is due at the start of that day, so people have the day to act.
    return start_of_day(day)


# --- How much time is left -------------------------------------------------------------------------


def working_days_left(now: datetime, due: datetime) -> int:
    """Working days from the day after `now` up to and including the due day; negative when overdue
    (the number of working days since the due day, today included when today is a working day)."""
    today, due_day = local_date(now), local_date(due)
    if due_day >= today:
        return _count_working_days(today, due_day)
    return -_count_working_days(due_day, today)


def days_left(now: datetime, due: datetime) -> int:
    """Calendar days from today to the due day (0 = due today; negative = overdue)."""
    return (local_date(due) - local_date(now)).days


def _count_working_days(after: date, upto: date) -> int:
    """Working days in (after, upto]."""
    count = 0
    day = after
    while day < upto:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
