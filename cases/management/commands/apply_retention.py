"""Applies the retention periods: archive, anonymise, purge access logs. Dry by default."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.lifecycle.services.retention import apply_retention

LABELS = {
    "closed_cases": "accompagnements clôturés sans contact",
    "archived_beneficiaries": "dossiers de bénéficiaires archivés",
    "archived_referrals": "saisines archivées",
    "anonymised_beneficiaries": "bénéficiaires anonymisé·es",
    "anonymised_referrals": "saisines anonymisées",
    "purged_access_logs": "entrées du journal d'accès supprimées",
    "purged_import_previews": "aperçus d'import non confirmés supprimés",
}


def run_moment(value: str | None) -> datetime.datetime:
    """The moment the run acts as of: now, or the given day at the present time of day (an
    operator rehearses a future run without moving the clock)."""
    now = timezone.localtime()
    if not value:
        return now
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide « {value} » : format attendu AAAA-MM-JJ.") from error
    return now.replace(year=day.year, month=day.month, day=day.day)


class Command(BaseCommand):
    help = "Archive, anonymise et purge ce qui a dépassé sa durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run", action="store_true", help="Applique les changements (sinon : simulation)."
        )
        parser.add_argument(
            "--date",
            help="Jour de référence AAAA-MM-JJ (par défaut : aujourd'hui), pour répéter "
            "une exécution future sans changer l'horloge.",
        )

    def handle(self, *args, wet_run=False, date=None, **options):
        now = run_moment(date)
        report = apply_retention(now=now, dry_run=not wet_run)
        prefix = "" if wet_run else "[simulation] "
        if date:
            self.stdout.write(f"{prefix}au {now:%d/%m/%Y}")
        for key, value in report.as_dict().items():
            self.stdout.write(f"{prefix}{LABELS[key]} : {value}")
        if not wet_run:
            self.stdout.write("Rien n'a été modifié. Relancez avec --wet-run pour appliquer.")
