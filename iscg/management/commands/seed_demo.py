from django.core.management.base import BaseCommand

from iscg.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from iscg.management.not_production import add_not_production_flag, refuse_in_production


class Command(BaseCommand):
    help = "Charge la démonstration de l'Ain (idempotent) et affiche les comptes de démonstration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-accounts", action="store_true", help="N'affiche pas les comptes."
        )
        add_not_production_flag(parser)

    def handle(self, *args, quiet_accounts=False, **options):
        refuse_in_production(options, "seed_demo")
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Démonstration de l'Ain chargée."))
        if quiet_accounts:
            return
        self.stdout.write(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<28} {account.label}")
