"""Who opens the conventions' pages (iscg.permissions), declared once for the views and
the menu. What each then reads is ``Convention.objects.visible_to``'s business."""

from iscg.enums import Role
from iscg.permissions import Roles

REFUSAL = "Votre rôle ne donne pas accès aux conventions."
READ_ROLES = Roles(
    (Role.ADMIN, Role.PREFECTURE, Role.EMPLOYER_MANAGER, Role.FUNDER),
    superuser=True,
    refusal=REFUSAL,
)
EDIT_ROLES = Roles((Role.ADMIN, Role.PREFECTURE), superuser=True, refusal=REFUSAL)
