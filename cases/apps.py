from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Accompagnements"

    def ready(self):
        # Registers the demo seeders and the worker home blocks.
        from cases import demo, demo_referrals, home, referral_registry  # noqa: F401
        from iscg import navigation, roles
        from iscg.enums import Role

        navigation.register(
            navigation.MenuEntry("Tableau de bord", "home", (Role.WORKER,), 10),
            navigation.MenuEntry("Bénéficiaires", "cases:beneficiary_list", (Role.WORKER,), 20),
            navigation.MenuEntry("Contacts anonymes", "cases:contact_list", (Role.WORKER,), 30),
            navigation.MenuEntry(
                "Importer l'activité",
                "lifecycle:import_start",
                (Role.WORKER, Role.EMPLOYER_MANAGER),
                order=80,
            ),
            navigation.MenuEntry("Archives", "lifecycle:archive_list", (Role.ADMIN,), order=85),
            navigation.MenuEntry("Registre RGPD", "lifecycle:register", (Role.ADMIN,), order=86),
        )
        referral_registry.register()
        roles.grant_model_permissions(
            Role.ADMIN,
            *(
                f"cases.{action}_{model}"
                for model in ("problem", "actionkind")
                for action in ("add", "change", "view")
            ),
        )
