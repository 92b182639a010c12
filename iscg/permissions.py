"""Role gate of the departmental administration's pages: 403 for any other role."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from iscg.selectors import administers


def administrator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not administers(request.user):
            raise PermissionDenied("Cette page est réservée à l'administration départementale.")
        return view(request, *args, **kwargs)

    return wrapper
