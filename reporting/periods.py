"""Periods of a bilan and their previous period of equal length."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

from iscg.dates import add_months


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("La fin de la période précède son début.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def datetime_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start 00:00, day after end 00:00) in the local time zone, for timestamps."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return start, end

    def whole_months(self) -> int | None:
        """Number of calendar months if the period is made of whole months, else None."""
        last_day = calendar.monthrange(self.end.year, self.end.month)[1]
        if self.start.day != 1 or self.end.day != last_day:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Period":
        """The preceding period of equal length: whole months shift by months, else by days."""
        months = self.whole_months()
        if months:
            start = add_months(self.start, -months)
            end = self.start - datetime.timedelta(days=1)
            return Period(start, end)
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

    def label(self) -> str:
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    def short_label(self) -> str:
        months = self.whole_months()
        if months == 12 and self.start.month == 1:
            return str(self.start.year)
        if months == 3 and self.start.month in (1, 4, 7, 10):
            return f"T{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if months == 1:
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label(),
            "short_label": self.short_label(),
        }


MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def month_of(day: datetime.date) -> Period:
    start = day.replace(day=1)
    return Period(start, add_months(start, 1) - datetime.timedelta(days=1))


def quarter_of(day: datetime.date) -> Period:
    start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period(start, add_months(start, 3) - datetime.timedelta(days=1))


def year_of(day: datetime.date) -> Period:
    return Period(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))


def preset(name: str, today: datetime.date | None = None) -> Period:
    """The last complete month / quarter / year, or the current ones ("*_current")."""
    today = today or timezone.localdate()
    if name == "month":
        return month_of(today.replace(day=1) - datetime.timedelta(days=1))
    if name == "quarter":
        return quarter_of(quarter_of(today).start - datetime.timedelta(days=1))
    if name == "year":
        return year_of(datetime.date(today.year - 1, 1, 1))
    if name == "month_current":
        return month_of(today)
    if name == "quarter_current":
        return quarter_of(today)
    if name == "year_current":
        return year_of(today)
    raise ValueError(name)


# Calendar months a periodic bilan covers, and the months its period may start in.
KIND_SHAPES = {
    "monthly": (1, range(1, 13), "un mois civil entier, du 1er au dernier jour du mois"),
    "quarterly": (
        3,
        (1, 4, 7, 10),
        "un trimestre civil entier : janvier à mars, avril à juin, juillet à septembre "
        "ou octobre à décembre",
    ),
    "annual": (12, (1,), "une année civile entière, du 1er janvier au 31 décembre"),
}
KIND_LABELS = {"monthly": "mensuel", "quarterly": "trimestriel", "annual": "annuel"}


def entries_closed_on(quarter: Period) -> datetime.date:
    """The day a quarter's entries are taken as complete: the day its last month's
    bilan is due (``due_date``), the 15th of the month after it."""
    return due_date("monthly", month_of(quarter.end))


def last_closed_quarter(today: datetime.date | None = None) -> Period:
    """The last calendar quarter whose entries are closed (``entries_closed_on``): the
    one before the last ended quarter until the 15th of the month after it."""
    today = today or timezone.localdate()
    quarter = quarter_of(quarter_of(today).start - datetime.timedelta(days=1))
    if entries_closed_on(quarter) > today:
        quarter = quarter_of(quarter.start - datetime.timedelta(days=1))
    return quarter


def is_calendar_quarter(period: Period) -> bool:
    """A whole calendar quarter: the period of the perturbed live statistics."""
    length, starts, _ = KIND_SHAPES["quarterly"]
    return period.whole_months() == length and period.start.month in starts


def due_date(kind: str, period: Period) -> datetime.date:
    """When a periodic bilan is owed (reporting.obligations): a month's by the 15th of the
    next month, a quarter's by the end of the next month, a year's by 31 March."""
    after = period.end + datetime.timedelta(days=1)
    if kind == "monthly":
        return after.replace(day=15)
    months = 1 if kind == "quarterly" else 3
    return add_months(after, months) - datetime.timedelta(days=1)


def period_problem(kind: str, period: Period, today: datetime.date) -> str | None:
    """Why a bilan of this kind cannot cover this period, or None.

    Monthly, quarterly and annual bilans cover a calendar month, quarter or year that has
    ended: their figures are final and they may be sent. A bilan "ponctuel" covers any
    period that has begun; one not yet ended is provisional (Report.is_provisional).
    """
    if period.start > today:
        return "Cette période n'a pas commencé : un bilan ne porte que sur une activité passée."
    shape = KIND_SHAPES.get(kind)
    if shape is None:
        return None
    months, start_months, described = shape
    if period.whole_months() != months or period.start.month not in start_months:
        return (
            f"Un bilan {KIND_LABELS[kind]} porte sur {described}. Choisissez une telle "
            "période, ou un bilan ponctuel pour d'autres dates."
        )
    if period.end >= today:
        return (
            f"Cette période n'est pas terminée (elle s'achève le {period.end:%d/%m/%Y}) : un "
            f"bilan {KIND_LABELS[kind]} se calcule une fois la période écoulée. Pour un point "
            "d'étape, choisissez un bilan ponctuel : il sera provisoire et ne pourra pas être "
            "envoyé."
        )
    return None
