"""Django admin of the organisation model, in French, for the departmental administrator."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef, Q
from simple_history.admin import SimpleHistoryAdmin

from iscg import access, services
from iscg.enums import Role
from iscg.grants import refresh_user_grants
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


def administered_department_ids(user) -> list[int]:
    """Départements where the user holds the admin role: the scope of their admin screens."""
    return access.department_ids(user, roles=[Role.ADMIN])


def _scoped_choices(request, db_field, queryset):
    """Drop-downs of the admin forms offer only what the user may see (no other département)."""
    if request.user.is_superuser:
        return queryset
    model = db_field.related_model
    if model is Department:
        return queryset.filter(pk__in=administered_department_ids(request.user))
    if model is User:
        return queryset.filter(pk__in=admin_users(request.user).values("pk"))
    if hasattr(model._default_manager, "visible_to"):
        return queryset.filter(pk__in=model._default_manager.visible_to(request.user).values("pk"))
    return queryset


class ScopedChoicesMixin:
    """For ModelAdmins and inlines: foreign keys and many-to-many choices are scoped."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _scoped_choices(request, db_field, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and db_field.name != "groups":
            field.queryset = _scoped_choices(request, db_field, field.queryset)
        return field


class VisibleToAdminMixin(ScopedChoicesMixin):
    """Admin querysets go through the model's one read gate; no gate, no rows."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset.none()


def admin_users(user):
    """Accounts an administrator manages: those with a membership (current or past) in one of
    their départements, and accounts not attached to any département yet (just created, so
    that the add form can continue with their roles); never a superuser account.
    Superusers manage every account."""
    queryset = User.objects.all()
    if user.is_superuser:
        return queryset
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    # A superuser account is never managed (password, roles) by a département administrator.
    return queryset.filter(is_superuser=False).filter(
        Exists(memberships.filter(department_id__in=administered_department_ids(user)))
        | ~Exists(memberships)
    )


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit", "employer", "funder"]
    fields = ["role", "department", "unit", "employer", "funder", "start", "end"]

    def get_queryset(self, request):
        # An administrator reads and edits the roles held in their départements only.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(department_id__in=administered_department_ids(request.user))


class PostHoldingInline(ScopedChoicesMixin, admin.TabularInline):
    model = PostHolding
    extra = 0
    autocomplete_fields = ["worker"]
    fields = ["worker", "kind", "start", "end"]
    fk_name = "post"


class GrantRefreshMixin:
    """Saving roles or holdings in the admin recomputes the grants, as the services do."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        users = set()
        for formset in formsets:
            for obj in [*formset.new_objects, *formset.changed_objects, *formset.deleted_objects]:
                target = obj[0] if isinstance(obj, tuple) else obj
                user = getattr(target, "user", None) or getattr(target, "worker", None)
                if user is not None:
                    users.add(user)
        if isinstance(form.instance, User):
            users.add(form.instance)
        if users:
            refresh_user_grants(*users)


@admin.register(User)
class UserAdmin(GrantRefreshMixin, ScopedChoicesMixin, SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["last_name", "first_name", "email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        ("Accès", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=admin_users(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Staff status and role groups follow the memberships (iscg.roles); only a
            # superuser makes another superuser.
            fields += ["is_staff", "is_superuser", "groups"]
        return fields

    @admin.action(
        description="Réinitialiser la double authentification (téléphone perdu)",
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.user_otp_reset(user=user, acting_user=request.user)
        self.message_user(
            request,
            f"Double authentification réinitialisée pour {queryset.count()} compte(s) : "
            "un nouvel enrôlement sera demandé à la prochaine connexion.",
        )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=administered_department_ids(request.user))


# Communes are the national reference list (INSEE, every commune of France): public data,
# read-only for the admin role, not scoped.


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "postcodes"]
    list_filter = ["department"]
    search_fields = ["code", "name", "postcodes"]
    list_select_related = ["department"]


@admin.register(Employer)
class EmployerAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name", "siret"]


@admin.register(Funder)
class FunderAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "commune", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "commune"]
    list_select_related = ["parent", "commune", "department"]


@admin.register(Site)
class SiteAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "schedule", "is_active"]
    list_filter = ["kind", "is_active", "department"]
    search_fields = ["name"]
    autocomplete_fields = ["unit", "commune"]


@admin.register(Post)
class PostAdmin(GrantRefreshMixin, VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["label", "employer", "etp", "is_active"]
    list_filter = ["is_active", "employer"]
    search_fields = ["label"]
    filter_horizontal = ["units", "sites"]
    inlines = [PostHoldingInline]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Who opened file X, what did user Y open: filter by object, user, action and date."""

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
    list_filter = [
        "action",
        ("created_at", admin.DateFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "created_at"
    search_fields = ["=object_id", "object_label", "username", "user__email", "user__last_name"]
    search_help_text = (
        "Rechercher un numéro d'objet (ex. 42), un objet (ex. « bénéficiaire n° 42 ») "
        "ou un utilisateur (adresse électronique, nom)."
    )
    list_select_related = ["content_type", "user"]
    list_per_page = 50
    fields = [
        "created_at",
        "user",
        "username",
        "action",
        "content_type",
        "object_id",
        "object_label",
        "path",
        "status_code",
        "ip_address",
        "detail",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        """Rows of the accounts the administrator manages (admin_users), including failed
        logins typed with one of their e-mail addresses; superusers read every row."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        users = admin_users(request.user).filter(memberships__isnull=False)
        return queryset.filter(
            Q(user__in=users.values("pk"))
            | Q(user__isnull=True, username__in=users.values("email"))
        )

    def lookup_allowed(self, lookup, value, request=None):
        # Links such as ?content_type__id__exact=3&object_id=42 or ?user__id__exact=7.
        if lookup in ("object_id", "object_id__exact", "user__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
