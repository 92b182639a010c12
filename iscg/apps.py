from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IscgConfig(AppConfig):
    name = "iscg"
    verbose_name = "Organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Cycle with the app registry: these modules import models, loaded after this one.
        from iscg import (  # noqa: F401
            audit,
            checks,
            grants,
            history,
            home_organisation,
            navigation,
            organisation_version,
            otp,
            signals,
        )
        from iscg.grant_sources import SOURCES
        from iscg.permissions import ADMINISTRATION

        for source in SOURCES:
            grants.register(source)
        organisation_version.connect()
        # The departmental administrator reads the access log (never edits it).
        navigation.register(
            navigation.MenuEntry("Comptes", "administration:user_list", ADMINISTRATION, order=80),
            navigation.MenuEntry("Postes", "administration:post_list", ADMINISTRATION, order=85),
            navigation.MenuEntry("Unités", "administration:unit_list", ADMINISTRATION, order=86),
            navigation.MenuEntry(
                "Lieux d'accueil", "administration:site_list", ADMINISTRATION, order=87
            ),
            navigation.MenuEntry(
                "Listes de référence", "administration:reference_lists", ADMINISTRATION, order=88
            ),
            navigation.MenuEntry("Journal des accès", "access_log", ADMINISTRATION, order=90),
        )
        # After every app: permissions of later apps exist only once they migrated.
        post_migrate.connect(_ensure_role_groups, dispatch_uid="iscg_role_groups")


def _ensure_role_groups(sender, **kwargs):
    # Cycle with the app registry: iscg.roles imports django.contrib.auth's models.
    from iscg.roles import ensure_role_groups

    ensure_role_groups()
