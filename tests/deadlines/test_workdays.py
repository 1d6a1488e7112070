"""The pure calendar module: working days (weekends, Dutch holidays), calendar units, ages, DST."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deadlines import workdays
from deadlines.workdays import AMSTERDAM, Unit


def ams(y, m, d, hour=12) -> datetime:
    return datetime(y, m, d, hour, tzinfo=AMSTERDAM)


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)


def assert_end_of(moment: datetime, day: date):
    assert moment.tzinfo is UTC
    lm = local(moment)
    assert lm.date() == day
    assert (lm.hour, lm.minute, lm.second) == (23, 59, 59)


# --- Working days -----------------------------------------------------------------------------------


def test_holidays_are_the_dutch_ones():
    assert workdays.is_holiday(date(2026, 4, 27))  # Koningsdag
    assert workdays.is_holiday(date(2026, 4, 6))  # Tweede Paasdag
    assert workdays.is_holiday(date(2026, 5, 14))  # Hemelvaart
    assert workdays.is_holiday(date(2026, 12, 25))
    assert not workdays.is_holiday(date(2026, 3, 10))
    assert "Koningsdag" in workdays.holiday_name(date(2026, 4, 27))


def test_a_working_day_after_friday_is_monday():
    assert_end_of(workdays.add_working_days(ams(2026, 3, 13), 1), date(2026, 3, 16))


def test_five_working_days_skip_the_weekend():
    # Tuesday 10 March + 5 working days = Tuesday 17 March
    assert_end_of(workdays.add_working_days(ams(2026, 3, 10), 5), date(2026, 3, 17))


def test_working_days_skip_koningsdag():
    # Friday 24 April 2026 + 1: Monday 27 April is Koningsdag, so Tuesday 28 April.
    assert_end_of(workdays.add_working_days(ams(2026, 4, 24), 1), date(2026, 4, 28))


def test_working_days_skip_easter():
    # Thursday 2 April 2026 + 1: Goede Vrijdag (package), the weekend and Tweede Paasdag -> Tuesday 7 April.
    assert_end_of(workdays.add_working_days(ams(2026, 4, 2), 1), date(2026, 4, 7))
    # and the Monday of Pinksteren
    assert_end_of(workdays.add_working_days(ams(2026, 5, 22), 1), date(2026, 5, 26))


def test_a_start_on_a_saturday_counts_from_the_next_working_day():
    assert_end_of(workdays.add_working_days(ams(2026, 3, 7), 1), date(2026, 3, 9))


def test_zero_working_days_is_the_day_itself_and_negative_is_refused():
    assert_end_of(workdays.add_working_days(ams(2026, 3, 7), 0), date(2026, 3, 7))
    with pytest.raises(ValueError):
        workdays.add_working_days(ams(2026, 3, 7), -1)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=40))
def test_n_working_days_later_lands_on_a_working_day_n_working_days_on(day, n):
    due = workdays.add_working_days_to_date(day, n)
    assert workdays.is_working_day(due)
    assert workdays._count_working_days(day, due) == n
    assert workdays.subtract_working_days_from_date(due, n) <= day


# --- Calendar units ---------------------------------------------------------------------------------


def test_weeks_and_days():
    assert_end_of(workdays.add_weeks(ams(2026, 3, 3), 2), date(2026, 3, 17))
    assert_end_of(workdays.add_days(ams(2026, 3, 3), 3), date(2026, 3, 6))
    assert_end_of(workdays.due_moment(ams(2026, 3, 3), 8, Unit.WEEKS), date(2026, 4, 28))


def test_months_clamp_to_the_end_of_a_shorter_month():
    assert_end_of(workdays.add_months(ams(2026, 1, 31), 1), date(2026, 2, 28))
    assert_end_of(workdays.add_months(ams(2028, 1, 31), 1), date(2028, 2, 29))
    assert_end_of(workdays.add_months(ams(2026, 8, 31), 3), date(2026, 11, 30))
    assert_end_of(workdays.add_months(ams(2026, 11, 15), 3), date(2027, 2, 15))


def test_the_day_is_the_amsterdam_day_not_the_utc_day():
    # 23:30 UTC on 2 March is 00:30 on 3 March in Amsterdam: the clock starts on 3 March.
    start = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert_end_of(workdays.add_weeks(start, 2), date(2026, 3, 17))


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        workdays.add_days(datetime(2026, 3, 3, 12), 1)


# --- Daylight saving --------------------------------------------------------------------------------


def test_end_of_day_across_the_spring_change():
    # Summer time starts on Sunday 29 March 2026: the day ends at 21:59:59 UTC instead of 22:59:59.
    before = workdays.add_days(ams(2026, 3, 26), 2)  # Saturday 28 March (CET)
    after = workdays.add_days(ams(2026, 3, 26), 3)  # Sunday 29 March (CEST)
    assert_end_of(before, date(2026, 3, 28))
    assert_end_of(after, date(2026, 3, 29))
    assert before.hour == 22 and after.hour == 21
    assert local(after).utcoffset() == timedelta(hours=2)


def test_end_of_day_across_the_autumn_change():
    due = workdays.add_working_days(ams(2026, 10, 23), 1)  # Friday -> Monday 26 October (CET again)
    assert_end_of(due, date(2026, 10, 26))
    assert due.hour == 22
    assert_end_of(workdays.add_days(ams(2026, 10, 24), 1), date(2026, 10, 25))


# --- Ages -------------------------------------------------------------------------------------------


def test_sixteenth_birthday_and_seventeen_and_a_half():
    born = date(2010, 1, 15)
    assert_end_of(workdays.moment_at_age(born, 192), date(2026, 1, 15))
    assert_end_of(workdays.moment_at_age(born, 210), date(2027, 7, 15))
    assert_end_of(workdays.due_moment(ams(2026, 3, 3), 192, Unit.AGE_YEARS, born=born), date(2026, 1, 15))


def test_born_on_29_february_has_the_birthday_on_1_march_in_a_non_leap_year():
    born = date(2012, 2, 29)
    assert workdays.date_at_age(born, 16 * 12) == date(2028, 2, 29)  # 2028 is a leap year
    assert workdays.date_at_age(born, 17 * 12) == date(2029, 3, 1)
    assert workdays.date_at_age(date(2008, 2, 29), 18 * 12) == date(2026, 3, 1)
    assert workdays.date_at_age(born, 210) == date(2029, 8, 29)


def test_half_year_age_of_a_day_the_month_lacks_moves_to_the_first_of_the_next_month():
    assert workdays.date_at_age(date(2010, 8, 31), 210) == date(2028, 3, 1)


def test_an_age_rule_needs_a_birth_date():
    with pytest.raises(ValueError):
        workdays.due_moment(ams(2026, 3, 3), 192, Unit.AGE_YEARS)


# --- Time left and reminders ------------------------------------------------------------------------


def test_working_days_left():
    now = ams(2026, 3, 10, 11)  # Tuesday
    assert workdays.working_days_left(now, workdays.end_of_day(date(2026, 3, 13))) == 3
    assert workdays.working_days_left(now, workdays.end_of_day(date(2026, 3, 16))) == 4  # over the weekend
    assert workdays.working_days_left(now, workdays.end_of_day(date(2026, 3, 10))) == 0
    assert workdays.working_days_left(now, workdays.end_of_day(date(2026, 3, 6))) == -2  # Fri 6 -> Tue 10
    # Koningsdag does not count
    assert workdays.working_days_left(ams(2026, 4, 24), workdays.end_of_day(date(2026, 4, 28))) == 1


def test_days_left():
    now = ams(2026, 3, 10, 23)
    assert workdays.days_left(now, workdays.end_of_day(date(2026, 3, 17))) == 7
    assert workdays.days_left(now, workdays.end_of_day(date(2026, 3, 9))) == -1


def test_reminder_moment_is_the_start_of_the_earlier_day():
    due = workdays.end_of_day(date(2026, 3, 17))  # Tuesday
    assert local(workdays.before(due, 2, Unit.WORKING_DAYS)) == datetime(2026, 3, 13, tzinfo=AMSTERDAM)
    assert local(workdays.before(due, 3, Unit.DAYS)) == datetime(2026, 3, 14, tzinfo=AMSTERDAM)
    assert local(workdays.before(due, 1, Unit.WEEKS)) == datetime(2026, 3, 10, tzinfo=AMSTERDAM)
    with pytest.raises(ValueError):
        workdays.before(due, 1, Unit.AGE_YEARS)
