"""Times the statistical secrecy of an annual bilan (département, national consolidation),
and of the bilans of a département made one after the other."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.secrecy import nested_costs, secrecy_costs
from bench.secrecy_chain import quarterly_chain_costs
from bench.secrecy_year import year_costs

# Each key of the output and its measure (the last three take minutes on the departmental
# base: --only spares a run the others).
MEASURES = {
    "annual": secrecy_costs,
    "nested": nested_costs,
    "nested_posts_first": lambda department_id: nested_costs(department_id, posts_first=True),
    "nested_units": lambda department_id: nested_costs(department_id, units=True),
    "quarterly_chain": quarterly_chain_costs,
    "year_nested": year_costs,
    "year_late": lambda department_id: year_costs(department_id, late=True),
}


class Command(BaseCommand):
    help = (
        "Mesure le coût du secret statistique (protection et audit) d'un bilan annuel, et "
        "des bilans d'un département établis l'un après l'autre."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=list(MEASURES),
            help="Ne fait que cette mesure (répétable) ; par défaut, toutes.",
        )

    def handle(self, *args, **options):
        targets = json.loads((Path(__file__).resolve().parents[2] / "targets.json").read_text())
        costs = {}
        for key in options["only"] or MEASURES:
            measured = MEASURES[key](targets["department_id"])
            if key == "annual":  # at the top level, where its figures always were
                costs.update(measured)
            else:
                costs[key] = measured
        self.stdout.write(json.dumps(costs, indent=2, ensure_ascii=False))
