import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.casedata import generate_case_data
from bench.conventions import build_conventions
from bench.organisation import build_organisation
from bench.scales import SCALES
from iscg.grants import sync_all
from iscg.management.not_production import add_not_production_flag, refuse_in_production


class Command(BaseCommand):
    help = (
        "Remplit une base PostgreSQL dédiée de données réalistes et reproductibles pour mesurer "
        "les performances (bench/README.md). À n'utiliser que sur une base de mesure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="department")
        add_not_production_flag(parser)

    def handle(self, *args, scale, **options):
        refuse_in_production(options, "bench_generate")
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_generate écrit directement en SQL PostgreSQL : DATABASE_URL doit "
                "désigner une base PostgreSQL de mesure."
            )
        chosen = SCALES[scale]
        started = time.monotonic()
        self.stdout.write(f"Organisation ({chosen.departments} département(s))…")
        departments = build_organisation(chosen)
        self.stdout.write(f"  {build_conventions(departments[1:])} conventions générées")
        sync_all()
        self.stdout.write(
            f"  {len(departments)} départements en {time.monotonic() - started:.1f} s"
        )
        self.stdout.write("Données des accompagnements…")
        generate_case_data(chosen, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Terminé en {time.monotonic() - started:.1f} s."))
