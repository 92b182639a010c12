import html

import pytest
from django.core.management import call_command
from django.urls import reverse

from iscg.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from iscg.enums import Role
from iscg.models import Commune, Employer, Post, Site, Unit, User

EXPECTED_HOME = {
    "intervenante@demo.iscg.fr": [
        "Mes postes",
        "Poste Bourg-en-Bresse et Bresse",
        "Le mardi après-midi, chaque semaine",
    ],
    "policier@demo.iscg.fr": [
        "Vos intervenants sociaux",
        "Camille Morel",
        "Commissariat de Bourg-en-Bresse",
    ],
    "gendarme@demo.iscg.fr": ["Vos intervenants sociaux", "Brigade de Châtillon-sur-Chalaronne"],
    "chef.unite@demo.iscg.fr": [
        "Compagnie de Bourg-en-Bresse",
        "Brigade de Saint-Laurent-sur-Saône",
    ],
    "employeur@demo.iscg.fr": ["Vos postes (4,00 ETP)", "Léa Dubois"],
    "prefecture@demo.iscg.fr": ["Le dispositif dans le département", "postes actifs"],
    "admin@demo.iscg.fr": ["Consulter le journal des accès"],
    "financeur@demo.iscg.fr": ["Financeur"],
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")


def test_seed_demo_loads_the_ain_of_the_cahier_des_charges(demo):
    assert Commune.objects.filter(department__code="01").count() == 391
    assert Unit.objects.filter(kind="commissariat").count() == 2
    assert Unit.objects.filter(kind="compagnie").count() == 4
    assert Unit.objects.filter(kind="brigade").count() == 10
    assert Unit.objects.get(name="Brigade de Nantua").parent.name == "Compagnie de Gex"
    assert Site.objects.exclude(kind="unit").count() == 8
    assert (
        Site.objects.get(name__startswith="Centre hospitalier Fleyriat").schedule_in_words
        == "Le mardi après-midi, chaque semaine"
    )
    assert (
        Site.objects.get(name="Centre hospitalier Bugey Sud").schedule_in_words
        == "Un mardi après-midi par mois"
    )
    assert Employer.objects.count() == 1
    assert sum(p.etp for p in Post.objects.all()) == 4


def test_seed_demo_is_idempotent(demo):
    counts = (
        User.objects.count(),
        Unit.objects.count(),
        Site.objects.count(),
        Post.objects.count(),
    )
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
    assert counts == (
        User.objects.count(),
        Unit.objects.count(),
        Site.objects.count(),
        Post.objects.count(),
    )


def test_every_demo_account_has_its_role_and_logs_in(demo, client):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert account.role in user.roles
        response = client.post(
            reverse("login"), {"username": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        content = html.unescape(client.get(reverse("home")).content.decode())
        assert Role(account.role).label in content
        for expected in EXPECTED_HOME[account.email]:
            assert expected in content, (account.email, expected)
        client.logout()


def test_the_menu_shows_only_the_roles_entries(demo, client):
    client.force_login(User.objects.get(email="policier@demo.iscg.fr"))
    content = client.get(reverse("home")).content.decode()
    assert "/admin/" not in content
