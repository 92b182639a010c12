from django.apps import AppConfig

from iscg.enums import Role


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partenaires"

    def ready(self):
        # Cycle with the app registry: these modules import models, loaded after this one.
        from iscg import navigation, roles
        from partners.views import DIRECTORY_ROLES

        navigation.register(
            navigation.MenuEntry("Partenaires", "partners:partner_list", DIRECTORY_ROLES, 40)
        )
        roles.grant_model_permissions(
            Role.ADMIN,
            *(
                f"partners.{action}_{model}"
                for model in ("partner", "partnerkind")
                for action in ("add", "change", "view")
            ),
        )
