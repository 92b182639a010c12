"""Départements and communes: loading the committed Etalab extract (see scripts/) and
mapping arrondissement codes; the commune a user types is found by
``iscg.commune_input.resolve_commune``."""

import gzip
import json
from pathlib import Path

from django.db import transaction

from iscg.models import Commune, Department
from iscg.text import normalize

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
            Commune(
                code=code,
                name=name,
                department_id=department_ids[dep],
                postcodes=postcodes,
                search_name=normalize(name),
            )
            for code, name, dep, postcodes in data["communes"]
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "department", "postcodes", "search_name"],
        batch_size=2000,
    )
    return len(data["departments"]), len(data["communes"])


# Municipal arrondissements have INSEE codes of their own, which the COG's list of
# communes does not hold: a file may give 69383 (Lyon 3e) for a person living in Lyon.
ARRONDISSEMENTS = {
    "75056": ("Paris", range(75101, 75121)),
    "13055": ("Marseille", range(13201, 13217)),
    "69123": ("Lyon", range(69381, 69390)),
}


def commune_code_of(code: str) -> str:
    """The commune's INSEE code for an arrondissement's code; any other code unchanged."""
    if code.isdigit():
        number = int(code)
        for commune, (_name, arrondissements) in ARRONDISSEMENTS.items():
            if number in arrondissements:
                return commune
    return code
