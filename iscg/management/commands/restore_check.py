"""``manage.py restore_check`` (``make restore-check``): the latest backup restores whole."""

from django.core.management.base import BaseCommand, CommandError

from iscg.backup import restore_check


class Command(BaseCommand):
    help = (
        "Restaure la dernière sauvegarde dans une base et un dossier temporaires, puis compare "
        "le nombre de lignes de chaque table et l'empreinte de chaque fichier au manifeste."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", nargs="?", help="Dossier de la sauvegarde (la dernière).")

    def handle(self, *args, **options):
        try:
            result = restore_check(options["backup"])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Sauvegarde {result.backup.name} restaurée : {result.tables} tables, "
            f"{result.rows} lignes, {result.files} fichiers "
            f"({result.referenced_files} nommés par la base)."
        )
        if not result.passed:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"Restauration non conforme : {len(result.problems)} écart(s).")
        self.stdout.write(self.style.SUCCESS("Identique au manifeste : restauration vérifiée."))
