"""Indicators 5 and 6: referrals per commissariat and gendarmerie unit (direct: sent by a
police officer or gendarme; indirect: auto-saisine from the unit's weekly summary), and
the origin of the orientation towards the worker."""

from cases.enums import ReferralOrigin
from iscg.enums import UnitKind
from iscg.models import Unit
from reporting.indicators.base import CURRENT_AND_PREVIOUS, Context, add_up, table

FROM_UNITS = set(ReferralOrigin.from_units())


def _unit_label(name, kind, kinds) -> str:
    label = name or "Unité non renseignée"
    return f"{label} ({kinds[kind].lower()})" if kind else label


def _place(kind, name) -> tuple:
    # By kind then name; referrals without a unit come last.
    return (kind is None, kind or "", name or "")


def row_order(department_id: int) -> list[str]:
    """The labels of ``by_unit``'s rows in its order, read from the département's units,
    not from any referral."""
    kinds = dict(UnitKind.choices)
    units = sorted(
        Unit.objects.filter(department_id=department_id).order_by().values_list("kind", "name"),
        key=lambda unit: _place(*unit),
    )
    return [_unit_label(name, kind, kinds) for kind, name in units] + [_unit_label(None, None, {})]


def by_unit(ctx: Context) -> dict:
    counts = add_up(
        [row for row in ctx.referrals if row["origin"] in FROM_UNITS],
        ["source_unit__kind", "source_unit__name"],
        [
            lambda r: r["current"] if r["origin"] == ReferralOrigin.FSI_DIRECT else 0,
            lambda r: r["current"] if r["origin"] == ReferralOrigin.FSI_INDIRECT else 0,
            lambda r: r["current"],
            lambda r: r["previous"],
        ],
    )
    kinds = dict(UnitKind.choices)
    ordered = sorted(counts.items(), key=lambda item: _place(*item[0]))
    return table(
        "referral_unit",
        "Saisines par commissariat et unité de gendarmerie",
        "Unité",
        [(_unit_label(name, kind, kinds), values) for (kind, name), values in ordered],
        columns=["Directes", "Indirectes", "Total période", "Total période précédente"],
        sums=[[2, [0, 1]]],
        chart="hbar",
        note="Directe : saisine par un policier ou un gendarme. Indirecte : auto-saisine "
        "de l'intervenant·e à partir du résumé hebdomadaire d'activité de l'unité.",
    )


def by_origin(ctx: Context) -> dict:
    counts = add_up(ctx.referrals, ["origin"], CURRENT_AND_PREVIOUS)
    return table(
        "origin",
        "Origine de l'orientation vers l'intervenant·e",
        "Origine",
        [(label, counts.get((value,), [0, 0])) for value, label in ReferralOrigin.choices],
        chart="pie",
    )


def tables(ctx: Context) -> list[dict]:
    return [by_unit(ctx), by_origin(ctx)]
