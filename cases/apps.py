from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Accompagnements"

    def ready(self):
        from cases import demo_referrals, referral_registry  # noqa: F401 - registers the seeder

        referral_registry.register()
