"""Times the statistical secrecy of an annual bilan (département, national consolidation)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.secrecy import nested_costs, secrecy_costs
from bench.secrecy_chain import quarterly_chain_costs
from bench.secrecy_year import year_costs


class Command(BaseCommand):
    help = "Mesure le coût du secret statistique (protection et audit) d'un bilan annuel."

    def handle(self, *args, **options):
        targets = json.loads((Path(__file__).resolve().parents[2] / "targets.json").read_text())
        costs = secrecy_costs(targets["department_id"])
        costs["nested"] = nested_costs(targets["department_id"])
        costs["nested_posts_first"] = nested_costs(targets["department_id"], posts_first=True)
        costs["nested_units"] = nested_costs(targets["department_id"], units=True)
        costs["quarterly_chain"] = quarterly_chain_costs(targets["department_id"])
        costs["year_nested"] = year_costs(targets["department_id"], tie="nested")
        self.stdout.write(json.dumps(costs, indent=2, ensure_ascii=False))
