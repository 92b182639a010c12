"""Writes on units and sites by the departmental administration, each checking its actor."""

from django.core.exceptions import ValidationError
from django.db import transaction

from iscg.models import Site, SiteOpening, Unit
from iscg.models.schedules import WEEKDAYS, PartOfDay
from iscg.services.actors import check_administrator


def _check_department_kept(instance, what: str) -> None:
    """An existing unit or site stays in its département: what hangs on it (units below
    it, sites, posts, referrals, memberships) is of that département."""
    if instance.pk is None:
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("department_id")
    if stored.get()[0] != instance.department_id:
        raise ValidationError({"department": f"{what} ne change pas de département."})


@transaction.atomic
def unit_save(*, unit: Unit, acting_user) -> Unit:
    """A unit belongs to a département; its parent is a unit of the same département and
    never itself or one of the units below it."""
    check_administrator(acting_user, unit.department_id)
    _check_department_kept(unit, "Une unité existante")
    parent = unit.parent
    if parent is not None:
        if parent.department_id != unit.department_id:
            raise ValidationError({"parent": "Choisissez une unité du même département."})
        seen = set()
        while parent is not None and parent.pk not in seen:
            if unit.pk is not None and parent.pk == unit.pk:
                raise ValidationError(
                    {
                        "parent": "Une unité ne peut être rattachée ni à elle-même ni à une "
                        "unité qui dépend d'elle."
                    }
                )
            seen.add(parent.pk)
            parent = parent.parent
    if unit.commune is not None and unit.commune.department_id != unit.department_id:
        raise ValidationError({"commune": "Choisissez une commune du département de l'unité."})
    unit.full_clean()
    unit.save()
    return unit


def _check_openings(openings: list[dict]) -> None:
    """Two permanences of one weekday may not overlap: a whole day covers the others."""
    taken: dict[int, set[str]] = {}
    for opening in openings:
        parts = taken.setdefault(opening["weekday"], set())
        part = opening["part_of_day"]
        if part in parts or PartOfDay.DAY in parts or (part == PartOfDay.DAY and parts):
            day = WEEKDAYS[opening["weekday"]]
            raise ValidationError(
                {"openings": f"Deux permanences se recouvrent le {day} : gardez-en une seule."}
            )
        parts.add(part)


@transaction.atomic
def site_save(*, site: Site, openings: list[dict], acting_user) -> Site:
    """A site of the département with its recurring permanences ({"weekday",
    "part_of_day", "times_per_month"}), replaced as a whole."""
    check_administrator(acting_user, site.department_id)
    _check_department_kept(site, "Un lieu existant")
    if site.unit is not None and site.unit.department_id != site.department_id:
        raise ValidationError({"unit": "Choisissez une unité du département."})
    if site.commune is not None and site.commune.department_id != site.department_id:
        raise ValidationError({"commune": "Choisissez une commune du département."})
    _check_openings(openings)
    site.full_clean()
    site.save()
    site.openings.all().delete()
    SiteOpening.objects.bulk_create(SiteOpening(site=site, **opening) for opening in openings)
    return site
