"""Units pages of the departmental administration: the list's filters, and a unit that
stays in its département (what hangs on it is there) whoever administers two."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iscg import services
from iscg.enums import Role, UnitKind
from iscg.models import Unit
from iscg.services.organisation import unit_save
from tests.iscg.factories import DepartmentFactory, UnitFactory, UserFactory


@pytest.fixture
def two_departements():
    ain = DepartmentFactory(code="01", name="Ain")
    rhone = DepartmentFactory(code="69", name="Rhône")
    admin = UserFactory(admin=True, department=ain)
    services.membership_create(user=admin, role=Role.ADMIN, department=rhone, acting_user=None)
    groupement = UnitFactory(department=ain, kind=UnitKind.GROUPEMENT, name="Groupement de l'Ain")
    brigade = UnitFactory(department=ain, name="Brigade de Nantua", parent=groupement)
    lyon = UnitFactory(department=rhone, kind=UnitKind.COMMISSARIAT, name="Commissariat de Lyon")
    return {
        "ain": ain,
        "rhone": rhone,
        "admin": admin,
        "groupement": groupement,
        "brigade": brigade,
        "lyon": lyon,
    }


def test_the_unit_list_filters_by_kind_and_searches_by_name(client, two_departements):
    client.force_login(two_departements["admin"])
    url = reverse("administration:unit_list")

    def listed(**query):
        page = client.get(url, query).context["page_obj"]
        return {unit.name for unit in page}

    assert listed() == {"Groupement de l'Ain", "Brigade de Nantua", "Commissariat de Lyon"}
    assert listed(nature=UnitKind.BRIGADE) == {"Brigade de Nantua"}
    assert listed(q="lyon") == {"Commissariat de Lyon"}
    assert listed(q="nantua", nature=UnitKind.COMMISSARIAT) == set()


def test_an_existing_unit_stays_in_its_departement(client, two_departements):
    groupement = two_departements["groupement"]
    client.force_login(two_departements["admin"])
    url = reverse("administration:unit_edit", args=[groupement.pk])
    form = client.get(url).context["form"]
    assert form.fields["department"].disabled
    # Its parent is chosen among the units of its own département only.
    assert two_departements["lyon"] not in form.fields["parent"].queryset
    response = client.post(
        url,
        {
            "department": two_departements["rhone"].pk,
            "kind": UnitKind.GROUPEMENT,
            "name": "Groupement de l'Ain",
        },
    )
    assert response.status_code == 302
    groupement.refresh_from_db()
    assert groupement.department == two_departements["ain"]
    # The brigade below it would have had its parent in another département.
    assert two_departements["brigade"].parent.department == groupement.department


def test_the_service_refuses_to_move_a_unit_to_another_departement(two_departements):
    groupement = Unit.objects.get(pk=two_departements["groupement"].pk)
    groupement.department = two_departements["rhone"]
    with pytest.raises(ValidationError) as refused:
        unit_save(unit=groupement, acting_user=two_departements["admin"])
    assert refused.value.message_dict["department"] == [
        "Une unité existante ne change pas de département."
    ]
    assert Unit.objects.get(pk=groupement.pk).department == two_departements["ain"]
