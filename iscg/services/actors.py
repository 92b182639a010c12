"""Who may write on the organisation model: the operator, or an administrator of the
département concerned, never on her own account (four eyes).

``acting_user=None`` is the system itself (demo and bench data, management commands).
Each refusal is a ``ValidationError`` in French, shown on the form by the page.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from iscg import access
from iscg.enums import Role

SELF_GRANT = (
    "Vous ne pouvez pas vous attribuer vous-même un rôle ou une affectation : "
    "un autre administrateur ou l'exploitant technique le fait."
)


def check_administrator(acting_user, department_id: int | None) -> None:
    """The actor administers this département (or is the operator, or the system)."""
    if acting_user is None or acting_user.is_superuser:
        return
    if not (acting_user.is_active and access.has_role(acting_user, Role.ADMIN)):
        raise PermissionDenied("Seule l'administration départementale fait cette opération.")
    if department_id is not None and department_id not in access.department_ids(
        acting_user, roles=[Role.ADMIN]
    ):
        raise PermissionDenied("Ce département n'est pas le vôtre.")


def check_not_self(acting_user, target, field: str | None = None) -> None:
    """Nobody gives themselves, or takes from themselves, a role, a holding or an account
    state: another administrator or the operator does."""
    if acting_user is not None and target is not None and acting_user.pk == target.pk:
        raise ValidationError({field: SELF_GRANT} if field else SELF_GRANT)
