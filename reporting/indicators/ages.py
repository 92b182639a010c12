"""The age band of a person at a date, computed by the database.

From the birth date when known, else from the birth year (age reached during that
year), else the age band recorded when neither is known.

The bands are compared as dates, not computed as ages: "17 or younger on ``at``" is "born
after the day one turned 18 on ``at``", a date known before the query. The database
compares each birth date with seven constant dates instead of extracting its year, month
and day and recomputing the age for each band, twice per file of the period.
"""

import datetime

from django.db.models import Case, CharField, F, Q, Value, When

from cases.enums import AgeBand

BAND_UPPER = [
    (AgeBand.UNDER_18, 17),
    (AgeBand.AGE_18_24, 24),
    (AgeBand.AGE_25_34, 34),
    (AgeBand.AGE_35_44, 44),
    (AgeBand.AGE_45_54, 54),
    (AgeBand.AGE_55_64, 64),
]


def years_before(at: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier; 29 February falls back to the 28th in a common year
    (someone born on the 28th has had that birthday on the 29th)."""
    try:
        return at.replace(year=at.year - years)
    except ValueError:
        return at.replace(year=at.year - years, day=28)


def age_band_at(at: datetime.date, prefix: str = "beneficiary__"):
    """A SQL CASE giving the age band on date ``at`` of the person at ``prefix`` (portable:
    SQLite and PostgreSQL)."""
    birth_date, birth_year = f"{prefix}birth_date", f"{prefix}birth_year"
    # Aged ``upper`` or less on ``at``: not yet ``upper + 1`` years old, born after the
    # date ``upper + 1`` years before. From the year alone, the age is reached that year.
    by_date = [When(**{f"{birth_date}__gt": at}, then=Value(AgeBand.UNKNOWN.value))]
    by_date += [
        When(**{f"{birth_date}__gt": years_before(at, upper + 1)}, then=Value(band.value))
        for band, upper in BAND_UPPER
    ]
    by_year = [When(**{f"{birth_year}__gt": at.year}, then=Value(AgeBand.UNKNOWN.value))]
    by_year += [
        When(**{f"{birth_year}__gte": at.year - upper}, then=Value(band.value))
        for band, upper in BAND_UPPER
    ]
    oldest = Value(AgeBand.AGE_65_PLUS.value)
    return Case(
        When(
            Q(**{f"{birth_date}__isnull": False}),
            then=Case(*by_date, default=oldest, output_field=CharField()),
        ),
        When(
            Q(**{f"{birth_year}__isnull": False}),
            then=Case(*by_year, default=oldest, output_field=CharField()),
        ),
        default=F(f"{prefix}age_band"),
        output_field=CharField(),
    )
