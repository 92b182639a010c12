from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Accompagnements"

    def ready(self):
        # Registers the demo seeders and the worker home blocks.
        from cases import demo, demo_referrals, home, referral_registry  # noqa: F401
        from cases.permissions import WORKERS
        from cases.views.archive import DPO
        from cases.views.imports import IMPORTERS
        from iscg import navigation, roles
        from iscg.enums import Role

        navigation.register(
            navigation.MenuEntry("Tableau de bord", "home", WORKERS, 10),
            navigation.MenuEntry("Bénéficiaires", "cases:beneficiary_list", WORKERS, 20),
            navigation.MenuEntry("Contacts anonymes", "cases:contact_list", WORKERS, 30),
            navigation.MenuEntry(
                "Importer l'activité", "lifecycle:import_start", IMPORTERS, order=80
            ),
            navigation.MenuEntry("Archives", "lifecycle:archive_list", DPO, order=85),
            navigation.MenuEntry("Registre RGPD", "lifecycle:register", DPO, order=86),
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
