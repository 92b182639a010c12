"""Role groups carry the model-level rights; object grants (iscg.grants) carry the scope.

Apps add their model rights to ``ROLE_PERMISSIONS`` in their AppConfig.ready; groups
are (re)built after every migration and users follow their active memberships.
"""

from django.contrib.auth.models import Group, Permission

from iscg.enums import Role

GROUP_NAMES = {role.value: f"Rôle : {role.label}" for role in Role}

ROLE_PERMISSIONS: dict[str, set[str]] = {role.value: set() for role in Role}

ROLE_PERMISSIONS[Role.ADMIN].update(
    f"iscg.{action}_{model}"
    for model in ("employer", "funder", "unit", "site", "post", "postholding", "user", "membership")
    for action in ("add", "change", "view")
)
ROLE_PERMISSIONS[Role.ADMIN].update({"iscg.view_department", "iscg.view_commune"})


def grant_model_permissions(role: str, *perms: str) -> None:
    ROLE_PERMISSIONS[role].update(perms)


def ensure_role_groups() -> None:
    for role, name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in sorted(ROLE_PERMISSIONS[role]):
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


def sync_user_groups(user) -> None:
    """A user belongs to the groups of their active roles, and to no other role group."""
    active = set(user.memberships.active().values_list("role", flat=True))
    role_groups = Group.objects.filter(name__in=GROUP_NAMES.values())
    keep = [g for g in role_groups if g.name in {GROUP_NAMES[r] for r in active}]
    user.groups.remove(*[g for g in role_groups if g not in keep])
    user.groups.add(*keep)
    # Django's admin site is the technical operator's (superusers); every role, the
    # departmental administrator's included, works in the application's pages.
    should_be_staff = user.is_superuser
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])
