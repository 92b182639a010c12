"""Indicator 8: orientations to partners, by kind of partner and outcome (by date of
orientation)."""

from operator import itemgetter

from django.db.models import Count, Q

from cases.enums import OrientationStatus
from cases.models import Orientation
from partners.models import PartnerKind
from reporting.indicators.base import (
    Context,
    add_up,
    in_dates,
    in_either_dates,
    merged_by_label,
    post_field,
    table,
)
from reporting.indicators.keys import key_sums


def orientation_rows(ctx: Context) -> list[dict]:
    """Orientations of either period per kind of partner, by outcome in the period."""
    current, previous = in_dates(ctx.period, "oriented_on"), in_dates(ctx.previous, "oriented_on")
    counted = {
        f"s_{value}": ("pk", "orientation", current & Q(status=value), False)
        for value, _ in OrientationStatus.choices
    }
    counted |= {
        "total": ("pk", "orientation", current, False),
        "previous": ("pk", "orientation", previous, False),
    }
    aggregates = {
        name: Count(field, filter=where) for name, (field, _, where, _) in counted.items()
    }
    rows = (
        Orientation.objects.filter(post__in=ctx.post_ids)
        .filter(in_either_dates(ctx, "oriented_on"))
        .values("partner__kind__label", "partner__kind__order", *post_field(ctx))
        .annotate(**aggregates, **key_sums(ctx, counted))
        .order_by()
    )
    return [
        {
            "kind": row.pop("partner__kind__label"),
            "order": row.pop("partner__kind__order"),
            **row,
        }
        for row in rows
    ]


def _place(order, kind) -> tuple:
    return (order or 0, kind or "")


def row_order(department_id: int) -> list[str]:
    """The labels of ``by_partner_kind``'s rows in its order, read from the list of kinds
    of partners, not from any orientation."""
    entries = PartnerKind.objects.known_in([department_id]).order_by().values_list("order", "label")
    return [label for _, label in sorted(entries, key=lambda e: _place(*e))]


def by_partner_kind(ctx: Context) -> dict:
    statuses = OrientationStatus.choices
    measures = [f"s_{value}" for value, _ in statuses] + ["total", "previous"]
    counts = add_up(
        ctx.source("orientations"),
        ["order", "kind"],
        [itemgetter(measure) for measure in measures],
    )
    ordered = sorted(counts.items(), key=lambda item: _place(*item[0]))
    n = len(statuses)
    return table(
        "orientation",
        "Orientations par type de partenaire et suite donnée",
        "Type de partenaire",
        merged_by_label((kind, values) for (_, kind), values in ordered),
        columns=[label for _, label in statuses] + ["Total période", "Total période précédente"],
        sums=[[n, list(range(n))]],
        chart="hbar",
    )


def tables(ctx: Context) -> list[dict]:
    return [by_partner_kind(ctx)]
