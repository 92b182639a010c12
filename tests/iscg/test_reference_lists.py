"""Reference lists per département: the shared entries are the operator's, a
départemental administrator switches them off for her département and keeps its own;
the forms of a département offer its list, and only its list."""

import pytest
from django.urls import reverse

from cases.models import ActionKind, Problem
from tests.cases.factories import BeneficiaryFactory, CaseFactory, action_kind
from tests.iscg.factories import DepartmentFactory, UserFactory


@pytest.fixture
def two():
    ain = DepartmentFactory(code="01", name="Ain")
    rhone = DepartmentFactory(code="69", name="Rhône")
    worlds = {"ain": ain, "rhone": rhone, "admin": UserFactory(admin=True, department=ain)}
    for key, department in (("ain", ain), ("rhone", rhone)):
        worker = UserFactory(worker=True, department=department)
        post = worker.holdings.get().post
        beneficiary = BeneficiaryFactory(post=post, created_by=worker)
        worlds[f"{key}_worker"] = worker
        worlds[f"{key}_case"] = CaseFactory(beneficiary=beneficiary, created_by=worker)
    return worlds


def _kinds_offered(client, user, case):
    client.force_login(user)
    form = client.get(reverse("cases:case_detail", args=[case.pk])).context["action_form"]
    return {kind.code for kind in form.fields["kind"].queryset}


def _list_url(kind="types-d-actes"):
    return reverse("administration:reference_list", args=[kind]) + "?departement=01"


def test_a_shared_entry_switched_off_leaves_the_departements_forms_only(client, two):
    """Reproduced before: the lists were global; switching an entry off (is_active in the
    operator's admin) removed it for every département."""
    visit = action_kind("visite-domicile")
    assert visit.code in _kinds_offered(client, two["ain_worker"], two["ain_case"])
    client.force_login(two["admin"])
    switch = reverse("administration:reference_entry_switch", args=["types-d-actes", visit.pk])
    response = client.post(switch, {"departement": "01", "in_use": "non"})
    assert response.status_code == 302
    assert visit.code not in _kinds_offered(client, two["ain_worker"], two["ain_case"])
    assert visit.code in _kinds_offered(client, two["rhone_worker"], two["rhone_case"])
    visit.refresh_from_db()
    assert visit.is_active  # the shared entry itself is untouched
    # An acte posted with it in the Ain is refused on the field.
    client.force_login(two["ain_worker"])
    response = client.post(
        reverse("cases:action_create", args=[two["ain_case"].pk]),
        {"kind": visit.pk, "occurred_at": "2026-12-01T10:00", "duration_minutes": "30"},
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    # Back in use.
    client.force_login(two["admin"])
    client.post(switch, {"departement": "01", "in_use": "oui"})
    assert visit.code in _kinds_offered(client, two["ain_worker"], two["ain_case"])


def test_a_departements_own_entry_is_offered_there_only(client, two):
    client.force_login(two["admin"])
    url = reverse("administration:reference_entry_create", args=["types-d-actes"])
    response = client.post(
        url + "?departement=01",
        {"departement": "01", "label": "Permanence au marché", "is_contact": "on"},
    )
    assert response.status_code == 302
    own = ActionKind.objects.get(label="Permanence au marché")
    assert own.department == two["ain"] and own.code == "permanence-au-marche-01"
    assert own.code in _kinds_offered(client, two["ain_worker"], two["ain_case"])
    assert own.code not in _kinds_offered(client, two["rhone_worker"], two["rhone_case"])
    client.force_login(two["admin"])
    assert "Permanence au marché" in client.get(_list_url()).content.decode()


def test_a_label_already_in_the_list_is_refused_on_the_field_and_kept(client, two):
    client.force_login(two["admin"])
    url = reverse("administration:reference_entry_create", args=["problematiques"])
    shared = Problem.objects.filter(department__isnull=True).first()
    response = client.post(url, {"departement": "01", "label": f"  {shared.label.upper()} "})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cette entrée existe déjà dans la liste du département." in content
    assert shared.label.upper() in content
    assert Problem.objects.count() == Problem.objects.filter(department__isnull=True).count()


def test_shared_and_other_departements_entries_are_not_hers_to_edit(client, two):
    shared = Problem.objects.filter(department__isnull=True).first()
    theirs = Problem.objects.create(code="rixe-69", label="Rixe", department=two["rhone"])
    client.force_login(two["admin"])
    for entry in (shared, theirs):
        edit = reverse("administration:reference_entry_edit", args=["problematiques", entry.pk])
        assert client.get(edit + "?departement=01").status_code == 404
        assert client.post(edit, {"departement": "01", "label": "Autre"}).status_code == 404
    switch = reverse("administration:reference_entry_switch", args=["problematiques", theirs.pk])
    assert client.post(switch, {"departement": "01", "in_use": "non"}).status_code == 404
    # Another département's code in the address: not hers.
    assert client.get(_list_url("problematiques").replace("=01", "=69")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.label == "Rixe"
    assert "Rixe" not in client.get(_list_url("problematiques")).content.decode()
