"""The partner directory: workers add partners on the fly, admins maintain them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from iscg import access
from iscg.enums import Role
from partners.models import Partner

FIELDS = ("name", "kind", "commune", "address", "phone", "email", "website", "description")


@transaction.atomic
def partner_create(*, acting_user, department=None, **fields) -> Partner:
    """Adds a partner to the directory of the user's département."""
    allowed = access.department_ids(acting_user, roles=[Role.WORKER, Role.ADMIN])
    if not allowed:
        raise PermissionDenied("Vous ne pouvez pas ajouter de partenaire.")
    department_id = department.pk if department is not None else allowed[0]
    if department_id not in allowed:
        raise PermissionDenied("Vous ne pouvez pas ajouter de partenaire dans ce département.")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    partner = Partner(department_id=department_id, **fields)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, acting_user, **fields) -> Partner:
    """The departmental administrator maintains her département's directory: corrects a
    partner, or retires it (orientations already made keep it)."""
    if partner.department_id not in access.department_ids(acting_user, roles=[Role.ADMIN]):
        raise PermissionDenied("Seule l'administration du département modifie ce partenaire.")
    unknown = set(fields) - {*FIELDS, "is_active"}
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.full_clean()
    partner.save()
    return partner
