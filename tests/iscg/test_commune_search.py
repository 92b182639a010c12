"""The one commune search: name (accents, case, hyphens ignored), postcode or INSEE code,
the user's own départements first, the département shown beside each result."""

import pytest

from iscg.geography import commune_label, load_geography, search_communes
from iscg.models import Commune, Department
from tests.iscg.factories import UserFactory


@pytest.fixture
def france():
    load_geography()


def test_accents_case_and_hyphens_are_ignored(france):
    found = search_communes("saint etienne du bois")
    assert "Saint-Étienne-du-Bois" in [c.name for c in found]
    assert search_communes("SAINT-ÉTIENNE-DU-BOIS")[0].search_name == "saint etienne du bois"


def test_the_users_departements_come_first_and_each_result_says_where_it_is(france):
    ain_user = UserFactory(prefecture=True, department=Department.objects.get(code="01"))
    finistere_user = UserFactory(prefecture=True, department=Department.objects.get(code="29"))
    for_ain = search_communes("trevoux", user=ain_user)
    assert (for_ain[0].name, for_ain[0].department.code) == ("Trévoux", "01")
    assert {"01", "29"} <= {c.department.code for c in for_ain}
    for_finistere = search_communes("trevoux", user=finistere_user)
    assert (for_finistere[0].name, for_finistere[0].department.code) == ("Le Trévoux", "29")
    assert commune_label(for_ain[0]) == "Trévoux (01600) — Ain (01)"


def test_postcode_and_insee_code(france):
    trevoux = Commune.objects.get(name="Trévoux", department__code="01")
    assert trevoux in search_communes("01600")
    assert search_communes(trevoux.code)[0] == trevoux
    assert search_communes("") == []
