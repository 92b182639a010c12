from django.core.management.base import BaseCommand

from iscg.geography import load_geography


class Command(BaseCommand):
    help = "Charge (ou met à jour) les départements et les communes de France."

    def handle(self, *args, **options):
        departments, communes = load_geography()
        self.stdout.write(f"{departments} départements et {communes} communes chargés.")
