"""Indicator 1: beneficiaries accompanied, by profile; and the key activity figures."""

from cases.enums import Profile
from reporting.indicators.base import Context, table
from reporting.indicators.people import fold


def activity(ctx: Context) -> dict:
    """Key figures of the files, summed from the groups of people."""
    labels = [
        ("people", "Personnes accompagnées"),
        ("files", "Accompagnements (dossiers) actifs"),
        ("opened", "Accompagnements ouverts"),
        ("closed", "Accompagnements clôturés"),
        ("open_at_end", "Accompagnements en cours en fin de période"),
    ]
    rows = []
    for measure, label in labels:
        current, previous = fold(ctx.people, None, measure).get(None, (0, 0))
        rows.append((label, [current, previous]))
    return table(
        "activity",
        "Activité : personnes et accompagnements",
        "Mesure",
        rows,
        total=False,
        chart=None,
        note="Une personne accompagnée plusieurs fois dans la période compte une fois.",
    )


def by_profile(ctx: Context) -> dict:
    counts = fold(ctx.people, "profile", "people")
    rows = [(label, list(counts.get(value, (0, 0)))) for value, label in Profile.choices]
    return table(
        "profile",
        "Personnes accompagnées par profil",
        "Profil",
        rows,
        chart="hbar",
    )


def tables(ctx: Context) -> list[dict]:
    return [activity(ctx), by_profile(ctx)]
