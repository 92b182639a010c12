"""Calendar arithmetic and people's ages, one rule each for every app.

Months are added the way people count them (``dateutil.relativedelta``): 31 January plus one
month is the last day of February, not 3 March. An age is the number of birthdays passed.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

# Birth years typed before this one are slips (1890 for 1990), as are years to come.
EARLIEST_BIRTH_YEAR = 1900


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    return day + relativedelta(months=months)


def age_on(day: datetime.date, *, birth_date=None, birth_year=None) -> int | None:
    """Age in whole years on ``day``: birthdays passed when the date of birth is known,
    else the age reached in ``day``'s year; None when neither is known."""
    if birth_date:
        # Not relativedelta: it would make a person born on 29 February a year older on
        # 28 February of a common year; here the birthday is then 1 March.
        before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
        return day.year - birth_date.year - before_birthday
    if birth_year:
        return day.year - birth_year
    return None


def birth_year_problem(year) -> str | None:
    """Why a typed birth year cannot be right (said on the field), or None."""
    this_year = timezone.localdate().year
    if year is not None and not EARLIEST_BIRTH_YEAR <= year <= this_year:
        return (
            "Année de naissance impossible : indiquez une année entre "
            f"{EARLIEST_BIRTH_YEAR} et {this_year}."
        )
    return None
