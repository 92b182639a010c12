"""Indicator 2: age bands, sex and family situation of the people accompanied.

The age is computed by the database at the last day of the period: from the birth
date when known, else from the birth year (age reached during that year), else the
age band recorded when neither is known.
"""

from django.db.models import Case as When_
from django.db.models import CharField, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

from cases.enums import AgeBand, FamilySituation, Sex
from reporting.indicators.base import Context, case_overlap, table
from reporting.indicators.beneficiaries import cases_in_scope, grouped_beneficiary_counts

BAND_UPPER = [
    (AgeBand.UNDER_18, 17),
    (AgeBand.AGE_18_24, 24),
    (AgeBand.AGE_25_34, 34),
    (AgeBand.AGE_35_44, 44),
    (AgeBand.AGE_45_54, 54),
    (AgeBand.AGE_55_64, 64),
]


def age_band_expression(at):
    """SQL CASE giving the age band at date ``at`` (portable: SQLite and PostgreSQL)."""
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
    whens = [When(computed_age__lt=0, then=Value(AgeBand.UNKNOWN.value))]
    whens += [When(computed_age__lte=upper, then=Value(band.value)) for band, upper in BAND_UPPER]
    return age, When_(
        When(computed_age__isnull=True, then=F("beneficiary__age_band")),
        *whens,
        default=Value(AgeBand.AGE_65_PLUS.value),
        output_field=CharField(),
    )


def age_counts(ctx: Context, period) -> dict:
    age, band = age_band_expression(period.end)
    rows = (
        cases_in_scope(ctx)
        .filter(case_overlap(period))
        .alias(computed_age=age)
        .annotate(band=band)
        .values("band")
        .annotate(n=Count("beneficiary", distinct=True))
        .order_by()
    )
    return {row["band"]: row["n"] for row in rows}


def by_age(ctx: Context) -> dict:
    current, previous = age_counts(ctx, ctx.period), age_counts(ctx, ctx.previous)
    rows = [
        (label, [current.get(value, 0), previous.get(value, 0)]) for value, label in AgeBand.choices
    ]
    return table(
        "age",
        "Personnes accompagnées par tranche d'âge",
        "Tranche d'âge",
        rows,
        note="Âge au dernier jour de la période.",
    )


def by_sex(ctx: Context) -> dict:
    counts = grouped_beneficiary_counts(ctx, "beneficiary__sex")
    rows = [(label, list(counts.get(value, (0, 0)))) for value, label in Sex.choices]
    return table("sex", "Personnes accompagnées par sexe", "Sexe", rows, chart="pie")


def by_family(ctx: Context) -> dict:
    counts = grouped_beneficiary_counts(ctx, "beneficiary__family_situation")
    rows = [(label, list(counts.get(value, (0, 0)))) for value, label in FamilySituation.choices]
    return table(
        "family",
        "Personnes accompagnées par situation familiale",
        "Situation familiale",
        rows,
        chart="hbar",
    )


def tables(ctx: Context) -> list[dict]:
    return [by_age(ctx), by_sex(ctx), by_family(ctx)]
