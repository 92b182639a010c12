"""Indicator 4: main problem of the referrals received in the period."""

from cases.models import Problem, Referral
from reporting.indicators.base import (
    CURRENT_AND_PREVIOUS,
    Context,
    add_up,
    in_datetimes,
    in_either_datetimes,
    merged_by_label,
    post_field,
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
        referrals.values(*GROUP_FIELDS, *post_field(ctx))
        .annotate(**period_counts(ctx, current, previous, kind="referral"))
        .order_by()
    )


UNKNOWN_PROBLEM = "Problématique non renseignée"


def _place(order, label) -> tuple:
    # The list's order, then the label; referrals without a main problem last.
    return (order is None, order or 0, label or "")


def by_main_problem(ctx: Context) -> dict:
    counts = add_up(
        ctx.referrals, ["main_problem__order", "main_problem__label"], CURRENT_AND_PREVIOUS
    )
    return table(
        "problem",
        "Saisines par problématique principale",
        "Problématique principale",
        merged_by_label(
            (label or UNKNOWN_PROBLEM, values)
            for (_, label), values in sorted(counts.items(), key=lambda item: _place(*item[0]))
        ),
        chart="hbar",
    )


def row_order(department_id: int) -> list[str]:
    """The labels of ``by_main_problem``'s rows in its order, read from the list of
    problems, not from any referral."""
    entries = Problem.objects.known_in([department_id]).order_by().values_list("order", "label")
    return [label for _, label in sorted(entries, key=lambda e: _place(*e))] + [UNKNOWN_PROBLEM]


def tables(ctx: Context) -> list[dict]:
    return [by_main_problem(ctx)]
