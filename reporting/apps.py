from django.apps import AppConfig

from iscg.enums import Role


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Bilans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Cycle with the app registry: these modules import models, loaded after this one.
        from iscg import grants, navigation, roles
        from reporting import demo, home, signals  # noqa: F401
        from reporting.grant_sources import SOURCES
        from reporting.roles import LIST_ROLES, LIVE_ROLES

        for source in SOURCES:
            grants.register(source)
        for role in (
            Role.WORKER,
            Role.EMPLOYER_MANAGER,
            Role.PREFECTURE,
            Role.FUNDER,
            Role.UNIT_LEAD,
            Role.ADMIN,
        ):
            roles.grant_model_permissions(role, "reporting.view_report")
        for role in (Role.WORKER, Role.EMPLOYER_MANAGER):
            roles.grant_model_permissions(role, "reporting.add_report", "reporting.change_report")
        navigation.register(
            navigation.MenuEntry("Statistiques", "reporting:dashboard", LIVE_ROLES, 60),
            navigation.MenuEntry("Bilans", "reporting:list", LIST_ROLES, 61),
        )
