"""Role checks of the referral pages: 403 for a role that may not come here at all."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from iscg import access
from iscg.enums import Role

UNIT_ROLES = (Role.UNIT_AGENT, Role.UNIT_LEAD)
WORKER_ROLES = (Role.WORKER,)


def role_required(*roles):
    """Only users holding one of ``roles`` (superusers included only through a role)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not access.has_role(request.user, *roles):
                raise PermissionDenied("Cette page n'est pas accessible avec votre rôle.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
