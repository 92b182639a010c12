"""A worker imports past activity: upload, an error to fix, correction, confirmation."""

from cases.models import Action, Beneficiary
from tests.browser.conftest import check_a11y, login
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes


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


def test_import_with_an_error_then_fixed(demo, page):
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
