"""A worker imports past activity: upload, an error to fix, correction, confirmation."""

import importlib

import pytest
from django.apps import apps

from cases.models import Action, Beneficiary
from tests.browser.conftest import check_a11y, login
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes


@pytest.fixture
def reference_lists(demo):
    """Transactional tests flush the data migration's lists: load them again."""
    for module in (
        "cases.migrations.0003_default_reference_lists",
        "partners.migrations.0002_default_partner_kinds",
    ):
        importlib.import_module(module).load(apps, None)


def _file(commune_code):
    rows = [
        action_row(**{"Nom": "JOURNEE", "Code commune (INSEE)": commune_code}),
        action_row(**{"Nom": "JOURNEE", "Date de l'acte": "12/03/2025"}),
    ]
    return {
        "name": "activite.csv",
        "mimeType": "text/csv",
        "buffer": csv_bytes(ACTION_HEADER, rows),
    }


def test_import_with_an_error_then_fixed(reference_lists, page):
    login(page, "intervenante@demo.iscg.fr")
    page.get_by_role("link", name="Importer l'activité").first.click()
    page.wait_for_url("**/donnees/import/")
    assert page.get_by_role("heading", level=1).inner_text() == "Importer l'activité"
    check_a11y(page)

    page.get_by_label("Fichier d'activité").set_input_files(_file("99999"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url("**/donnees/import/*/")
    error = page.get_by_role("alert")
    assert "1 erreur" in error.inner_text()
    assert "« 99999 » ne correspond à aucune commune" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Confirmer l'import").count() == 0
    check_a11y(page)
    assert not Beneficiary.objects.filter(last_name="JOURNEE").exists()

    page.get_by_role("link", name="Déposer un fichier corrigé").click()
    page.get_by_label("Fichier d'activité").set_input_files(_file("01053"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url("**/donnees/import/*/")
    assert "JOURNEE" not in page.locator("main").inner_text()
    check_a11y(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_selector("text=Import effectué le")
    assert page.locator("[data-count='actes']").inner_text() == "2"
    assert page.locator("[data-count='bénéficiaires']").inner_text() == "1"
    check_a11y(page)
    assert Action.objects.filter(case__beneficiary__last_name="JOURNEE").count() == 2


def test_rights_and_archive_pages_pass_accessibility_checks(reference_lists, page):
    from cases.lifecycle.services.retention import archive_beneficiaries
    from iscg.models import User
    from tests.cases.lifecycle_helpers import person_with_everything

    worker = User.objects.get(email="intervenante@demo.iscg.fr")
    post = worker.holdings.first().post
    person = person_with_everything(worker=worker, post=post)
    login(page, worker.email)
    page.goto(f"/donnees/personnes/{person.pk}/droits/")
    check_a11y(page)
    page.get_by_role("link", name="Rectifier l'identité").click()
    check_a11y(page)
    page.get_by_role("button", name="Enregistrer la rectification").click()
    page.get_by_text("Indiquez le motif").first.wait_for()
    check_a11y(page)
    page.goto(f"/donnees/personnes/{person.pk}/droits/effacer/")
    check_a11y(page)
    page.get_by_role("button", name="Se déconnecter").click()

    archive_beneficiaries(beneficiary_ids=[person.pk])
    admin = User.objects.filter(memberships__role="admin").first()
    login(page, admin.email)
    page.get_by_role("link", name="Archives").first.click()
    check_a11y(page)
    page.get_by_role("link", name=f"Dossier n° {person.pk}").click()
    check_a11y(page)
    page.get_by_label("Motif").fill("Demande d'accès de la personne")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.get_by_text("Consultation inscrite au registre").wait_for()
    assert "CANARDINO" in page.locator("main").inner_text()
    check_a11y(page)
    page.get_by_role("link", name="Registre RGPD").first.click()
    page.wait_for_url("**/donnees/registre/")
    assert "Consultation d'un dossier archivé" in page.locator("main").inner_text()
    check_a11y(page)
