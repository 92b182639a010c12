"""Units and sites in the application: a hierarchy without cycles, and the structured
schedule of the cahier des charges, said in words wherever a site is shown."""

import pytest
from django.urls import reverse

from iscg.models import Site, SiteOpening, Unit
from iscg.models.schedules import PartOfDay, parse_schedule, schedule_in_words
from tests.iscg.factories import DepartmentFactory, SiteFactory, UnitFactory, UserFactory


@pytest.fixture
def ain():
    ain = DepartmentFactory(code="01", name="Ain")
    rhone = DepartmentFactory(code="69", name="Rhône")
    return {
        "department": ain,
        "admin": UserFactory(admin=True, department=ain),
        "rhone_unit": UnitFactory(department=rhone, name="Brigade de Givors"),
        "rhone_site": SiteFactory(department=rhone, name="Mairie de Givors"),
    }


@pytest.mark.parametrize(
    "openings, words",
    [
        ([(1, PartOfDay.AFTERNOON, None)], "Le mardi après-midi, chaque semaine"),
        ([(1, PartOfDay.AFTERNOON, 1)], "Un mardi après-midi par mois"),
        ([(3, PartOfDay.MORNING, 3)], "Trois jeudis matin par mois"),
        ([], "Horaires à préciser"),
        ([(3, PartOfDay.TO_CONFIRM, 1)], "Un jeudi par mois (moment à préciser)"),
        ([(0, PartOfDay.DAY, None)], "Le lundi, chaque semaine, toute la journée"),
    ],
)
def test_the_cahier_des_charges_schedules_in_words(openings, words):
    rows = [SiteOpening(weekday=d, part_of_day=p, times_per_month=t) for d, p, t in openings]
    assert schedule_in_words(rows) == words


def test_the_former_free_texts_are_read_into_openings():
    assert parse_schedule("Tous les mardis après-midi") == [(1, PartOfDay.AFTERNOON, None)]
    assert parse_schedule("Un mardi après-midi par mois") == [(1, PartOfDay.AFTERNOON, 1)]
    assert parse_schedule("Trois jeudis matin par mois") == [(3, PartOfDay.MORNING, 3)]
    assert parse_schedule("Un jeudi par mois") == [(3, PartOfDay.TO_CONFIRM, 1)]
    assert parse_schedule("Permanence hebdomadaire") is None


def test_a_unit_is_created_and_never_becomes_its_own_ancestor(client, ain):
    client.force_login(ain["admin"])
    data = {"department": ain["department"].pk, "kind": "groupement", "name": "Groupement de l'Ain"}
    assert client.post(reverse("administration:unit_create"), data).status_code == 302
    groupement = Unit.objects.get(name="Groupement de l'Ain")
    data = {"department": ain["department"].pk, "kind": "compagnie", "name": "Compagnie de Gex"}
    client.post(reverse("administration:unit_create"), {**data, "parent": groupement.pk})
    compagnie = Unit.objects.get(name="Compagnie de Gex")
    assert compagnie.parent == groupement
    # The groupement under its own compagnie: refused on the field, what was typed kept.
    response = client.post(
        reverse("administration:unit_edit", args=[groupement.pk]),
        {
            "department": ain["department"].pk,
            "kind": "groupement",
            "name": "Groupement renommé",
            "parent": compagnie.pk,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "ni à une unité qui dépend d&#x27;elle" in content
    assert 'value="Groupement renommé"' in content
    groupement.refresh_from_db()
    assert groupement.parent is None and groupement.name == "Groupement de l'Ain"


def test_another_departements_units_and_sites_are_not_hers(client, ain):
    client.force_login(ain["admin"])
    edit_unit = reverse("administration:unit_edit", args=[ain["rhone_unit"].pk])
    edit_site = reverse("administration:site_edit", args=[ain["rhone_site"].pk])
    assert client.get(edit_unit).status_code == 404
    assert client.post(edit_site, {"name": "Pris"}).status_code == 404
    assert "Givors" not in client.get(reverse("administration:unit_list")).content.decode()
    assert "Givors" not in client.get(reverse("administration:site_list")).content.decode()
    data = {"department": ain["department"].pk, "kind": "brigade", "name": "Brigade X"}
    response = client.post(
        reverse("administration:unit_create"), {**data, "parent": ain["rhone_unit"].pk}
    )
    assert response.status_code == 200 and not Unit.objects.filter(name="Brigade X").exists()


def _site_data(ain, openings, **changes):
    data = {
        "department": ain["department"].pk,
        "name": "Centre hospitalier Fleyriat",
        "kind": "hospital",
        "is_active": "oui",
        "schedule": "",
        "permanences-TOTAL_FORMS": str(len(openings)),
        "permanences-INITIAL_FORMS": "0",
        "permanences-MIN_NUM_FORMS": "0",
        "permanences-MAX_NUM_FORMS": "1000",
    }
    for index, (day, part, times) in enumerate(openings):
        data[f"permanences-{index}-weekday"] = day
        data[f"permanences-{index}-part_of_day"] = part
        data[f"permanences-{index}-times_per_month"] = times
    data.update(changes)
    return data


def test_a_site_is_saved_with_its_schedule_and_bad_schedules_are_refused(client, ain):
    client.force_login(ain["admin"])
    url = reverse("administration:site_create")
    # Five times a month cannot be promised; two permanences on one Tuesday afternoon.
    response = client.post(url, _site_data(ain, [("1", "afternoon", "5")]))
    assert "Un jour revient 4 ou 5 fois par mois" in response.content.decode()
    response = client.post(url, _site_data(ain, [("1", "afternoon", ""), ("1", "day", "1")]))
    content = response.content.decode()
    assert "Deux permanences se recouvrent le mardi" in content
    assert 'value="Centre hospitalier Fleyriat"' in content
    assert not Site.objects.filter(department=ain["department"]).exists()
    response = client.post(url, _site_data(ain, [("1", "afternoon", ""), ("3", "morning", "3")]))
    assert response.status_code == 302
    site = Site.objects.get(name="Centre hospitalier Fleyriat")
    assert site.schedule_in_words == (
        "Le mardi après-midi, chaque semaine; trois jeudis matin par mois"
    )
    listing = client.get(reverse("administration:site_list")).content.decode()
    assert "trois jeudis matin par mois" in listing
    # Edited: the openings are shown again, and replaced as a whole.
    edit = reverse("administration:site_edit", args=[site.pk])
    assert client.get(edit).context["openings"].initial[0]["weekday"] == 1
    client.post(edit, _site_data(ain, []))
    assert site.schedule_in_words == "Horaires à préciser"


def test_the_worker_reads_the_schedule_of_her_sites_in_words(client, ain):
    worker = UserFactory(worker=True, department=ain["department"])
    post = worker.holdings.get().post
    site = SiteFactory(department=ain["department"], name="Mairie de Trévoux", schedule="")
    site.openings.create(weekday=1, part_of_day=PartOfDay.AFTERNOON, times_per_month=1)
    post.sites.add(site)
    client.force_login(worker)
    assert "Mairie de Trévoux — Un mardi après-midi par mois" in " ".join(
        client.get("/").content.decode().split()
    )
