"""Django's admin site, for the technical operator (superusers) only.

The departmental administrator works in the application's own pages. Any other signed-in
account gets 403 on every admin URL, the login page included; an anonymous visitor is
sent to the login page as before. History pages load their object through the admin's
scoped queryset and never write (no revert, whatever the setting).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


def is_operator(user) -> bool:
    return bool(user.is_active and user.is_superuser)


class OperatorAdminSite(admin.AdminSite):
    site_header = "Administration technique ISCG"
    site_title = "Administration technique ISCG"
    index_title = "Exploitation : référentiels nationaux et vérifications"

    def has_permission(self, request):
        return is_operator(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def gate(request, *args, **kwargs):
            if request.user.is_authenticated and not is_operator(request.user):
                raise PermissionDenied("L'administration technique est réservée à l'exploitant.")
            return inner(request, *args, **kwargs)

        return gate

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not is_operator(request.user):
            raise PermissionDenied("L'administration technique est réservée à l'exploitant.")
        return super().login(request, extra_context)


class OperatorAdminConfig(AdminConfig):
    default_site = "iscg.admin_site.OperatorAdminSite"


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history falls back to the stored history row when ``get_queryset`` hides the
    object, and its revert form saves whatever is posted: here the object must be in the
    admin's queryset, and the history form is read-only."""

    def _scoped_or_404(self, request, object_id):
        pk_name = self.model._meta.pk.attname
        if not self.get_queryset(request).filter(**{pk_name: unquote(object_id)}).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Une version passée ne se restaure pas.")
        self._scoped_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class ReadOnlyAdminMixin:
    """For models whose writes carry grants or reconciled sums: their services are the only
    write path (the application's pages), the admin site shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
