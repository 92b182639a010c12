"""Indicator 2: age bands, sex and family situation of the people accompanied.

The age is computed by the database at the last day of the period: from the birth
date when known, else from the birth year (age reached during that year), else the
age band recorded when neither is known.
"""

from cases.enums import AgeBand, FamilySituation, Sex
from reporting.indicators.base import Context, table
from reporting.indicators.people import fold


def by_age(ctx: Context) -> dict:
    current = {band: n for band, (n, _) in fold(ctx.people, "age_current", "people").items()}
    previous = {band: n for band, (_, n) in fold(ctx.people, "age_previous", "people").items()}
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
    counts = fold(ctx.people, "sex", "people")
    rows = [(label, list(counts.get(value, (0, 0)))) for value, label in Sex.choices]
    return table("sex", "Personnes accompagnées par sexe", "Sexe", rows, chart="pie")


def by_family(ctx: Context) -> dict:
    counts = fold(ctx.people, "family", "people")
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
