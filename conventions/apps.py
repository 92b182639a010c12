from django.apps import AppConfig

from iscg.enums import Role


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions et financements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Cycle with the app registry: these modules import models, loaded after this one.
        from conventions import demo, home  # noqa: F401
        from conventions.grant_sources import SOURCE
        from conventions.roles import EDIT_ROLES, READ_ROLES
        from iscg import grants, navigation, roles

        grants.register(SOURCE)
        navigation.register(
            navigation.MenuEntry("Conventions", "conventions:list", READ_ROLES, order=60),
            navigation.MenuEntry("Financements", "conventions:dashboard", EDIT_ROLES, order=61),
        )
        models = (
            "convention",
            "conventionparty",
            "conventionpost",
            "budgetline",
            "fundingline",
            "payment",
            "amendment",
            "conventiondocument",
        )
        roles.grant_model_permissions(
            Role.ADMIN,
            *(
                f"conventions.{action}_{model}"
                for model in models
                for action in ("add", "change", "delete", "view")
            ),
            "conventions.view_sentalert",
        )
