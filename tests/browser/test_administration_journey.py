"""admin@demo.iscg.fr does her work in the application, never in /admin/: she invites a
worker, gives her a role, sets a stand-in on a post, reads the access log; axe-core finds
no violation at all (any impact) on these pages."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from iscg.demo import EMPLOYER_NAME
from iscg.models import PostHolding, User
from tests.browser.conftest import _axe, login


def check_no_violation(page):
    violations = _axe.run(page).response["violations"]
    if violations:
        details = "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}" for v in violations)
        pytest.fail(f"Accessibilité ({page.url}) :\n{details}")


def test_the_departmental_administrator_works_without_the_admin_site(demo, page):
    login(page, "admin@demo.iscg.fr")
    assert page.goto("/admin/").status == 403

    page.goto("/")
    page.get_by_role("link", name="Gérer les comptes et les rôles").click()
    page.wait_for_url("**/administration/comptes/")
    check_no_violation(page)
    page.locator("#id_q").fill("demo")
    page.get_by_role("button", name="Filtrer").click()
    check_no_violation(page)

    page.get_by_role("link", name="Inviter une personne").click()
    check_no_violation(page)
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Roux")
    page.get_by_label("Adresse électronique").fill("admin@demo.iscg.fr")
    page.get_by_role("button", name="Enregistrer").click()
    # The address is taken: a French message on the field, nothing typed is lost.
    expect(
        page.get_by_text("Un compte existe déjà avec cette adresse électronique.")
    ).to_be_visible()
    assert page.get_by_label("Prénom").input_value() == "Léa"
    check_no_violation(page)
    page.get_by_label("Adresse électronique").fill("lea.roux@demo.iscg.fr")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/roles/ajouter/")
    check_no_violation(page)
    assert User.objects.get(email="lea.roux@demo.iscg.fr").has_usable_password() is False
    assert ["lea.roux@demo.iscg.fr"] in [m.to for m in mail.outbox]

    page.get_by_label("Rôle").select_option(label="Intervenant·e social·e")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Choisissez l'employeur de l'intervenant·e.")).to_be_visible()
    check_no_violation(page)
    page.get_by_label("Employeur").select_option(label=EMPLOYER_NAME)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/administration/comptes/*/")
    expect(page.get_by_text("Intervenant·e social·e —").first).to_be_visible()
    check_no_violation(page)

    page.get_by_role("link", name="Postes", exact=True).first.click()
    page.wait_for_url("**/administration/postes/")
    check_no_violation(page)
    page.get_by_role("link", name="Poste Bourg-en-Bresse et Bresse").click()
    check_no_violation(page)
    page.get_by_role("link", name="Affecter une personne").click()
    check_no_violation(page)
    page.get_by_label("Intervenant·e social·e").select_option(label="Léa Roux")
    page.get_by_label("Nature").select_option(label="Remplacement")
    page.get_by_label("Début").fill("2027-02-01")
    page.locator("#id_end").fill("2027-02-28")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/administration/postes/*/")
    check_no_violation(page)
    assert PostHolding.objects.filter(worker__email="lea.roux@demo.iscg.fr").exists()

    page.get_by_role("link", name="Journal des accès").first.click()
    page.wait_for_url("**/journal-des-acces/")
    page.get_by_label("Action").select_option(label="Affectation sur un poste")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("table").get_by_text("Affectation sur un poste").first).to_be_visible()
    check_no_violation(page)

    # Units, sites and reference lists: her work too, never in /admin/.
    page.get_by_role("link", name="Unités", exact=True).first.click()
    page.wait_for_url("**/administration/unites/")
    check_no_violation(page)
    page.get_by_role("link", name="Brigade de Nantua").click()
    check_no_violation(page)
    page.get_by_role("link", name="Lieux d'accueil", exact=True).first.click()
    page.wait_for_url("**/administration/lieux/")
    expect(page.get_by_text("Un mardi après-midi par mois")).to_be_visible()
    check_no_violation(page)
    page.get_by_role("link", name="Nouveau lieu d'accueil").click()
    check_no_violation(page)
    page.get_by_label("Nom", exact=True).fill("Mairie de Pont-de-Vaux")
    page.get_by_label("Nature").select_option(label="Mairie")
    page.locator("#id_permanences-0-weekday").select_option(label="Mercredi")
    page.locator("#id_permanences-0-part_of_day").select_option(label="Matin")
    page.locator("#id_permanences-0-times_per_month").fill("5")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Un jour revient 4 ou 5 fois par mois")).to_be_visible()
    assert page.get_by_label("Nom", exact=True).input_value() == "Mairie de Pont-de-Vaux"
    check_no_violation(page)
    page.locator("#id_permanences-0-times_per_month").fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/administration/lieux/")
    expect(page.get_by_text("Deux mercredis matin par mois")).to_be_visible()
    page.get_by_role("link", name="Listes de référence").first.click()
    page.wait_for_url("**/administration/listes/problematiques/*")
    check_no_violation(page)
    page.get_by_role("link", name="Types d'actes").click()
    check_no_violation(page)
    page.get_by_role("link", name="Ajouter : type d'acte").click()
    check_no_violation(page)
    page.get_by_label("Libellé").fill("Permanence au marché")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Propre à Ain").first).to_be_visible()
    check_no_violation(page)

    page.get_by_role("link", name="Partenaires").first.click()
    page.wait_for_url("**/partenaires/")
    page.locator("table a").first.click()
    page.get_by_role("link", name="Modifier ou retirer de l'annuaire").click()
    check_no_violation(page)
    page.get_by_label("Nom", exact=True).fill("")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez le nom du partenaire.")).to_be_visible()
    check_no_violation(page)
