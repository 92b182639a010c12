from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Accompagnements"

    def ready(self):
        from cases import referral_registry

        referral_registry.register()
