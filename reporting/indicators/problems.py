"""Indicator 4: main problem of the referrals received in the period."""

from cases.models import Referral
from reporting.indicators.base import (
    CURRENT_AND_PREVIOUS,
    Context,
    add_up,
    in_datetimes,
    in_either_datetimes,
    merged_by_label,
    table,
)
from reporting.indicators.keys import period_counts


def referrals_in_scope(ctx: Context):
    current = in_datetimes(ctx.period, "received_at")
    previous = in_datetimes(ctx.previous, "received_at")
    either = in_either_datetimes(ctx, "received_at")
    return Referral.objects.filter(post__in=ctx.post_ids).filter(either), (
        current,
        previous,
    )


GROUP_FIELDS = [
    "origin",
    "source_unit__name",
    "source_unit__kind",
    "main_problem__label",
    "main_problem__order",
]


def grouped_referrals(ctx: Context) -> list[dict]:
    """Referrals of either period grouped by origin, unit and main problem, in one read:
    indicators 4, 5 and 6 each add up the groups they need."""
    referrals, (current, previous) = referrals_in_scope(ctx)
    return list(
        referrals.values(*GROUP_FIELDS)
        .annotate(**period_counts(ctx, current, previous, kind="referral"))
        .order_by()
    )


def by_main_problem(ctx: Context) -> dict:
    counts = add_up(
        ctx.referrals, ["main_problem__order", "main_problem__label"], CURRENT_AND_PREVIOUS
    )
    return table(
        "problem",
        "Saisines par problématique principale",
        "Problématique principale",
        merged_by_label(
            (label or "Problématique non renseignée", values)
            for (_, label), values in sorted(
                counts.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0, item[0][1])
            )
        ),
        chart="hbar",
    )


def tables(ctx: Context) -> list[dict]:
    return [by_main_problem(ctx)]
