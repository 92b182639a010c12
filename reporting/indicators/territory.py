"""Indicator 3: commune of residence (with the share outside the département) and the
site where people were received (the site recorded on the actes)."""

from cases.models import Action
from reporting.indicators.base import (
    CURRENT_AND_PREVIOUS,
    Context,
    add_up,
    case_overlap,
    either_overlap,
    in_datetimes,
    in_either_datetimes,
    post_field,
    post_of,
    share,
    table,
)
from reporting.indicators.keys import keys_of, period_counts
from reporting.indicators.people import cases_in_scope


def commune_rows(ctx: Context) -> list[dict]:
    """Distinct people per commune of residence, each period; ``inside``: the commune is
    in the scope's département (said here, so that consolidated rows keep their own)."""
    rows = (
        cases_in_scope(ctx)
        .filter(either_overlap(ctx))
        .values(
            "beneficiary__commune",
            "beneficiary__commune__name",
            "beneficiary__commune__code",
            "beneficiary__commune__department_id",
            *post_field(ctx),
        )
        .annotate(
            **period_counts(
                ctx,
                case_overlap(ctx.period),
                case_overlap(ctx.previous),
                kind="beneficiary",
                field="beneficiary",
                distinct=True,
            )
        )
        .order_by()
    )
    return [
        {
            "name": row["beneficiary__commune__name"],
            "code": row["beneficiary__commune__code"],
            "inside": row["beneficiary__commune__department_id"] == ctx.scope.department_id,
            "current": row["current"],
            "previous": row["previous"],
            **keys_of(row),
            **post_of(row),
        }
        for row in rows
    ]


# The key of the residence table that holds the INSEE code of the bilan's département.
DEPARTMENT = "department"


def department_of(commune_code: str) -> str:
    """The département of an INSEE commune code (three characters overseas)."""
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def _by_department(rows: list[dict], names: dict) -> list[dict]:
    """The commune rows added up by département: what a consolidation of several
    départements shows (a list of every commune of France would be made of small counts
    that the secrecy would mask, and it is no reading a national observatory needs)."""
    merged = []
    for row in rows:
        if row["code"] is not None:
            code = department_of(row["code"])
            row = {**row, "code": code, "name": names.get(code, code)}
        merged.append(row)
    return merged


def by_commune(ctx: Context) -> list[dict]:
    rows = ctx.source("communes")
    consolidated = ctx.scope is None
    if consolidated:
        rows = _by_department(rows, ctx.department_names)
    counts = add_up(rows, ["code", "name"], CURRENT_AND_PREVIOUS)
    unknown = counts.pop((None, None), [0, 0])
    communes = [
        (f"{name} ({code})", values)
        for (code, name), values in sorted(counts.items(), key=lambda i: (-i[1][0], i[0][1]))
    ]
    if unknown != [0, 0]:
        communes.append(("Commune non renseignée", unknown))
    where = add_up([r for r in rows if r["code"] is not None], ["inside"], CURRENT_AND_PREVIOUS)
    inside, outside = where.get((True,), [0, 0]), where.get((False,), [0, 0])
    # One key for both readings: the secrecy relates its rows to the residence table.
    residence = table(
        "commune",
        "Personnes accompagnées par "
        + ("département de résidence" if consolidated else "commune de résidence"),
        "Département" if consolidated else "Commune",
        communes,
        chart=None,
        note="Les effectifs inférieurs à 3 sont masqués dans les bilans diffusés.",
    )
    known = inside[0] + outside[0]
    split = table(
        "residence",
        "Résidence dans ou hors du département",
        "Résidence",
        [
            ("Dans le département", inside + [share(inside[0], known)]),
            ("Hors du département", outside + [share(outside[0], known)]),
            ("Non renseignée", unknown + [None]),
        ],
        columns=["Période", "Période précédente", "Part (période, %)"],
        shares={"2": 0},
        chart="pie",
        note="La part est calculée sur les personnes dont la commune est connue.",
    )
    if ctx.department_code is not None:
        # Every reader knows the bilan's département: the secrecy audit tells its communes
        # from the others by this code (reporting.secrecy.open_rows).
        split[DEPARTMENT] = ctx.department_code
    return [split, residence]


def site_rows(ctx: Context) -> list[dict]:
    """Distinct people received per site (recorded on the actes), each period."""
    # The case's post is the acte's: saying so lets the database read only those files.
    actions = Action.objects.filter(post__in=ctx.post_ids, case__post__in=ctx.post_ids)
    current, previous = (
        in_datetimes(ctx.period, "occurred_at"),
        in_datetimes(ctx.previous, "occurred_at"),
    )
    rows = (
        actions.filter(in_either_datetimes(ctx, "occurred_at"))
        .values("site__name", *post_field(ctx))
        .annotate(
            **period_counts(
                ctx, current, previous, kind="beneficiary", field="case__beneficiary", distinct=True
            )
        )
        .order_by()
    )
    return [
        {
            "site": row["site__name"],
            "current": row["current"],
            "previous": row["previous"],
            **keys_of(row),
            **post_of(row),
        }
        for row in rows
    ]


def by_site(ctx: Context) -> dict:
    counts = add_up(ctx.source("sites"), ["site"], CURRENT_AND_PREVIOUS)
    ordered = sorted(counts.items(), key=lambda item: (-item[1][0], item[0][0] or ""))
    return table(
        "site",
        "Personnes reçues par lieu d'accueil",
        "Lieu d'accueil",
        [(site or "Lieu non renseigné", values) for (site,), values in ordered],
        total=False,
        chart="hbar",
        note="Lieu enregistré sur les actes ; une personne reçue en plusieurs lieux compte "
        "dans chacun.",
    )


def tables(ctx: Context) -> list[dict]:
    return [*by_commune(ctx), by_site(ctx)]
