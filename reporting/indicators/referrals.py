"""Indicators 5 and 6: referrals per commissariat and gendarmerie unit (direct: sent by a
police officer or gendarme; indirect: auto-saisine from the unit's weekly summary), and
the origin of the orientation towards the worker."""

from django.db.models import Count, Q

from cases.enums import ReferralOrigin
from iscg.enums import UnitKind
from reporting.indicators.base import Context, table
from reporting.indicators.problems import referrals_in_scope


def by_unit(ctx: Context) -> dict:
    referrals, (current, previous) = referrals_in_scope(ctx)
    rows = (
        referrals.filter(origin__in=ReferralOrigin.from_units())
        .values("source_unit__name", "source_unit__kind")
        .annotate(
            direct=Count("pk", filter=current & Q(origin=ReferralOrigin.FSI_DIRECT)),
            indirect=Count("pk", filter=current & Q(origin=ReferralOrigin.FSI_INDIRECT)),
            total=Count("pk", filter=current),
            previous=Count("pk", filter=previous),
        )
        .order_by("source_unit__kind", "source_unit__name")
    )
    kinds = dict(UnitKind.choices)
    return table(
        "referral_unit",
        "Saisines par commissariat et unité de gendarmerie",
        "Unité",
        [
            (
                f"{row['source_unit__name'] or 'Unité non renseignée'}"
                + (
                    f" ({kinds[row['source_unit__kind']].lower()})"
                    if row["source_unit__kind"]
                    else ""
                ),
                [row["direct"], row["indirect"], row["total"], row["previous"]],
            )
            for row in rows
        ],
        columns=["Directes", "Indirectes", "Total période", "Total période précédente"],
        sums=[[2, [0, 1]]],
        chart="hbar",
        note="Directe : saisine par un policier ou un gendarme. Indirecte : auto-saisine "
        "de l'intervenant·e à partir du résumé hebdomadaire d'activité de l'unité.",
    )


def by_origin(ctx: Context) -> dict:
    referrals, (current, previous) = referrals_in_scope(ctx)
    counts = {
        row["origin"]: (row["current"], row["previous"])
        for row in referrals.values("origin")
        .annotate(current=Count("pk", filter=current), previous=Count("pk", filter=previous))
        .order_by()
    }
    return table(
        "origin",
        "Origine de l'orientation vers l'intervenant·e",
        "Origine",
        [(label, list(counts.get(value, (0, 0)))) for value, label in ReferralOrigin.choices],
        chart="pie",
    )


def tables(ctx: Context) -> list[dict]:
    return [by_unit(ctx), by_origin(ctx)]
