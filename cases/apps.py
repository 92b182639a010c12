from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Accompagnements"

    def ready(self):
        from cases import demo, home  # noqa: F401
        from iscg import navigation, roles
        from iscg.enums import Role

        navigation.register(
            navigation.MenuEntry("Tableau de bord", "home", (Role.WORKER,), 10),
            navigation.MenuEntry("Bénéficiaires", "cases:beneficiary_list", (Role.WORKER,), 20),
            navigation.MenuEntry("Contacts anonymes", "cases:contact_list", (Role.WORKER,), 30),
        )
        roles.grant_model_permissions(
            Role.ADMIN,
            *(
                f"cases.{action}_{model}"
                for model in ("problem", "actionkind")
                for action in ("add", "change", "view")
            ),
        )
