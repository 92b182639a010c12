"""manage.py consolidate_reports --year 2025 [--departments 01 69] [--output bilan.xlsx]

The national (or regional) figures of a year, consolidated from the validated annual
bilans of the employers (reporting.consolidation): prints which bilans were added up,
which employers have none yet and the key figures; writes the tables in CSV or XLSX.
What it prints and writes is protected like a bilan (reporting.secrecy): counts of 1 or 2
and the cells that would give them away are « s », and the audit's result is printed.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iscg.models import Department
from reporting import exports
from reporting.consolidation import consolidate
from reporting.indicators import key_figures
from reporting.periods import year_of
from reporting.secrecy import apply_mask, protect


class Command(BaseCommand):
    help = "Consolide les bilans annuels validés des employeurs (national ou régional)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année du bilan.")
        parser.add_argument(
            "--departments", nargs="*", default=None, help="Codes des départements (tous sinon)."
        )
        parser.add_argument("--output", default="", help="Fichier .csv ou .xlsx à écrire.")

    def handle(self, *args, **options):
        department_ids = None
        if options["departments"]:
            codes = options["departments"]
            found = dict(Department.objects.filter(code__in=codes).values_list("code", "pk"))
            unknown = sorted(set(codes) - set(found))
            if unknown:
                raise CommandError(f"Départements inconnus : {', '.join(unknown)}.")
            department_ids = list(found.values())
        output = Path(options["output"]) if options["output"] else None
        if output and output.suffix not in (".csv", ".xlsx"):
            raise CommandError("Le fichier de sortie doit finir par .csv ou .xlsx.")

        result = consolidate(
            period=year_of(datetime.date(options["year"], 1, 1)), department_ids=department_ids
        )
        w = self.stdout.write
        w(f"Bilans consolidés : {len(result.reports)} ({result.period.label()}).")
        if result.missing:
            w(f"Employeurs sans bilan annuel validé : {len(result.missing)}")
            for code, name in result.missing:
                w(f"  {code} — {name}")
        hidden, findings = protect(result.figures)
        figures = apply_mask(result.figures, hidden)
        w(
            f"Secret statistique : {len(hidden)} cases masquées ; "
            + (
                "l'audit ne retrouve aucune case masquée."
                if not findings
                else f"l'audit retrouve encore {len(findings)} cases : tableaux non écrits."
            )
        )
        if findings:
            raise CommandError("Le secret statistique n'est pas assuré.")
        for figure in key_figures(figures):
            w(f"{figure['label']} : {figure['current']} (année précédente : {figure['previous']})")
        if output:
            render = exports.to_xlsx if output.suffix == ".xlsx" else exports.to_csv
            output.write_bytes(render(figures))
            w(f"Tableaux écrits dans {output}.")
