"""Imports a file of past activity for a post, as the page does. Dry by default."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.lifecycle.imports import services
from cases.lifecycle.imports.plans import COUNT_LABELS
from iscg.models import Post, PostHolding, User


class Command(BaseCommand):
    help = "Importe un fichier d'activité passée (XLSX ou CSV) pour un poste."

    def add_arguments(self, parser):
        parser.add_argument("--post", type=int, required=True, help="Numéro du poste.")
        parser.add_argument("--file", required=True, help="Chemin du fichier .xlsx ou .csv.")
        parser.add_argument(
            "--user",
            help="Adresse du compte auteur des données (par défaut : le ou la titulaire du poste).",
        )
        parser.add_argument(
            "--wet-run", action="store_true", help="Écrit les données (sinon : simulation)."
        )

    def handle(self, *args, post, file, user=None, wet_run=False, **options):
        try:
            post = Post.objects.get(pk=post)
        except Post.DoesNotExist as exc:
            raise CommandError(f"Poste n° {post} introuvable.") from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        author = self._author(post, user)
        content = path.read_bytes()
        parsed = services.parse_content(content, path.name, post=post)
        for warning in parsed.warnings:
            self.stdout.write(f"Attention : {warning}")
        if not parsed.is_valid:
            for line, message in parsed.errors:
                self.stderr.write(f"Ligne {line} : {message}")
            raise CommandError(f"{len(parsed.errors)} erreur(s) : rien n'a été importé.")
        counts = parsed.counts
        if not wet_run:
            for key, label in COUNT_LABELS.items():
                self.stdout.write(f"[simulation] {label} : {counts[key]}")
            self.stdout.write("Rien n'a été écrit. Relancez avec --wet-run pour importer.")
            return
        try:
            batch, counts = services.import_file(
                post=post, content=content, filename=path.name, acting_user=author
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for key, label in COUNT_LABELS.items():
            self.stdout.write(f"{label} : {counts[key]}")
        self.stdout.write(f"Import n° {batch.pk} effectué.")

    def _author(self, post, email):
        if email:
            try:
                return User.objects.get(email__iexact=email)
            except User.DoesNotExist as exc:
                raise CommandError(f"Compte introuvable : {email}") from exc
        holding = PostHolding.objects.current().filter(post=post).select_related("worker").first()
        if holding is None:
            raise CommandError("Ce poste n'a pas de titulaire aujourd'hui : précisez --user.")
        return holding.worker
