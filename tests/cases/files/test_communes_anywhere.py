"""People living anywhere in France: arrondissement codes in the import, and a commune
outside the user's départements kept when the file is edited.

Reproduced before: 69383 (Lyon 3e) was refused with no hint; a person living outside
the Ain, once imported, could not be edited ("Sélectionnez un choix valide").
"""

from django.urls import reverse

from cases.lifecycle.imports import services
from cases.models import Beneficiary
from iscg.geography import commune_code_of
from tests.cases.files.test_beneficiary_views import _beneficiary_post
from tests.cases.files.test_worker_views import world  # noqa: F401 - fixture
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload
from tests.iscg.factories import CommuneFactory, DepartmentFactory


def _preview(worker, post, code):
    return services.import_preview(
        post=post,
        uploaded_file=upload(
            "a.csv", csv_bytes(ACTION_HEADER, [action_row(**{"Code commune (INSEE)": code})])
        ),
        acting_user=worker,
    )


def test_arrondissement_codes_are_their_city():
    assert commune_code_of("69383") == "69123"
    assert commune_code_of("75120") == "75056"
    assert commune_code_of("13201") == "13055"
    assert commune_code_of("01053") == "01053"
    assert commune_code_of("2A004") == "2A004"


def test_an_imported_person_of_lyon_3e_lives_in_lyon():
    worker, _, _, post = _world()
    lyon = CommuneFactory(code="69123", name="Lyon", department=DepartmentFactory(code="69"))
    batch, parsed = _preview(worker, post, "69383")
    assert parsed.is_valid, parsed.errors
    services.import_commit(batch=batch, acting_user=worker)
    assert Beneficiary.objects.get().commune == lyon


def test_an_unknown_code_is_refused_with_a_hint():
    worker, _, _, post = _world()
    _batch, parsed = _preview(worker, post, "99999")
    message = " ".join(error.message for error in parsed.errors)
    assert "« 99999 » ne correspond à aucune commune" in message
    assert "01053 pour Bourg-en-Bresse" in message and "arrondissement" in message


def test_a_person_living_outside_the_departement_can_be_edited(client, world):  # noqa: F811
    lyon = CommuneFactory(code="69123", name="Lyon", department=DepartmentFactory(code="69"))
    beneficiary = world["beneficiary"]
    beneficiary.commune = lyon
    beneficiary.save()
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_update", args=[beneficiary.pk])
    assert 'value="Lyon (69123)"' in client.get(url).content.decode()
    data = _beneficiary_post(world, last_name="Lefèvre", first_name="Hélène", commune="69383")
    data.pop("post")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    beneficiary.refresh_from_db()
    assert beneficiary.commune == lyon


def test_communes_are_offered_in_alphabetical_order_accents_aside(client, world):  # noqa: F811
    """Reproduced before: "Échallon" came after every commune from A to Z."""
    department = world["post"].employer.department
    for code, name in (("01150", "Échallon"), ("01004", "Ambérieu-en-Bugey"), ("01460", "Zz")):
        CommuneFactory(code=code, name=name, department=department)
    client.force_login(world["worker"])
    html = client.get(reverse("cases:beneficiary_create")).content.decode()
    # The options' values: "Zz" alone also occurs in the scripts' integrity hashes.
    names = ("Ambérieu-en-Bugey", "Échallon", "Zz")
    positions = [html.index(f'option value="{name} (') for name in names]
    assert positions == sorted(positions)
