from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Accompagnements"

    def ready(self):
        from iscg import navigation
        from iscg.enums import Role

        navigation.register(
            navigation.MenuEntry(
                "Importer l'activité",
                "lifecycle:import_start",
                (Role.WORKER, Role.EMPLOYER_MANAGER),
                order=80,
            ),
            navigation.MenuEntry("Archives", "lifecycle:archive_list", (Role.ADMIN,), order=85),
            navigation.MenuEntry("Registre RGPD", "lifecycle:register", (Role.ADMIN,), order=86),
        )
        from cases import demo_referrals, referral_registry  # noqa: F401 - registers the seeder

        referral_registry.register()
