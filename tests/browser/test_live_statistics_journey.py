"""Those who steer open the live statistics from their menu and choose a scope of theirs."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login

# Each steering account of the Ain demo, and a scope it reads beside its first one.
STEERING = [
    ("chef.unite@demo.iscg.fr", "Unité : Brigade de Saint-Laurent-sur-Saône"),
    ("prefecture@demo.iscg.fr", "Poste : Poste Bourg-en-Bresse et Bresse"),
    ("financeur@demo.iscg.fr", "Employeur : Association Ain Accès aux Droits (opérateur ISCG)"),
    ("admin@demo.iscg.fr", "Département : Ain (01)"),
]


@pytest.mark.parametrize("email, scope", STEERING)
def test_a_steering_role_reads_masked_live_statistics(demo, page, email, scope):
    login(page, email)
    page.get_by_role("link", name="Statistiques", exact=True).first.click()
    page.wait_for_url("**/bilans/statistiques/**")
    check_a11y(page)
    expect(page.get_by_role("heading", name="Chiffres clés").first).to_be_visible()
    expect(page.get_by_text("Secret statistique appliqué").first).to_be_visible()
    page.get_by_label("Périmètre", exact=True).select_option(label=scope)
    page.get_by_label("Période", exact=True).select_option("quarter")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/bilans/statistiques/?*")
    check_a11y(page)
    expect(page.get_by_role("heading", name="Chiffres clés").first).to_be_visible()
    assert (
        page.get_by_label("Périmètre", exact=True).evaluate("s => s.selectedOptions[0].text")
        == scope
    )
