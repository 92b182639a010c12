"""Indicator 3: commune of residence (with the share outside the département) and the
site where people were received (the site recorded on the actes)."""

from django.db.models import Count

from cases.models import Action
from reporting.indicators.base import (
    Context,
    case_overlap,
    either_overlap,
    in_datetimes,
    in_either_datetimes,
    share,
    table,
)
from reporting.indicators.people import cases_in_scope


def by_commune(ctx: Context) -> list[dict]:
    rows = (
        cases_in_scope(ctx)
        .filter(either_overlap(ctx))
        .values(
            "beneficiary__commune",
            "beneficiary__commune__name",
            "beneficiary__commune__code",
            "beneficiary__commune__department_id",
        )
        .annotate(
            current=Count("beneficiary", distinct=True, filter=case_overlap(ctx.period)),
            previous=Count("beneficiary", distinct=True, filter=case_overlap(ctx.previous)),
        )
        .order_by("-current", "beneficiary__commune__name")
    )
    communes, inside, outside, unknown = [], [0, 0], [0, 0], [0, 0]
    for row in rows:
        values = [row["current"], row["previous"]]
        if row["beneficiary__commune"] is None:
            unknown = values
            continue
        label = f"{row['beneficiary__commune__name']} ({row['beneficiary__commune__code']})"
        communes.append((label, values))
        bucket = (
            inside
            if row["beneficiary__commune__department_id"] == ctx.scope.department_id
            else outside
        )
        bucket[0] += values[0]
        bucket[1] += values[1]
    if unknown != [0, 0]:
        communes.append(("Commune non renseignée", unknown))
    residence = table(
        "commune",
        "Personnes accompagnées par commune de résidence",
        "Commune",
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
    return [split, residence]


def by_site(ctx: Context) -> dict:
    # The case's post is the acte's: saying so lets the database read only those files.
    actions = Action.objects.filter(post__in=ctx.post_ids, case__post__in=ctx.post_ids)
    current, previous = (
        in_datetimes(ctx.period, "occurred_at"),
        in_datetimes(ctx.previous, "occurred_at"),
    )
    rows = (
        actions.filter(in_either_datetimes(ctx, "occurred_at"))
        .values("site", "site__name")
        .annotate(
            people=Count("case__beneficiary", distinct=True, filter=current),
            people_previous=Count("case__beneficiary", distinct=True, filter=previous),
        )
        .order_by("-people", "site__name")
    )
    return table(
        "site",
        "Personnes reçues par lieu d'accueil",
        "Lieu d'accueil",
        [
            (row["site__name"] or "Lieu non renseigné", [row["people"], row["people_previous"]])
            for row in rows
        ],
        total=False,
        chart="hbar",
        note="Lieu enregistré sur les actes ; une personne reçue en plusieurs lieux compte "
        "dans chacun.",
    )


def tables(ctx: Context) -> list[dict]:
    return [*by_commune(ctx), by_site(ctx)]
