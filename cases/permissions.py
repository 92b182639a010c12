"""Role gate of the worker screens: 403 for any other role, 404 outside the user's posts."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from iscg import access
from iscg.enums import Role


def is_worker(user) -> bool:
    return user.is_authenticated and user.is_active and access.has_role(user, Role.WORKER)


def worker_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_worker(request.user):
            raise PermissionDenied("Cette page est réservée aux intervenant·es sociaux.")
        return view(request, *args, **kwargs)

    return wrapper


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_authenticated and access.has_role(user, *roles)):
                raise PermissionDenied("Vous n'avez pas accès à cette page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
