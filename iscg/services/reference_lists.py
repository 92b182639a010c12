"""The reference lists of a département: problems, kinds of actes, kinds of partners.

Entries shared by every département are the operator's; a départemental administrator
switches shared entries off for her département and adds, edits and retires its own.
The forms of a département offer its list (``ReferenceQuerySet.usable_in``); records keep
their entry, so bilans count what was chosen, under its label.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from cases.models import ActionKind, Problem
from iscg.services.actors import check_administrator
from partners.models import PartnerKind


@dataclass(frozen=True)
class ReferenceList:
    slug: str
    model: type
    title: str
    entry_name: str  # "une problématique"
    fields: tuple[str, ...]  # what the administrator edits on her own entries


REFERENCE_LISTS = {
    item.slug: item
    for item in (
        ReferenceList("problematiques", Problem, "Problématiques", "problématique", ("label",)),
        ReferenceList(
            "types-d-actes",
            ActionKind,
            "Types d'actes",
            "type d'acte",
            ("label", "is_contact", "legal_report"),
        ),
        ReferenceList(
            "types-de-partenaires",
            PartnerKind,
            "Types de partenaires",
            "type de partenaire",
            ("label", "is_health_related"),
        ),
    )
}


def _unique_code(model, label: str, department) -> str:
    base = f"{slugify(label)[:28] or 'entree'}-{department.code.lower()}"
    code, number = base, 1
    while model.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


@transaction.atomic
def reference_entry_save(*, entry, department, acting_user):
    """Creates or edits an entry of the département's own list."""
    check_administrator(acting_user, department.pk)
    model = type(entry)
    if entry.pk is not None and entry.department_id != department.pk:
        raise PermissionDenied(
            "Une entrée commune à tous les départements ne se modifie que par l'opérateur "
            "technique : vous pouvez la désactiver pour votre département."
        )
    label = " ".join((entry.label or "").split())
    if not label:
        raise ValidationError({"label": "Indiquez le libellé."})
    same = (
        model.objects.known_in([department.pk])
        .filter(label__iexact=label)
        .exclude(pk=entry.pk)
        .exists()
    )
    if same:
        raise ValidationError({"label": "Cette entrée existe déjà dans la liste du département."})
    entry.label = label
    entry.department = department
    if entry.pk is None:
        entry.code = _unique_code(model, label, department)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def reference_entry_switch(*, entry, department, in_use: bool, acting_user):
    """Puts an entry in use or out of use for the département: a shared entry is switched
    off there only; the département's own entry is retired (records keep it)."""
    check_administrator(acting_user, department.pk)
    if entry.department_id is None:
        if in_use:
            entry.disabled_in.remove(department)
        else:
            entry.disabled_in.add(department)
        return entry
    if entry.department_id != department.pk:
        raise PermissionDenied("Cette entrée appartient à un autre département.")
    entry.is_active = in_use
    entry.save(update_fields=["is_active"])
    return entry
