"""Applies the retention periods: archive, anonymise, purge access logs. Dry by default."""

from django.core.management.base import BaseCommand

from cases.services.retention import apply_retention

LABELS = {
    "archived_beneficiaries": "dossiers de bénéficiaires archivés",
    "archived_referrals": "saisines archivées",
    "anonymised_beneficiaries": "bénéficiaires anonymisé·es",
    "anonymised_referrals": "saisines anonymisées",
    "purged_access_logs": "entrées du journal d'accès supprimées",
    "purged_import_previews": "aperçus d'import non confirmés supprimés",
}


class Command(BaseCommand):
    help = "Archive, anonymise et purge ce qui a dépassé sa durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run", action="store_true", help="Applique les changements (sinon : simulation)."
        )

    def handle(self, *args, wet_run=False, **options):
        report = apply_retention(dry_run=not wet_run)
        prefix = "" if wet_run else "[simulation] "
        for key, value in report.as_dict().items():
            self.stdout.write(f"{prefix}{LABELS[key]} : {value}")
        if not wet_run:
            self.stdout.write("Rien n'a été modifié. Relancez avec --wet-run pour appliquer.")
