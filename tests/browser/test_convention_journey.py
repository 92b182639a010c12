"""An admin records a convention with two funders and a payment; the préfecture sees it
on its dashboard; the CAF's user sees only the conventions the CAF is party to."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from conventions.models import Convention, Payment
from iscg.demo import EMPLOYER_NAME
from tests.browser.conftest import check_a11y, login

TITLE = "Convention annuelle ISCG 2027 – Dombes"
FIPD = "État – FIPDR (préfecture de l'Ain)"
EPCI = "Communauté de communes de Miribel et du Plateau"


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/compte/connexion/**")


def add_funding(page, funder, requested, granted):
    page.get_by_role("link", name="Ajouter une ligne de cofinancement").click()
    check_a11y(page)
    page.get_by_label("Financeur", exact=True).select_option(label=funder)
    page.get_by_label("Année", exact=True).fill("2027")
    page.get_by_label("Montant demandé (€)", exact=True).fill(requested)
    page.get_by_label("Montant accordé (€)", exact=True).fill(granted)
    page.get_by_label("Date limite de versement").fill("2027-10-31")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/conventions/*/#financement")
    check_a11y(page)


def test_convention_journey(demo, page):
    login(page, "admin@demo.iscg.fr")
    page.get_by_role("link", name="Conventions", exact=True).first.click()
    page.wait_for_url("**/conventions/")
    check_a11y(page)
    page.get_by_role("link", name="Nouvelle convention").click()
    check_a11y(page)
    page.get_by_label("Nature", exact=True).select_option(label="Annuelle de financement")
    page.get_by_label("Intitulé", exact=True).fill(TITLE)
    page.get_by_label("Employeur (opérateur)", exact=True).select_option(label=EMPLOYER_NAME)
    page.get_by_label("Date de début", exact=True).fill("2027-01-01")
    page.get_by_label("Date de fin", exact=True).fill("2026-12-31")
    page.get_by_label("Statut", exact=True).select_option(label="Signée")
    page.get_by_role("button", name="Enregistrer").click()
    # A wrong date is explained in French and nothing typed is lost.
    expect(page.get_by_text("La date de fin précède la date de début.").first).to_be_visible()
    assert page.get_by_label("Intitulé", exact=True).input_value() == TITLE
    check_a11y(page)
    page.get_by_label("Date de fin", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/conventions/*/")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    check_a11y(page)

    add_funding(page, FIPD, "25000", "24000")
    add_funding(page, EPCI, "12000", "12000")
    page.locator("a[href*='/versements/ajouter/']").first.click()
    check_a11y(page)
    page.get_by_label("Date du versement", exact=True).fill("2027-04-15")
    page.get_by_label("Montant versé (€)", exact=True).fill("30000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("au-delà du montant accordé")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Montant versé (€)", exact=True).fill("10000")
    page.get_by_role("button", name="Enregistrer").click()
    # A payment still to come is not paid: refused until it is received.
    expect(page.get_by_text("Un versement ne peut pas être daté après aujourd'hui")).to_be_visible()
    check_a11y(page)
    today = timezone.localdate().isoformat()
    page.get_by_label("Date du versement", exact=True).fill(today)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/conventions/*/#financement")
    check_a11y(page)
    convention = Convention.objects.get(title=TITLE)
    assert Payment.objects.filter(funding_line__convention=convention).count() == 1
    assert "36\xa0000,00 €" in page.locator("main").inner_text()
    logout(page)

    login(page, "prefecture@demo.iscg.fr")
    page.get_by_role("link", name="Financements", exact=True).first.click()
    page.wait_for_url("**/conventions/tableau-de-bord/")
    check_a11y(page)
    section = page.locator("main").inner_text()
    assert "2027" in section
    assert "Accordé : 36\xa0000,00 €, versé : 10\xa0000,00 €" in re.sub(r"[ \t\n]+", " ", section)
    logout(page)

    login(page, "financeur@demo.iscg.fr")
    assert "Convention triennale ISCG de l'Ain 2024–2026" in page.locator("main").inner_text()
    page.goto("/conventions/")
    check_a11y(page)
    listing = page.locator("main").inner_text()
    assert "Convention triennale ISCG de l'Ain 2024–2026" in listing
    assert TITLE not in listing
    response = page.goto(f"/conventions/{convention.pk}/")
    assert response.status == 404
    check_a11y(page)
