"""Peak memory and time of an activity import's preview for the largest file accepted.

Builds an XLSX of ``MAX_ROWS`` lines of the "actes" template (a person every four lines),
then parses it in a fresh process (``--child``) whose own peak resident memory (VmHWM)
is read from /proc: a forked process would carry the parent's peak. Writes the figures
to ``--output`` (bench/README.md quotes them).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from openpyxl import Workbook

from cases.lifecycle.imports.columns import template_columns
from cases.lifecycle.imports.reader import MAX_ROWS
from cases.lifecycle.imports.services import parse_content
from cases.models import ActionKind, ImportTemplate, Problem
from iscg.models import Commune, Post


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _row(i: int, kind: str, problem: str, commune: str) -> list[str]:
    person = i // 4
    values = {
        "Date de l'acte": f"{1 + i % 28:02d}/03/2025",
        "Type d'acte": kind,
        "Identifiant de la personne": f"P{person:06d}",
        "Nom": f"NOM{person:06d}",
        "Prénom": "Prénom",
        "Sexe": "Femme",
        "Année de naissance": str(1950 + person % 50),
        "Tranche d'âge": "",
        "Situation familiale": "Famille monoparentale",
        "Code commune (INSEE)": commune,
        "Profil": "Victime",
        "Problématique principale": problem,
        "Unité à l'origine": "",
        "Origine de la saisine": "La personne est venue d'elle-même",
        "Connu du Département": "Oui",
        "Connu de la CAF": "Non",
        "Date d'ouverture": "01/03/2025",
        "Date de clôture": "",
        "Motif de clôture": "",
        "Durée (minutes)": "45",
    }
    return [values.get(column.header, "") for column in template_columns(ImportTemplate.ACTIONS)]


def build_file(rows: int) -> Path:
    """An XLSX of ``rows`` valid lines of the "actes" template, in a temporary file."""
    kind = ActionKind.objects.order_by("pk").values_list("label", flat=True).first()
    problem = Problem.objects.order_by("pk").values_list("label", flat=True).first()
    commune = Commune.objects.order_by("pk").values_list("code", flat=True).first() or ""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Activité")
    sheet.append([c.header for c in template_columns(ImportTemplate.ACTIONS)])
    for i in range(rows):
        sheet.append(_row(i, kind, problem, commune))
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        book.save(handle)
        return Path(handle.name)


class Command(BaseCommand):
    help = "Mesure la mémoire et la durée de l'aperçu d'un import du plus gros fichier accepté."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=MAX_ROWS)
        parser.add_argument("--output", default="bench/import_memory.json")
        parser.add_argument("--child", help=argparse.SUPPRESS)

    def handle(self, *args, rows, output, child=None, **options):
        post = Post.objects.filter(postholding__isnull=False).order_by("pk").first()
        if post is None:
            raise CommandError("Aucun poste occupé : lancez d'abord manage.py bench_generate.")
        if child:
            self._child(Path(child), post)
            return
        path = build_file(rows)
        try:
            result = subprocess.run(
                [sys.executable, "manage.py", "bench_import", "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            size = path.stat().st_size
            path.unlink()
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        figures.update(rows=rows, file_bytes=size)
        Path(output).write_text(json.dumps(figures, indent=2) + "\n")
        self.stdout.write(
            f"{rows} lignes ({size / 2**20:.1f} Mo) : aperçu en {figures['seconds']:.1f} s, "
            f"mémoire de pointe {figures['peak_mb']:.0f} Mo "
            f"(dont {figures['peak_mb'] - figures['before_mb']:.0f} Mo pour l'import)."
        )

    def _child(self, path: Path, post) -> None:
        before = _status_kb("VmRSS")
        started = time.monotonic()
        parsed = parse_content(path.read_bytes(), path.name, post=post)
        seconds = time.monotonic() - started
        figures = {
            "seconds": round(seconds, 2),
            "before_mb": round(before / 1024, 1),
            "peak_mb": round(_status_kb("VmHWM") / 1024, 1),
            "errors": len(parsed.errors),
            "people": parsed.counts["beneficiaries"],
        }
        self.stdout.write(json.dumps(figures))
