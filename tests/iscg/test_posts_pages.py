"""Posts in the application: employer, ETP, units, sites, holdings with their rules, and
"vacant" wherever a post has no active holding today."""

import datetime

import pytest
from django.urls import reverse

from iscg import services
from iscg.models import Post, PostHolding
from tests.iscg.factories import (
    DepartmentFactory,
    PostFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture
def ain():
    ain = DepartmentFactory(code="01", name="Ain")
    rhone = DepartmentFactory(code="69", name="Rhône")
    holder = UserFactory(worker=True, department=ain, email="titulaire@ain.fr")
    post = holder.holdings.get().post
    return {
        "department": ain,
        "rhone": rhone,
        "admin": UserFactory(admin=True, department=ain),
        "holder": holder,
        "post": post,
        "colleague": UserFactory(
            worker=True, post=PostFactory(employer=post.employer), department=ain
        ),
    }


def test_a_post_is_created_with_units_and_sites_of_the_departement(client, ain):
    client.force_login(ain["admin"])
    url = reverse("administration:post_create")
    unit = UnitFactory(department=ain["department"], name="Brigade de Trévoux")
    rhone_unit = UnitFactory(department=ain["rhone"])
    site = SiteFactory(department=ain["department"])
    data = {
        "employer": ain["post"].employer_id,
        "label": "Poste Val de Saône",
        "etp": "0.5",
        "is_active": "oui",
    }
    response = client.post(url, data)
    assert "Ce champ est obligatoire." in response.content.decode()
    assert 'value="Poste Val de Saône"' in response.content.decode()
    response = client.post(url, {**data, "units": [rhone_unit.pk]})
    assert "Sélectionnez un choix valide" in response.content.decode()
    other_site = SiteFactory(department=ain["department"])
    response = client.post(
        url, {**data, "units": [unit.pk], "sites": [site.pk], "main_site": other_site.pk}
    )
    assert "Le lieu d&#x27;accueil habituel fait partie des lieux d&#x27;accueil." in (
        response.content.decode()
    )
    response = client.post(
        url, {**data, "units": [unit.pk], "sites": [site.pk], "main_site": site.pk}
    )
    assert response.status_code == 302
    post = Post.objects.get(label="Poste Val de Saône")
    assert list(post.units.all()) == [unit] and post.main_site == site


def test_holdings_follow_their_rules_with_french_messages_on_the_field(client, ain):
    client.force_login(ain["admin"])
    post = ain["post"]
    url = reverse("administration:holding_add", args=[post.pk])
    funder = UserFactory(funder_user=True, department=ain["department"])
    response = client.post(url, {"worker": funder.pk, "kind": "stand_in", "start": "2026-01-05"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    colleague = ain["colleague"]
    response = client.post(url, {"worker": colleague.pk, "kind": "holder", "start": "2026-01-05"})
    content = response.content.decode()
    assert "Ce poste a déjà un·e titulaire sur cette période" in content
    assert 'value="2026-01-05"' in content
    services.post_holding_end(
        holding=ain["holder"].holdings.get(), end=datetime.date(2026, 6, 30), acting_user=None
    )
    response = client.post(
        url,
        {"worker": colleague.pk, "kind": "stand_in", "start": "2026-06-01", "end": "2026-07-15"},
    )
    assert "Un remplacement se situe entièrement" in response.content.decode()
    response = client.post(
        url,
        {"worker": colleague.pk, "kind": "stand_in", "start": "2026-06-01", "end": "2026-06-20"},
    )
    assert response.status_code == 302
    assert PostHolding.objects.filter(post=post, worker=colleague, kind="stand_in").exists()


def _filled(home) -> int:
    """The posts filled today, as the département's overview counts them."""
    overview = next(b for b in home.context["blocks"] if "department_overview" in b["template"])
    return overview["figures"]["filled"]


def test_a_post_without_an_active_holding_today_is_vacant_everywhere(client, ain):
    post, holder = ain["post"], ain["holder"]
    manager = UserFactory(
        employer_manager=True, employer=post.employer, department=ain["department"]
    )
    client.force_login(ain["admin"])
    home = client.get(reverse("home"))
    before = _filled(home)
    services.user_deactivate(user=holder, acting_user=ain["admin"])
    home = client.get(reverse("home"))
    assert _filled(home) == before - 1
    listing = client.get(reverse("administration:post_list")).content.decode()
    assert "vacant" in listing
    detail = client.get(reverse("administration:post_detail", args=[post.pk])).content.decode()
    assert "Vacant" in detail and "(compte désactivé)" in detail
    client.force_login(manager)
    assert "vacant" in client.get(reverse("home")).content.decode()
