"""Measures every page of every role in the process (bench/every_page.py), prints one table
per role and writes bench/pages_results.json."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.every_page import ACCOUNTS, every_page
from iscg.models import User


class Command(BaseCommand):
    help = "Mesure chaque page de chaque rôle (temps médian, requêtes, lignes lues)."

    def add_arguments(self, parser):
        parser.add_argument("--targets", default="bench/targets.json")
        parser.add_argument("--scale", default="")
        parser.add_argument("--output", default="bench/pages_results.json")

    def handle(self, *args, **options):
        targets = json.loads(Path(options["targets"]).read_text())
        emails = {"worker": targets["accounts"]["worker"]["email"], **ACCOUNTS}
        users = {role: User.objects.get(email=email) for role, email in emails.items()}
        results = every_page(users)
        results.update(scale=options["scale"], measured_at=datetime.datetime.now().isoformat())
        Path(options["output"]).write_text(json.dumps(results, indent=2, ensure_ascii=False))
        bare = results["bare"]
        self.stdout.write(
            f"Vue témoin : {bare['median_ms']} ms, {bare['queries']} requête(s), "
            f"{bare['rows_read']} ligne(s) lue(s)"
        )
        for role, rows in results["roles"].items():
            self.stdout.write(f"\n{role} ({len(rows)} pages)")
            self.stdout.write(
                f"{'page':42} {'ms':>7} {'× témoin':>9} {'requêtes':>9} {'lignes':>8}"
            )
            for row in sorted(rows, key=lambda row: -row["median_ms"]):
                self.stdout.write(
                    f"{row['page'][:42]:42} {row['median_ms']:7.1f} {row['ratio']:9.1f} "
                    f"{row['queries']:9d} {row['rows_read'] if row['rows_read'] is not None else '-':>8}"
                )
