"""Indicator 4: main problem of the referrals received in the period."""

from django.db.models import Count

from cases.models import Referral
from reporting.indicators.base import Context, in_datetimes, table


def referrals_in_scope(ctx: Context):
    current = in_datetimes(ctx.period, "received_at")
    previous = in_datetimes(ctx.previous, "received_at")
    return Referral.objects.filter(post__in=ctx.post_ids()).filter(current | previous), (
        current,
        previous,
    )


def by_main_problem(ctx: Context) -> dict:
    referrals, (current, previous) = referrals_in_scope(ctx)
    rows = (
        referrals.values("main_problem__label", "main_problem__order")
        .annotate(current=Count("pk", filter=current), previous=Count("pk", filter=previous))
        .order_by("main_problem__order", "main_problem__label")
    )
    return table(
        "problem",
        "Saisines par problématique principale",
        "Problématique principale",
        [(row["main_problem__label"], [row["current"], row["previous"]]) for row in rows],
        chart="hbar",
    )


def tables(ctx: Context) -> list[dict]:
    return [by_main_problem(ctx)]
