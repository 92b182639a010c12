"""The one commune search, on the whole of France (the committed INSEE extract): name
(accents, case, hyphens ignored), postcode or INSEE code, the user's own départements
first among namesakes, the département named beside each candidate."""

import pytest
from django.core.exceptions import ValidationError

from iscg.commune_input import resolve_commune
from iscg.geography import load_geography
from iscg.models import Commune, Department


@pytest.fixture
def france():
    load_geography()


def _ids(code):
    return [Department.objects.get(code=code).pk]


def test_accents_case_and_hyphens_are_ignored(france):
    for typed in ("saint etienne du bois", "SAINT-ÉTIENNE-DU-BOIS"):
        found = resolve_commune(typed, department_ids=_ids("01"))
        assert (found.name, found.department.code) == ("Saint-Étienne-du-Bois", "01")


def test_namesakes_the_users_departement_first_else_each_said_where_it_is(france):
    assert resolve_commune("trevoux", department_ids=_ids("01")).department.code == "01"
    le_trevoux = resolve_commune("le trevoux", department_ids=_ids("29"))
    assert (le_trevoux.name, le_trevoux.department.code) == ("Le Trévoux", "29")
    with pytest.raises(ValidationError) as error:
        resolve_commune("saint etienne du bois")  # in the Ain and in Vendée
    assert "— Ain" in error.value.messages[0] and "— Vendée" in error.value.messages[0]


def test_postcode_and_insee_code(france):
    trevoux = Commune.objects.get(name="Trévoux", department__code="01")
    with pytest.raises(ValidationError) as error:
        resolve_commune("01600")  # Trévoux and its neighbours share it
    assert "Misérieux (01250) — Ain" in error.value.messages[0]
    assert resolve_commune(trevoux.code) == trevoux
    assert resolve_commune("") is None
