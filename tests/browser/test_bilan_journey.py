"""The employer manager validates and sends an annual bilan; the préfecture downloads it."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from reporting.models import Report, ReportKind, ReportStatus
from tests.browser.conftest import check_a11y, login


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/compte/connexion/**")


def test_employer_validates_annual_bilan_and_prefecture_downloads_pdf(demo, page):
    login(page, "employeur@demo.iscg.fr")
    page.get_by_role("link", name="Statistiques", exact=True).first.click()
    page.wait_for_url("**/bilans/statistiques/**")
    check_a11y(page)
    expect(page.get_by_role("heading", name="Chiffres clés").first).to_be_visible()

    page.get_by_role("link", name="Bilans", exact=True).first.click()
    page.wait_for_url("**/bilans/")
    check_a11y(page)
    page.get_by_role("link", name="Établir un bilan").click()
    check_a11y(page)
    page.get_by_label("Type de bilan").select_option("annual")
    page.get_by_label("Période", exact=True).select_option("year")
    evaluation = "Année de montée en charge du dispositif."
    page.get_by_label("Votre évaluation qualitative").fill(evaluation)
    page.get_by_role("button", name="Créer le bilan").click()
    page.wait_for_url("**/bilans/*/")
    check_a11y(page)
    expect(page.get_by_text(evaluation).first).to_be_visible()
    page.get_by_role("link", name="Télécharger le PDF").wait_for()
    # Each step asks for confirmation first, saying what it will do.
    page.get_by_role("link", name="Valider le bilan…").click()
    page.wait_for_url("**/valider/")
    check_a11y(page)
    page.get_by_role("button", name="Confirmer la validation").click()
    page.wait_for_url("**/bilans/*/")
    check_a11y(page)
    expect(page.get_by_text("Le bilan est validé ;")).to_be_visible()
    page.get_by_role("link", name="Envoyer aux destinataires…").click()
    page.wait_for_url("**/envoyer/")
    check_a11y(page)
    expect(page.get_by_role("cell", name="prefecture@demo.iscg.fr")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'envoi").click()
    page.wait_for_url("**/bilans/*/")
    check_a11y(page)
    report = Report.objects.filter(kind=ReportKind.ANNUAL).latest("pk")
    assert report.status == ReportStatus.SENT
    logout(page)

    login(page, "prefecture@demo.iscg.fr")
    page.get_by_role("link", name="Bilans", exact=True).first.click()
    check_a11y(page)
    # Listed twice: among the bilans owed (received) and among all the bilans.
    page.locator(f"a[href='/bilans/{report.pk}/']").first.click()
    page.wait_for_url(f"**/bilans/{report.pk}/")
    check_a11y(page)
    expect(page.get_by_text("Secret statistique appliqué").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    text = " ".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(content)).pages)
    assert "Envoyé le" in text and "Brouillon" not in text
    page.get_by_role("link", name="Méthodologie").first.click()
    check_a11y(page)
