"""The iJw answer deadlines (DOMAIN.md section 6) in working days: weekends and Dutch public holidays
(`holidays.NL`) do not count. Shown on the message pages; the deadline engine keeps the real clocks."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

ANTWOORD_OP_JW315 = 5  # OP274: a JW301 or JW319 per requested product
IN_ONDERZOEK_WEKEN = 8  # OP274: after "2 in onderzoek" the final answer within 8 weeks
RETOUR = 3  # OP090: the retour on any received message
START_STOP = 5  # OP011 / OP288: JW305 / JW307 after care actually started / stopped


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.NL(years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day
