"""Indicator 1: beneficiaries accompanied, by profile; and the key activity figures."""

from django.db.models import Count, Q

from cases.enums import Profile
from cases.models import Case
from reporting.indicators.base import Context, case_overlap, either_overlap, in_dates, table


def cases_in_scope(ctx: Context):
    return Case.objects.filter(post__in=ctx.post_ids())


def grouped_beneficiary_counts(ctx: Context, field: str) -> dict:
    """{value: (current, previous)}: distinct beneficiaries with a file open in each period."""
    rows = (
        cases_in_scope(ctx)
        .filter(either_overlap(ctx))
        .values(field)
        .annotate(
            current=Count("beneficiary", distinct=True, filter=case_overlap(ctx.period)),
            previous=Count("beneficiary", distinct=True, filter=case_overlap(ctx.previous)),
        )
        .order_by()
    )
    return {row[field]: (row["current"], row["previous"]) for row in rows}


def activity(ctx: Context) -> dict:
    """Key figures of the files: one query for both periods."""
    aggregates = {}
    for name, period in (("current", ctx.period), ("previous", ctx.previous)):
        aggregates.update(
            {
                f"beneficiaries_{name}": Count(
                    "beneficiary", distinct=True, filter=case_overlap(period)
                ),
                f"cases_{name}": Count("pk", filter=case_overlap(period)),
                f"opened_{name}": Count("pk", filter=in_dates(period, "opened_on")),
                f"closed_{name}": Count("pk", filter=in_dates(period, "closed_on")),
                f"open_at_end_{name}": Count(
                    "pk",
                    filter=Q(opened_on__lte=period.end)
                    & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)),
                ),
            }
        )
    values = cases_in_scope(ctx).filter(either_overlap(ctx)).aggregate(**aggregates)
    labels = [
        ("beneficiaries", "Personnes accompagnées"),
        ("cases", "Accompagnements (dossiers) actifs"),
        ("opened", "Accompagnements ouverts"),
        ("closed", "Accompagnements clôturés"),
        ("open_at_end", "Accompagnements en cours en fin de période"),
    ]
    return table(
        "activity",
        "Activité : personnes et accompagnements",
        "Mesure",
        [(label, [values[f"{key}_current"], values[f"{key}_previous"]]) for key, label in labels],
        total=False,
        chart=None,
        note="Une personne accompagnée plusieurs fois dans la période compte une fois.",
    )


def by_profile(ctx: Context) -> dict:
    counts = grouped_beneficiary_counts(ctx, "beneficiary__profile")
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
