"""Working days: Monday to Friday, French public holidays excluded."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.France(years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def previous_working_days(today: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day counting back from ``today`` (today itself counts)."""
    day, found = today, 0
    while True:
        if is_working_day(day):
            found += 1
            if found == count:
                return day
        day -= datetime.timedelta(days=1)


def reminder_cutoff(today: datetime.date, working_days: int = 2) -> datetime.date:
    """Referrals received strictly before this date have waited ``working_days`` working days.

    A referral received on day D is late once ``working_days`` working days have begun
    after D: received on a Friday, it is late on Tuesday; on a Thursday before Easter
    Monday, on Tuesday too.
    """
    return previous_working_days(today, working_days)
