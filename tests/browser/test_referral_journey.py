"""A gendarme's referral, from the form to the feedback, as the two users see it."""

import re
from urllib.parse import urlparse

from django.core import mail

from cases.models import Referral
from tests.browser.conftest import check_a11y, login

GENDARME = "gendarme@demo.iscg.fr"
WORKER = "intervenante@demo.iscg.fr"


def _logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/compte/connexion/**")


def test_referral_journey_from_gendarme_to_worker_and_back(demo, page):
    mail.outbox.clear()
    # The gendarme submits a referral.
    login(page, GENDARME)
    page.get_by_role("link", name="Nouvelle saisine").first.click()
    page.wait_for_url("**/saisines/nouvelle/")
    check_a11y(page)
    page.locator("#id_person_last_name").fill("Parmentier")
    page.get_by_label("Prénom").fill("Lucie")
    page.get_by_label("Téléphone").fill("06 11 22 33 44")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("Âge").fill("37")
    page.get_by_label("Commune de résidence").fill("Châtillon-sur-Chalaronne (01093)")
    page.get_by_label("Circonstance").select_option("intervention")
    page.get_by_label("Problématique principale").select_option(index=1)
    page.get_by_label("Procédure liée").select_option("main_courante")
    page.locator("fieldset").filter(has_text="accepte-t-elle").get_by_text(
        "Oui", exact=True
    ).click()
    page.get_by_label("Contexte en quelques mots").fill("Dispute signalée par un voisin.")
    page.get_by_role("button", name="Transmettre la saisine").click()
    page.wait_for_url("**/confirmation/")
    check_a11y(page)
    heading = page.get_by_role("heading", name=re.compile("Numéro de la saisine")).inner_text()
    number = heading.split(":")[-1].strip()
    referral = Referral.objects.get(number=number)
    assert referral.person_last_name == "Parmentier"
    assert referral.person_commune.code == "01093"

    # The worker of the post receives an e-mail with the number and a link, nothing else.
    sent = [m for m in mail.outbox if WORKER in m.to]
    assert len(sent) == 1
    assert number in sent[0].subject
    assert "Parmentier" not in sent[0].subject + sent[0].body
    link = re.search(r"https?://\S+", sent[0].body).group(0)
    _logout(page)

    # The worker opens the referral from the e-mail link; taking it over would attach it
    # to a person's file, but the person refuses help: the worker only answers the unit.
    login(page, WORKER)
    page.goto(urlparse(link).path)
    check_a11y(page)
    assert "PARMENTIER Lucie" in page.locator("main").inner_text()
    take = page.get_by_role("link", name="Prendre en compte : rattacher à une personne")
    assert take.get_attribute("href").endswith(f"/saisines/{referral.pk}/prendre/")

    # The worker records a refusal and sends the feedback after reviewing it.
    page.get_by_role("link", name="Envoyer un retour à l'unité").click()
    check_a11y(page)
    assert "Ce retour sort du secret professionnel" in page.locator("main").inner_text()
    page.get_by_text("Refus d'aide", exact=True).click()
    page.locator("#id_message").fill("La personne ne souhaite pas d'aide pour l'instant.")
    page.get_by_role("button", name="Relire avant l'envoi").click()
    check_a11y(page)
    page.get_by_role("button", name="Envoyer le retour à l'unité").click()
    page.wait_for_url(f"**{urlparse(link).path}")
    check_a11y(page)
    assert "Le retour a été envoyé" in page.locator("body").inner_text()
    referral.refresh_from_db()
    assert referral.status == "refused"
    assert any(GENDARME in m.to for m in mail.outbox)
    _logout(page)

    # The gendarme sees the refusal and nothing else of the case.
    login(page, GENDARME)
    page.get_by_role("link", name="Mes saisines").first.click()
    check_a11y(page)
    page.get_by_role("link", name=number).click()
    check_a11y(page)
    main = page.locator("main").inner_text()
    assert "refus de la personne" in main.lower()
    assert "La personne ne souhaite pas d'aide pour l'instant." in main
    assert "Prendre en compte" not in main
    assert "Envoyer un retour" not in main
    assert "accompagnements" not in page.content()
    assert "Poste Bourg-en-Bresse" not in main
