"""The age band of a person at a date, computed by the database.

From the birth date when known, else from the birth year (age reached during that
year), else the age band recorded when neither is known.
"""

from django.db.models import Case as When_
from django.db.models import CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

from cases.enums import AgeBand

BAND_UPPER = [
    (AgeBand.UNDER_18, 17),
    (AgeBand.AGE_18_24, 24),
    (AgeBand.AGE_25_34, 34),
    (AgeBand.AGE_35_44, 44),
    (AgeBand.AGE_45_54, 54),
    (AgeBand.AGE_55_64, 64),
]


def age_band_expression(at, alias: str = "computed_age"):
    """(age, band): SQL CASEs giving the age and the age band at date ``at`` (portable:
    SQLite and PostgreSQL). The band reads the age under ``alias``, which the queryset
    must define with ``.alias(**{alias: age})``."""
    birth_date = "beneficiary__birth_date"
    after_birthday = When_(
        When(
            Q(**{f"{birth_date}__month__gt": at.month})
            | Q(**{f"{birth_date}__month": at.month, f"{birth_date}__day__gt": at.day}),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    age = When_(
        When(
            **{f"{birth_date}__isnull": False},
            then=Value(at.year) - ExtractYear(birth_date) - after_birthday,
        ),
        When(
            beneficiary__birth_year__isnull=False,
            then=Value(at.year) - F("beneficiary__birth_year"),
        ),
        default=None,
        output_field=IntegerField(),
    )
    whens = [When(**{f"{alias}__lt": 0}, then=Value(AgeBand.UNKNOWN.value))]
    whens += [
        When(**{f"{alias}__lte": upper}, then=Value(band.value)) for band, upper in BAND_UPPER
    ]
    return age, When_(
        When(**{f"{alias}__isnull": True}, then=F("beneficiary__age_band")),
        *whens,
        default=Value(AgeBand.AGE_65_PLUS.value),
        output_field=CharField(),
    )
