"""Indicator 7: share of files already known to the département's social services and
to the CAF. Counted per file (accompagnement) active in the period."""

from django.db.models import Count

from cases.enums import YesNoUnknown
from reporting.indicators.base import Context, case_overlap, either_overlap, share, table
from reporting.indicators.beneficiaries import cases_in_scope


def _known(ctx: Context, field: str, key: str, title: str) -> dict:
    counts = {
        row[field]: (row["current"], row["previous"])
        for row in cases_in_scope(ctx)
        .filter(either_overlap(ctx))
        .values(field)
        .annotate(
            current=Count("pk", filter=case_overlap(ctx.period)),
            previous=Count("pk", filter=case_overlap(ctx.previous)),
        )
        .order_by()
    }
    total = sum(c for c, _ in counts.values())
    rows = []
    for value, label in YesNoUnknown.choices:
        current, previous = counts.get(value, (0, 0))
        rows.append((label, [current, previous, share(current, total)]))
    return table(
        key,
        title,
        "Déjà connu",
        rows,
        columns=["Période", "Période précédente", "Part (période, %)"],
        shares={"2": 0},
        chart="pie",
    )


def tables(ctx: Context) -> list[dict]:
    return [
        _known(
            ctx,
            "beneficiary__known_to_department",
            "known_department",
            "Dossiers déjà connus des services sociaux du Département",
        ),
        _known(ctx, "beneficiary__known_to_caf", "known_caf", "Dossiers déjà connus de la CAF"),
    ]
