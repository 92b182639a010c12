"""Indicator 7: share of files already known to the département's social services and
to the CAF. Counted per file (accompagnement) active in the period."""

from cases.enums import YesNoUnknown
from reporting.indicators.base import Context, share, table
from reporting.indicators.people import fold


def _known(ctx: Context, attribute: str, key: str, title: str) -> dict:
    counts = fold(ctx.people, attribute, "files")
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
            "known_department",
            "known_department",
            "Dossiers déjà connus des services sociaux du Département",
        ),
        _known(ctx, "known_caf", "known_caf", "Dossiers déjà connus de la CAF"),
    ]
