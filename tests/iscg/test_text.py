"""One rule compares typed text everywhere (iscg.text.normalize): the file search, the
archive, the communes, the imports' headers and labels, the weekly summaries."""

import pathlib

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from iscg.commune_input import resolve_commune
from iscg.geography import load_geography
from iscg.models import Department
from iscg.text import normalize, person_search_text, phone_digits
from tests.cases.factories import BeneficiaryFactory
from tests.iscg.factories import UserFactory

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Dupont-Lefèvre", "dupont lefevre"),
        ("N'Diaye", "n diaye"),
        ("N’Diaye", "n diaye"),
        ("  HÉLÈNE   Lefèvre ", "helene lefevre"),
        ("L'Isle-d'Abeau", "l isle d abeau"),
        ("Cœuvres-et-Valsery", "coeuvres et valsery"),
        ("LÆTITIA", "laetitia"),
        ("Château-Chinon (Ville)", "chateau chinon ville"),
        ("Nom *", "nom"),
        ("Nombre : Entretien_individuel", "nombre entretien individuel"),
        ("İlknur", "ilknur"),
        ("㎴", "pv"),  # found by the property below
        ("STRAẞE", "strasse"),
        ("ꟹ", "oe"),
        (None, ""),
    ],
)
def test_examples(typed, key):
    assert normalize(typed) == key


@given(st.text())
def test_a_key_is_its_own_key_lower_case_and_single_spaced(text):
    key = normalize(text)
    assert normalize(key) == key
    assert key == key.strip() and "  " not in key
    assert all(char.isalnum() or char == " " for char in key)


def test_person_search_text_joins_names_and_phone_digits():
    assert person_search_text("Dupont-Lefèvre", "Awa", "+33 6 12 34 56 78") == (
        "dupont lefevre awa 0612345678"
    )
    assert phone_digits("0033 6 12 34 56 78") == "0612345678"
    assert person_search_text("", "", "") == ""


def test_no_other_module_normalises_text():
    """Four normalisers had drifted apart (the archive missed "N'Diaye", a commune with
    "œ" could not be typed): the rule lives in iscg/text.py only."""
    sources = [
        path
        for folder in ("bench", "cases", "conventions", "iscg", "partners", "reporting")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(sources) > 100
    others = [
        str(path.relative_to(ROOT))
        for path in sources
        if "unicodedata" in path.read_text() and path != ROOT / "iscg" / "text.py"
    ]
    assert others == []


@pytest.mark.parametrize(
    ("typed", "name", "department"),
    [
        ("coeuvres et valsery", "Cœuvres-et-Valsery", "02"),
        ("Oeuilly", "Œuilly", "51"),
        ("chateau-chinon ville", "Château-Chinon (Ville)", "58"),
    ],
)
def test_communes_with_ligatures_and_parentheses_are_found_as_typed(db, typed, name, department):
    load_geography()
    found = resolve_commune(typed, department_ids=[Department.objects.get(code=department).pk])
    assert (found.name, found.department.code) == (name, department)


@pytest.mark.parametrize("query", ["coeur", "Cœur", "LE COEUR", "le-cœur anna"])
def test_the_file_search_finds_a_name_with_a_ligature(client, query):
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    person = BeneficiaryFactory(
        post=post,
        last_name="Le Cœur",
        first_name="Anna",
        search_text=person_search_text("Le Cœur", "Anna", ""),
    )
    BeneficiaryFactory(post=post, last_name="Martin", search_text="martin")
    client.force_login(worker)
    page = client.get(reverse("cases:beneficiary_list"), {"q": query})
    assert list(page.context["page_obj"]) == [person]
