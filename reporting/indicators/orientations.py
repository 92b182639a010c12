"""Indicator 8: orientations to partners, by kind of partner and outcome (by date of
orientation)."""

from django.db.models import Count, Q

from cases.enums import OrientationStatus
from cases.models import Orientation
from reporting.indicators.base import Context, in_dates, in_either_dates, table


def by_partner_kind(ctx: Context) -> dict:
    current, previous = in_dates(ctx.period, "oriented_on"), in_dates(ctx.previous, "oriented_on")
    statuses = OrientationStatus.choices
    aggregates = {
        f"s_{value}": Count("pk", filter=current & Q(status=value)) for value, _ in statuses
    }
    rows = (
        Orientation.objects.filter(post__in=ctx.post_ids)
        .filter(in_either_dates(ctx, "oriented_on"))
        .values("partner__kind__label", "partner__kind__order")
        .annotate(
            **aggregates,
            total=Count("pk", filter=current),
            previous=Count("pk", filter=previous),
        )
        .order_by("partner__kind__order", "partner__kind__label")
    )
    n = len(statuses)
    return table(
        "orientation",
        "Orientations par type de partenaire et suite donnée",
        "Type de partenaire",
        [
            (
                row["partner__kind__label"],
                [row[f"s_{value}"] for value, _ in statuses] + [row["total"], row["previous"]],
            )
            for row in rows
        ],
        columns=[label for _, label in statuses] + ["Total période", "Total période précédente"],
        sums=[[n, list(range(n))]],
        chart="hbar",
    )


def tables(ctx: Context) -> list[dict]:
    return [by_partner_kind(ctx)]
