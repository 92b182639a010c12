"""The app ``cases``: its menu entries, home blocks, demo seeders and admin permissions."""

from django.apps import AppConfig

from cases.permissions import WORKERS
from iscg import navigation
from iscg.enums import Role


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Accompagnements"

    def ready(self):
        # Cycle with the app registry: these modules import models, loaded after this one.
        # Importing them registers the demo seeders and the worker home blocks.
        from cases import demo, demo_referrals, home  # noqa: F401
        from cases.lifecycle.views.archive import DPO
        from cases.lifecycle.views.imports import IMPORTERS
        from cases.referrals import registry
        from iscg import roles

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
        registry.register()
        roles.grant_model_permissions(
            Role.ADMIN,
            *(
                f"cases.{action}_{model}"
                for model in ("problem", "actionkind")
                for action in ("add", "change", "view")
            ),
        )
