"""Sites pages of the departmental administration: the cahier des charges' schedules
typed in the form and read in words, and a site that stays in its département."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from iscg import services
from iscg.enums import Role
from iscg.models import Site
from iscg.services.organisation import site_save
from tests.iscg.factories import DepartmentFactory, SiteFactory, UserFactory


@pytest.fixture
def ain():
    ain = DepartmentFactory(code="01", name="Ain")
    return {"department": ain, "admin": UserFactory(admin=True, department=ain)}


def _data(department, name, openings, note=""):
    data = {
        "department": department.pk,
        "name": name,
        "kind": "france_services",
        "is_active": "oui",
        "schedule": note,
        "permanences-TOTAL_FORMS": str(max(len(openings), 1)),
        "permanences-INITIAL_FORMS": "0",
        "permanences-MIN_NUM_FORMS": "0",
        "permanences-MAX_NUM_FORMS": "1000",
    }
    for index, (day, part, times) in enumerate(openings):
        data[f"permanences-{index}-weekday"] = day
        data[f"permanences-{index}-part_of_day"] = part
        data[f"permanences-{index}-times_per_month"] = times
    return data


@pytest.mark.parametrize(
    "name, openings, words",
    [
        (
            "Centre hospitalier Fleyriat",
            [("1", "afternoon", "")],
            "Le mardi après-midi, chaque semaine",
        ),
        ("Centre hospitalier Bugey Sud", [("1", "afternoon", "1")], "Un mardi après-midi par mois"),
        ("France services de Montluel", [("3", "morning", "3")], "Trois jeudis matin par mois"),
        ("France services de la Plaine de l'Ain", [], "Horaires à préciser"),
    ],
)
def test_the_cahier_des_charges_schedules_typed_and_read_in_words(
    client, ain, name, openings, words
):
    client.force_login(ain["admin"])
    response = client.post(
        reverse("administration:site_create"), _data(ain["department"], name, openings)
    )
    assert response.status_code == 302
    site = Site.objects.get(name=name)
    listing = " ".join(client.get(reverse("administration:site_list")).content.decode().split())
    assert words in listing
    page = " ".join(
        client.get(reverse("administration:site_edit", args=[site.pk])).content.decode().split()
    )
    assert f"Permanences aujourd'hui : {words}" in page


def test_an_impossible_schedule_keeps_what_was_typed(client, ain):
    client.force_login(ain["admin"])
    data = _data(
        ain["department"],
        "Mairie de Villars-les-Dombes",
        [("3", "morning", "5")],
        "Sur rendez-vous",
    )
    response = client.post(reverse("administration:site_create"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Un jour revient 4 ou 5 fois par mois" in content
    assert 'value="Mairie de Villars-les-Dombes"' in content
    assert 'value="Sur rendez-vous"' in content and 'value="5"' in content
    assert not Site.objects.filter(name="Mairie de Villars-les-Dombes").exists()


def test_an_existing_site_stays_in_its_departement(client, ain):
    rhone = DepartmentFactory(code="69", name="Rhône")
    services.membership_create(
        user=ain["admin"], role=Role.ADMIN, department=rhone, acting_user=None
    )
    site = SiteFactory(department=ain["department"], name="Mairie de Trévoux", schedule="")
    client.force_login(ain["admin"])
    url = reverse("administration:site_edit", args=[site.pk])
    assert client.get(url).context["form"].fields["department"].disabled
    response = client.post(url, _data(rhone, "Mairie de Trévoux", [("1", "morning", "")]))
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.department == ain["department"]
    site.department = rhone
    with pytest.raises(ValidationError) as refused:
        site_save(site=site, openings=[], acting_user=ain["admin"])
    assert refused.value.message_dict["department"] == [
        "Un lieu existant ne change pas de département."
    ]
