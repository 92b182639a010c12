"""The admin site of the organisation model, for the technical operator (superusers).

Accounts, roles, posts and holdings are written by the services behind the application's
pages (they check the actor and recompute the grants): here they are shown, never written.
Employers, funders, units and sites stay editable by the operator.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from iscg.admin_site import ReadOnlyAdminMixin, ScopedHistoryAdmin
from iscg.models import (
    AccessLog,
    Commune,
    Department,
    Employer,
    Funder,
    Membership,
    Post,
    PostHolding,
    Site,
    Unit,
    User,
)


class VisibleToAdminMixin:
    """Admin querysets go through the model's one read gate; no gate, no rows."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset.none()


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "department", "unit", "employer", "funder", "start", "end"]
    readonly_fields = fields


class PostHoldingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PostHolding
    extra = 0
    fields = ["worker", "kind", "start", "end"]
    readonly_fields = fields
    fk_name = "post"


@admin.register(User)
class UserAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin, BaseUserAdmin):
    ordering = ["last_name", "first_name", "email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        ("Accès", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


# Communes are the national reference list (INSEE, every commune of France).
@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "postcodes"]
    list_filter = ["department"]
    search_fields = ["code", "name", "postcodes"]
    list_select_related = ["department"]

    def get_search_results(self, request, queryset, search_term):
        # The application's search (accents, case and hyphens aside, postcodes whole),
        # for this list and for the autocomplete of every admin form naming a commune.
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False


@admin.register(Employer)
class EmployerAdmin(VisibleToAdminMixin, ScopedHistoryAdmin):
    list_display = ["name", "kind", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name", "siret"]


@admin.register(Funder)
class FunderAdmin(VisibleToAdminMixin, ScopedHistoryAdmin):
    list_display = ["name", "kind", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(VisibleToAdminMixin, ScopedHistoryAdmin):
    list_display = ["name", "kind", "parent", "commune", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name"]
    list_select_related = ["parent", "commune", "department"]


@admin.register(Site)
class SiteAdmin(VisibleToAdminMixin, ScopedHistoryAdmin):
    list_display = ["name", "kind", "commune", "schedule", "is_active"]
    list_filter = ["kind", "is_active", "department"]
    search_fields = ["name"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, ScopedHistoryAdmin):
    list_display = ["label", "employer", "etp", "is_active"]
    list_filter = ["is_active", "employer__department"]
    search_fields = ["label"]
    inlines = [PostHoldingInline]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The operator's view of the access log; administrators read it at /journal-des-acces/."""

    list_display = [
        "created_at",
        "username",
        "action",
        "content_type",
        "object_id",
        "object_label",
        "status_code",
        "ip_address",
    ]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    date_hierarchy = "created_at"
    search_fields = ["=object_id", "object_label", "username"]
    list_select_related = ["content_type", "user"]
    list_per_page = 50
