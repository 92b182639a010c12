"""Model validation that trusts the related objects an instance already holds.

``Model.full_clean`` checks every foreign key with a ``SELECT 1 … LIMIT 1``, and a save
through a ModelForm then a service validates twice: two queries per foreign key for
objects the request has just read (the case, the acte's kind, the acting user…).

A foreign key whose related object is loaded on the instance (``fields_cache`` holds a
saved object with that key) and whose field has no ``limit_choices_to`` cannot name a
missing row but for a deletion since, which the database constraint still refuses at
the insert. Only that existence check is skipped: the other field checks, ``clean()``,
uniqueness and constraints run as before, with their French messages.
"""

from django.db import models


def loaded_foreign_keys(instance: models.Model) -> set[str]:
    """Names of the foreign keys of ``instance`` whose related object is already loaded."""
    names = set()
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.remote_field.limit_choices_to:
            continue
        value = getattr(instance, field.attname)
        if value is None or not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if (
            related is not None
            and not related._state.adding
            and getattr(related, field.target_field.attname) == value
        ):
            names.add(field.name)
    return names


class TrustLoadedRelations:
    """Model mixin: ``full_clean`` does not query the related objects already loaded."""

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude={*(exclude or ()), *loaded_foreign_keys(self)})
