"""Loads départements and communes from the committed Etalab extract (see scripts/)."""

import gzip
import json
from pathlib import Path

from django.db import transaction

from iscg.models import Commune, Department

DATA_FILE = Path(__file__).resolve().parent / "data" / "geography.json.gz"


def read_data() -> dict:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@transaction.atomic
def load_geography() -> tuple[int, int]:
    """Creates or updates every département and commune; idempotent."""
    data = read_data()
    Department.objects.bulk_create(
        [Department(code=code, name=name) for code, name in data["departments"]],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    department_ids = dict(Department.objects.values_list("code", "id"))
    Commune.objects.bulk_create(
        [
            Commune(code=code, name=name, department_id=department_ids[dep], postcodes=postcodes)
            for code, name, dep, postcodes in data["communes"]
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "department", "postcodes"],
        batch_size=2000,
    )
    return len(data["departments"]), len(data["communes"])
