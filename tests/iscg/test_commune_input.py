"""One commune search for every form, the administration pages and the import.

Reproduced before: the worker's forms offered only the Ain's 390 communes in a list (a
person of Lyon could not be entered), the rectification form took only an INSEE code,
the units' and partners' pages a list again, the import only codes ("Bourg-en-Bresse"
refused), and the Django admin's search missed "bourg en bresse".
"""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import reverse

from cases.lifecycle.imports import services
from cases.models import Beneficiary
from iscg.models import Commune, Unit
from tests.cases.files.test_beneficiary_views import _beneficiary_post
from tests.cases.files.test_worker_views import world  # noqa: F401 - fixture
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload
from tests.iscg.factories import CommuneFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(world):  # noqa: F811
    ain = world["post"].employer.department
    isere = DepartmentFactory(code="38")
    return {
        "bourg": CommuneFactory(
            code="01053", name="Bourg-en-Bresse", department=ain, postcodes="01000"
        ),
        "ain_namesake": CommuneFactory(
            code="01370", name="Saint-Martin-du-Mont", department=ain, postcodes="01160"
        ),
        "isere_namesake": CommuneFactory(
            code="38430", name="Saint-Martin-du-Mont", department=isere, postcodes="38120"
        ),
        "lyon": CommuneFactory(code="69123", name="Lyon", department=DepartmentFactory(code="69")),
    }


def _create(client, world, commune):  # noqa: F811
    client.force_login(world["worker"])
    return client.post(
        reverse("cases:beneficiary_create"), _beneficiary_post(world, commune=commune)
    )


@pytest.mark.parametrize(
    "typed, key",
    [
        ("bourg en bresse", "bourg"),
        ("BOURG-EN-BRESSE", "bourg"),
        ("01000", "bourg"),
        ("01053", "bourg"),
        ("Bourg-en-Bresse (01053)", "bourg"),
        ("lyon", "lyon"),
        ("69383", "lyon"),  # Lyon 3e
        ("saint martin du mont", "ain_namesake"),  # the user's own département first
        ("Saint-Martin-du-Mont (38430)", "isere_namesake"),
    ],
)
def test_a_worker_types_a_commune_anywhere_in_france(client, world, communes, typed, key):  # noqa: F811
    response = _create(client, world, typed)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Beneficiary.objects.get(last_name="Durand").commune == communes[key]


def test_a_commune_not_found_is_said_and_what_was_typed_kept(client, world, communes):  # noqa: F811
    response = _create(client, world, "Bourk en Bresse")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aucune commune ne correspond à « Bourk en Bresse »" in page
    assert 'value="Bourk en Bresse"' in page
    assert not Beneficiary.objects.filter(last_name="Durand").exists()


def test_namesakes_outside_the_users_departements_are_listed(client, world, communes):  # noqa: F811
    ain_namesake = communes["ain_namesake"]
    ain_namesake.name = "Saint-Martin-du-Fresne"
    ain_namesake.search_name = "saint martin du fresne"
    ain_namesake.save()
    CommuneFactory(
        code="73250", name="Saint-Martin-du-Mont", department=DepartmentFactory(code="73")
    )
    page = _create(client, world, "saint-martin-du-mont").content.decode()
    assert "Plusieurs communes correspondent à « saint-martin-du-mont »" in page
    assert "Saint-Martin-du-Mont (38430)" in page and "Saint-Martin-du-Mont (73250)" in page


def test_the_form_suggests_the_users_communes(client, world, communes):  # noqa: F811
    client.force_login(world["worker"])
    page = client.get(reverse("cases:beneficiary_create")).content.decode()
    assert 'list="id_commune-communes"' in page
    assert '<option value="Bourg-en-Bresse (01053)">01000</option>' in page
    assert "Lyon (69123)" not in page  # suggested: the Ain's; accepted: all of France


def test_a_units_commune_is_typed_and_must_be_in_its_departement(client, communes):
    ain = communes["bourg"].department
    admin = UserFactory(admin=True, department=ain)
    client.force_login(admin)
    data = {"department": ain.pk, "kind": "brigade", "name": "Brigade de Bourg"}
    response = client.post(reverse("administration:unit_create"), {**data, "commune": "lyon"})
    assert "Aucune commune ne correspond à « lyon »" in response.content.decode()
    response = client.post(
        reverse("administration:unit_create"), {**data, "commune": "saint martin du mont"}
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="Brigade de Bourg").commune == communes["ain_namesake"]


def test_the_django_admin_searches_as_the_application_does(rf, communes):
    model_admin = admin_site._registry[Commune]
    request = rf.get("/")
    found, _ = model_admin.get_search_results(request, Commune.objects.all(), "bourg en bresse")
    assert list(found) == [communes["bourg"]]


def test_the_import_takes_a_name_or_a_postcode_as_every_form_does(world, communes):  # noqa: F811
    rows = [
        action_row(**{"Code commune (INSEE)": "bourg en bresse", "Nom": "UN"}),
        action_row(**{"Code commune (INSEE)": "01160", "Nom": "DEUX"}),
        action_row(**{"Code commune (INSEE)": "Saint-Martin-du-Mont", "Nom": "TROIS"}),
    ]
    batch, parsed = services.import_preview(
        post=world["post"],
        uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, rows)),
        acting_user=world["worker"],
    )
    assert parsed.is_valid, parsed.errors
    services.import_commit(batch=batch, acting_user=world["worker"])
    by_name = dict(Beneficiary.objects.values_list("last_name", "commune"))
    assert by_name["UN"] == communes["bourg"].pk
    assert by_name["DEUX"] == communes["ain_namesake"].pk
    assert by_name["TROIS"] == communes["ain_namesake"].pk  # the post's département first
