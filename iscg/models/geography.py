"""Départements and communes of France (INSEE COG), loaded by ``load_geography``."""

from django.db import models


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CommuneQuerySet(models.QuerySet):
    def search(self, term: str):
        term = (term or "").strip()
        if not term:
            return self.none()
        if term.isdigit():
            return self.filter(
                models.Q(code__startswith=term) | models.Q(postcodes__icontains=term)
            )
        return self.filter(name__icontains=term)


class Commune(models.Model):
    code = models.CharField("code COG", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100, db_index=True)
    department = models.ForeignKey(
        Department, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    # Space-separated: the same column on SQLite and PostgreSQL.
    postcodes = models.CharField("codes postaux", max_length=200, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()
