"""One read of the files in scope, grouped by what describes the person.

Indicators 1, 2 and 7 (profile, age, sex, family situation, files already known, key
activity figures) all count the files open in the period and the distinct people behind
them. Rather than one pass over the files per table, the database groups the files once
by the person's attributes (profile, sex, family situation, age band at the end of each
period, known to the département, known to the CAF) and counts, per group, the distinct
people and the files of each period. Every attribute belongs to the person, so each
person falls in exactly one group: the distinct counts of the groups add up exactly, and
each table is a sum over the groups (``fold``).
"""

from operator import itemgetter

from django.db.models import Count, Q

from cases.models import Case
from reporting.indicators.ages import age_band_at
from reporting.indicators.base import (
    Context,
    add_up,
    case_overlap,
    either_overlap,
    in_dates,
    post_field,
)
from reporting.indicators.keys import key_sums

ATTRIBUTES = {
    "profile": "beneficiary__profile",
    "sex": "beneficiary__sex",
    "family": "beneficiary__family_situation",
    "known_department": "beneficiary__known_to_department",
    "known_caf": "beneficiary__known_to_caf",
}
PERIODS = ("current", "previous")
MEASURES = [
    f"{measure}_{period}"
    for period in PERIODS
    for measure in ("people", "files", "opened", "closed", "open_at_end")
]


def cases_in_scope(ctx: Context):
    return Case.objects.filter(post__in=ctx.post_ids)


def _counted(ctx: Context) -> dict:
    """{measure: (field counted, kind of record, filter, distinct)}."""
    counted = {}
    for name, period in zip(PERIODS, ctx.both, strict=True):
        counted.update(
            {
                f"people_{name}": ("beneficiary", "beneficiary", case_overlap(period), True),
                f"files_{name}": ("pk", "case", case_overlap(period), False),
                f"opened_{name}": ("pk", "case", in_dates(period, "opened_on"), False),
                f"closed_{name}": ("pk", "case", in_dates(period, "closed_on"), False),
                f"open_at_end_{name}": (
                    "pk",
                    "case",
                    Q(opened_on__lte=period.end)
                    & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)),
                    False,
                ),
            }
        )
    return counted


def _measures(ctx: Context) -> dict:
    counted = _counted(ctx)
    measures = {
        name: Count(field, filter=where, distinct=distinct)
        for name, (field, _, where, distinct) in counted.items()
    }
    return measures | key_sums(ctx, counted)


def grouped_files(ctx: Context) -> list[dict]:
    """The groups of people with a file open in either period, with their counts.

    Each row: the attributes (``ATTRIBUTES``, ``age_current``, ``age_previous``) and the
    measures ``<people|files|opened|closed|open_at_end>_<current|previous>``.
    """
    queryset = cases_in_scope(ctx).filter(either_overlap(ctx))
    bands = {
        f"age_{name}": age_band_at(period.end)
        for name, period in zip(PERIODS, ctx.both, strict=True)
    }
    measures = _measures(ctx)
    rows = (
        queryset.annotate(**bands)
        .values(*ATTRIBUTES.values(), *bands, *post_field(ctx))
        .annotate(**measures)
        .order_by()
        .values_list(*ATTRIBUTES.values(), *bands, *measures, *post_field(ctx))
    )
    names = [*ATTRIBUTES, *bands, *measures, *post_field(ctx)]
    return [dict(zip(names, row, strict=True)) for row in rows]


def fold(rows: list[dict], attribute: str | None, measure: str) -> dict:
    """{attribute value: (current, previous)} of a measure summed over the groups; with no
    attribute, the whole scope under the key None."""
    totals = add_up(
        rows,
        [attribute] if attribute else [],
        [itemgetter(f"{measure}_current"), itemgetter(f"{measure}_previous")],
    )
    return {(key[0] if attribute else None): tuple(values) for key, values in totals.items()}
