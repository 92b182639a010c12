"""The one role gate of the pages, and the role sets the pages and the menu share.

A page declares who may open it as a ``Roles``: the roles, held through a membership
running today, and whether the technical operator (a superuser) passes too. The same
object gates the view (``role_required``) and shows its menu entry (``iscg.navigation``),
so that no one is shown a link that answers 403. What a role then reads is the business
of ``Model.objects.visible_to``: the gate only turns away roles that have no business on
the page at all.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied

from iscg import access
from iscg.enums import Role


@dataclass(frozen=True)
class Roles:
    names: tuple[str, ...]
    # The technical operator: the pages of the administration, conventions and bilans are
    # theirs too; the pages of referrals and files, where personal data is, never are.
    superuser: bool = False
    refusal: str = "Votre rôle ne donne pas accès à cette page."

    def __iter__(self):
        return iter(self.names)

    def allow(self, user) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        return (self.superuser and user.is_superuser) or access.has_role(user, *self.names)


def role_required(roles: Roles):
    """403 (with the French reason) for a user ``roles`` does not allow."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not roles.allow(request.user):
                raise PermissionDenied(roles.refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


ADMINISTRATION = Roles(
    (Role.ADMIN,),
    superuser=True,
    refusal="Cette page est réservée à l'administration départementale.",
)
administrator_required = role_required(ADMINISTRATION)
