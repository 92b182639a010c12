from django.core.management.base import BaseCommand

from iscg.grants import apply_diffs, compute_diffs


class Command(BaseCommand):
    help = (
        "Recalcule toutes les permissions par objet à partir des relations (affectations, "
        "rôles, parties aux conventions, destinataires des bilans). Sans --wet-run, "
        "affiche seulement les différences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Écrit les corrections.")

    def handle(self, *args, wet_run=False, **options):
        diffs = compute_diffs()
        total = 0
        for diff in diffs:
            name = f"{diff.source.permission_table}.{diff.source.codename}"
            for user_id, object_id in sorted(diff.missing):
                self.stdout.write(f"+ {name} utilisateur={user_id} objet={object_id}")
            for user_id, object_id in sorted(diff.extra):
                self.stdout.write(f"- {name} utilisateur={user_id} objet={object_id}")
            total += len(diff.missing) + len(diff.extra)
        if not total:
            self.stdout.write("Aucune différence : les permissions sont à jour.")
            return
        if wet_run:
            apply_diffs(diffs)
            self.stdout.write(self.style.SUCCESS(f"{total} différence(s) corrigée(s)."))
        else:
            self.stdout.write(f"{total} différence(s). Relancez avec --wet-run pour corriger.")
