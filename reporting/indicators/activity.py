"""Indicator 9: duration of accompaniment, actes by kind, anonymous contacts and legal
reports.

Duration = closing date − opening date, counted only for files closed in the period
(an open file has no duration yet). A file closed by retention for want of contact
(``ClosingReason.NO_CONTACT``) has no duration of accompaniment: those closures are
counted apart. The histogram of durations is computed by the
database (one row per distinct duration); the median is read from it.
"""

import datetime
from typing import NamedTuple

from django.db.models import (
    Case,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from cases.enums import ClosingReason, ContactMode, LegalReport
from cases.models import Action, ActionKind, AnonymousContact
from reporting.indicators.base import (
    CURRENT_AND_PREVIOUS,
    Context,
    add_up,
    in_dates,
    in_datetimes,
    in_either_dates,
    in_either_datetimes,
    merged_by_label,
    post_field,
    post_of,
    table,
)
from reporting.indicators.keys import keys_of, period_counts
from reporting.indicators.people import cases_in_scope


class Band(NamedTuple):
    """A band of durations in calendar months: ``months_from`` ≤ full months <
    ``months_to``. Its bounds in days (the shortest and longest such durations, whatever
    the months crossed) let the secrecy audit relate the bands to the median in days."""

    label: str
    months_from: int
    months_to: int | None
    days_from: int
    days_to: int | None


DURATION_BANDS = [
    Band("Moins d'un mois", 0, 1, 0, 30),
    Band("1 à 3 mois", 1, 3, 28, 91),
    Band("3 à 6 mois", 3, 6, 89, 183),
    Band("6 mois à 1 an", 6, 12, 181, 365),
    Band("Plus d'un an", 12, None, 365, None),
]
# Rows frozen before the bands were counted in calendar months carry days only.
DAY_BANDS = [(0, 30), (31, 91), (92, 182), (183, 365), (366, None)]


def full_months():
    """Full calendar months from opening to closing, computed by the database: one month
    after 15/01 is 15/02, after 31/01 it is the last day of February (as
    dateutil.relativedelta counts), so 31/01 → 01/03 is a month and a day."""
    closed_day, opened_day = ExtractDay("closed_on"), ExtractDay("opened_on")
    day_after = ExtractDay(
        ExpressionWrapper(F("closed_on") + datetime.timedelta(days=1), output_field=DateField())
    )
    # The closing day falls before the opening day in its month: the last month is not
    # complete, unless the closing day is its month's last (31/01 → 28/02 is a month).
    short = Case(
        When(Q(closed_day__lt=F("opened_day")) & ~Q(day_after=1), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    months = (
        (ExtractYear("closed_on") - ExtractYear("opened_on")) * 12
        + ExtractMonth("closed_on")
        - ExtractMonth("opened_on")
        - F("short")
    )
    return {
        "closed_day": closed_day,
        "opened_day": opened_day,
        "day_after": day_after,
        "short": short,
        "months": ExpressionWrapper(months, output_field=IntegerField()),
    }


def band_of(days: int, months: int | None) -> int:
    """The index of a duration's band."""
    for index, band in enumerate(DURATION_BANDS):
        if months is None:
            low, high = DAY_BANDS[index]
            if low <= days and (high is None or days <= high):
                return index
        elif band.months_from <= months and (band.months_to is None or months < band.months_to):
            return index
    return len(DURATION_BANDS) - 1


def duration_rows(ctx: Context) -> list[dict]:
    """Files closed in either period, per duration in days; ``auto``: closed by retention
    (absent, hence None, from the rows of bilans frozen before: none was)."""
    current, previous = in_dates(ctx.period, "closed_on"), in_dates(ctx.previous, "closed_on")
    rows = (
        cases_in_scope(ctx)
        .filter(in_either_dates(ctx, "closed_on"))
        .annotate(
            duration=ExpressionWrapper(
                F("closed_on") - F("opened_on"), output_field=DurationField()
            )
        )
        .annotate(**full_months())
        .annotate(auto=Q(closing_reason=ClosingReason.NO_CONTACT))
        .values("duration", "months", "auto", *post_field(ctx))
        .annotate(**period_counts(ctx, current, previous, kind="case"))
        .order_by()
    )
    result = []
    for row in rows:
        days = row["duration"]
        days = days.days if isinstance(days, datetime.timedelta) else int(days)
        result.append(
            {
                "days": days,
                "months": row["months"],
                "auto": bool(row["auto"]),
                "current": row["current"],
                "previous": row["previous"],
                **keys_of(row),
                **post_of(row),
            }
        )
    return result


def duration_histograms(ctx: Context) -> tuple[dict[int, int], dict[int, int]]:
    """{days: files} of the files closed in the period, and in the previous one (automatic
    closures left out)."""
    histograms: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for row in ctx.source("durations"):
        if row.get("auto"):
            continue
        for histogram, n in zip(histograms, (row["current"], row["previous"]), strict=True):
            if n:
                histogram[row["days"]] = histogram.get(row["days"], 0) + n
    return histograms


def median(histogram: dict[int, int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(k):  # k-th smallest duration, 0-based
        seen = 0
        for days, n in ordered:
            seen += n
            if k < seen:
                return days
        return ordered[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def band_counts(ctx: Context) -> list[tuple[int, int]]:
    """Files closed in the period and in the previous one, per band (automatic closures
    left out)."""
    counts = [[0, 0] for _ in DURATION_BANDS]
    for row in ctx.source("durations"):
        if row.get("auto"):
            continue
        band = counts[band_of(row["days"], row.get("months"))]
        band[0] += row["current"]
        band[1] += row["previous"]
    return [tuple(band) for band in counts]


def automatic_closures(ctx: Context) -> list[int]:
    """Files closed by retention for want of contact, in the period and the previous one."""
    rows = [row for row in ctx.source("durations") if row.get("auto")]
    return [sum(row["current"] for row in rows), sum(row["previous"] for row in rows)]


def durations(ctx: Context) -> list[dict]:
    current, previous = duration_histograms(ctx)
    distribution = table(
        "duration",
        "Durée des accompagnements clôturés",
        "Durée",
        [
            (band.label, list(values))
            for band, values in zip(DURATION_BANDS, band_counts(ctx), strict=True)
        ],
        note="Accompagnements clôturés dans la période ; durée = clôture − ouverture, en "
        "mois du calendrier (un mois après le 31 janvier : le dernier jour de février).",
    )

    def fmt(value):
        return "—" if value is None else f"{value:g} j"

    summary = table(
        "duration_median",
        "Durée médiane d'accompagnement",
        "Mesure",
        [
            ("Accompagnements clôturés", [sum(current.values()), sum(previous.values())]),
            ("Durée médiane (jours)", [fmt(median(current)), fmt(median(previous))]),
            ("Clôtures automatiques sans contact (hors durée)", automatic_closures(ctx)),
        ],
        total=False,
        chart=None,
        note="La médiane n'est pas publiée quand moins de 3 accompagnements sont clôturés. "
        "Un dossier resté sans contact pendant la durée de conservation active est clôturé "
        "automatiquement : il ne compte pas dans les durées.",
    )
    return [summary, distribution]


def acte_rows(ctx: Context) -> list[dict]:
    """Actes of either period per kind."""
    current = in_datetimes(ctx.period, "occurred_at")
    previous = in_datetimes(ctx.previous, "occurred_at")
    rows = (
        Action.objects.filter(post__in=ctx.post_ids)
        .filter(in_either_datetimes(ctx, "occurred_at"))
        .values("kind__label", "kind__order", "kind__legal_report", *post_field(ctx))
        # Counting kind_id (never null) rather than id: the (post, date) index holds it all.
        .annotate(**period_counts(ctx, current, previous, kind="acte", field="kind", keyed="pk"))
        .order_by()
    )
    return [
        {
            "kind": row["kind__label"],
            "order": row["kind__order"],
            "legal_report": row["kind__legal_report"],
            "current": row["current"],
            "previous": row["previous"],
            **keys_of(row),
            **post_of(row),
        }
        for row in rows
    ]


def _acte_place(order, kind) -> tuple:
    return (order or 0, kind or "")


def acte_order(department_id: int) -> list[str]:
    """The labels of the actes' rows (``actes_by_kind``) in their order, read from the
    list of kinds of actes, not from any acte."""
    entries = ActionKind.objects.known_in([department_id]).order_by().values_list("order", "label")
    return [label for _, label in sorted(entries, key=lambda e: _acte_place(*e))]


def actes_by_kind(ctx: Context) -> list[dict]:
    counts = add_up(ctx.source("actes"), ["order", "kind", "legal_report"], CURRENT_AND_PREVIOUS)
    rows = [
        {"kind": kind, "legal_report": legal_report, "current": values[0], "previous": values[1]}
        for (_, kind, legal_report), values in sorted(
            counts.items(), key=lambda item: _acte_place(*item[0][:2])
        )
    ]
    actes = table(
        "actes",
        "Actes réalisés par type",
        "Type d'acte",
        merged_by_label((row["kind"], [row["current"], row["previous"]]) for row in rows),
        chart="hbar",
    )
    legal = {value: [0, 0] for value, _ in LegalReport.choices if value}
    for row in rows:
        if row["legal_report"]:
            legal[row["legal_report"]][0] += row["current"]
            legal[row["legal_report"]][1] += row["previous"]
    reports = table(
        "legal_reports",
        "Signalements légaux",
        "Signalement",
        [(label, legal[value]) for value, label in LegalReport.choices if value],
        chart=None,
    )
    return [actes, reports]


def contact_rows(ctx: Context) -> list[dict]:
    """Anonymous contacts of either period per mode."""
    current = in_dates(ctx.period, "occurred_on")
    previous = in_dates(ctx.previous, "occurred_on")
    return list(
        AnonymousContact.objects.filter(post__in=ctx.post_ids)
        .filter(in_either_dates(ctx, "occurred_on"))
        .values("mode", *post_field(ctx))
        .annotate(**period_counts(ctx, current, previous, kind="contact"))
        .order_by()
    )


def anonymous_contacts(ctx: Context) -> dict:
    counts = {
        mode: values
        for (mode,), values in add_up(
            ctx.source("contacts"), ["mode"], CURRENT_AND_PREVIOUS
        ).items()
    }
    return table(
        "anonymous",
        "Contacts anonymes (sans ouverture de dossier)",
        "Nature du contact",
        [(label, list(counts.get(value, (0, 0)))) for value, label in ContactMode.choices],
        chart=None,
    )


def tables(ctx: Context) -> list[dict]:
    return [*durations(ctx), *actes_by_kind(ctx), anonymous_contacts(ctx)]
