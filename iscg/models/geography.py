"""Départements and communes of France (INSEE COG), loaded by ``load_geography``."""

import re

from django.db import models

from iscg import access
from iscg.enums import Role
from iscg.gate import GatedQuerySet
from iscg.text import normalize


class DepartmentQuerySet(GatedQuerySet):
    SUPERUSER_READS_ALL = True

    def readable_by(self, user):
        """The départements of the user's memberships."""
        return self.filter(pk__in=access.department_ids(user))

    def administered_by(self, user):
        """Where the user is the administrator (every one for the technical operator)."""
        return self.gated(
            user, lambda user: self.filter(pk__in=access.department_ids(user, roles=[Role.ADMIN]))
        )


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CommuneQuerySet(models.QuerySet):
    def alphabetical(self):
        """In the order a reader expects: accents and case aside ("Échallon" among the
        E, not after "Zz"), then by code for namesakes."""
        return self.order_by("search_name", "code")

    def search(self, term: str):
        """By name (accents, case and hyphens ignored), postcode or INSEE code; ranked with
        ``iscg.commune_input.resolve_commune``."""
        term = (term or "").strip()
        if not term:
            return self.none()
        compact = term.replace(" ", "")
        if compact.isdigit() or re.fullmatch(r"2[abAB]\d{0,3}", compact):
            return self.filter(
                models.Q(code__istartswith=compact) | models.Q(postcodes__contains=compact)
            )
        return self.filter(search_name__contains=normalize(term))


class Commune(models.Model):
    code = models.CharField("code COG", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100, db_index=True)
    department = models.ForeignKey(
        Department, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    # Space-separated: the same column on SQLite and PostgreSQL.
    postcodes = models.CharField("codes postaux", max_length=200, blank=True)
    search_name = models.CharField(
        "nom pour la recherche", max_length=100, db_index=True, blank=True, default=""
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        super().save(*args, **kwargs)

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()
