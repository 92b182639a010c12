"""When things may be dated: the coherence rules of the services, said on the field.

A worker records what happened recently (an anonymous contact, a saisine of another
origin): a date more than a year back is a typing slip (1990 for 2026), not a late entry,
and would land in a bilan already sent. What belongs to a case (an acte, an orientation)
happens within the case's life: not before its opening, not after its closure, never
after today. Historical activity comes in through the import, which has its own rules
(within the case's life, not in the future).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

RECENT_DAYS = 366


def _day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def check_recent(value, *, field: str) -> None:
    """``value`` (a date or a datetime) is today or within the past year."""
    day, today = _day(value), timezone.localdate()
    earliest = today - datetime.timedelta(days=RECENT_DAYS)
    if day > today:
        raise ValidationError({field: "La date ne peut pas être dans le futur."})
    if day < earliest:
        raise ValidationError(
            {
                field: f"La date doit être comprise entre le {earliest:%d/%m/%Y} et "
                f"aujourd'hui : vérifiez l'année saisie."
            }
        )


def last_activity_on(case) -> datetime.date | None:
    """The day of the case's latest acte or orientation: a closure may not precede it."""
    last_acte = case.actions.aggregate(last=Max("occurred_at"))["last"]
    last_orientation = case.orientations.aggregate(last=Max("oriented_on"))["last"]
    days = [_day(last_acte) if last_acte else None, last_orientation]
    return max((day for day in days if day), default=None)


def check_within_case(case, value, *, field: str, what: str) -> None:
    """``value`` falls within ``case``'s life: from its opening to its closure or today.

    ``what`` names the thing dated, as in "Un acte" / "Une orientation".
    """
    day = _day(value)
    if day < case.opened_on:
        raise ValidationError(
            {
                field: f"{what} ne peut pas être daté{_e(what)} d'avant l'ouverture de "
                f"l'accompagnement, le {case.opened_on:%d/%m/%Y}."
            }
        )
    if case.closed_on and day > case.closed_on:
        raise ValidationError(
            {
                field: f"{what} ne peut pas être daté{_e(what)} d'après la clôture de "
                f"l'accompagnement, le {case.closed_on:%d/%m/%Y}."
            }
        )
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} ne peut pas être daté{_e(what)} dans le futur."})


def _e(what: str) -> str:
    return "e" if what.startswith("Une ") else ""
