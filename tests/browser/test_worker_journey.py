"""A worker's day: take a referral, create the person, log actes, orient, close."""

import re

from playwright.sync_api import expect

from cases.enums import ReferralStatus
from cases.models import Action, Beneficiary, Case, Orientation, Referral
from tests.browser.conftest import check_a11y, login


def test_worker_takes_a_referral_and_follows_the_case_to_its_closing(demo, page):
    login(page, "intervenante@demo.iscg.fr")
    expect(page.get_by_role("heading", name=re.compile("Nouvelles saisines"))).to_be_visible()
    referral = Referral.objects.get(person_last_name="Vasseur")
    page.get_by_role("link", name=f"Prendre en compte la saisine {referral.number}").click()
    page.wait_for_url(f"**/saisines/{referral.pk}/prendre/")
    check_a11y(page)
    expect(page.get_by_text("Intervention au domicile la nuit dernière")).to_be_visible()

    # No probable duplicate yet: create the person, pre-filled from the referral.
    page.locator("label", has_text="Créer une nouvelle fiche bénéficiaire").click()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/beneficiaires/nouveau/**")
    check_a11y(page)
    assert page.locator("#id_last_name").input_value() == "Vasseur"
    page.get_by_label("Profil").select_option(label="Victime")
    page.get_by_label("Date de naissance", exact=False).fill("1987-03-12")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/dossiers/*/")
    check_a11y(page)
    case_url = page.url
    expect(page.get_by_text("prise en compte et accompagnement ouvert")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN

    # A second try to create the same person: the duplicate warning, nothing lost.
    page.goto("/accompagnements/beneficiaires/nouveau/")
    check_a11y(page)
    page.locator("#id_last_name").fill("VASSEUR")
    page.locator("#id_first_name").fill("Helene")
    page.get_by_label("Profil").select_option(label="Victime")
    page.get_by_role("button", name="Enregistrer").click()
    # The page answers on the same address: wait for the warning rather than race it.
    expect(page.get_by_text("Cette personne existe peut-être déjà")).to_be_visible()
    check_a11y(page)
    assert page.locator("#id_first_name").input_value() == "Helene"
    assert Beneficiary.objects.filter(last_name__iexact="vasseur").count() == 1

    # Three actes from the case page.
    page.goto(case_url)
    for kind, note in [
        ("Entretien physique", "Premier entretien, plainte déposée."),
        ("Entretien téléphonique", "Point sur la mise à l'abri."),
        ("Contact partenaire", "Appel au CIDFF."),
    ]:
        page.get_by_label("Type d'acte").select_option(label=kind)
        page.get_by_label("Note confidentielle", exact=False).fill(note)
        page.get_by_role("button", name="Enregistrer l'acte").click()
        page.wait_for_url("**/dossiers/*/#actes")
        expect(page.get_by_text("Acte enregistré.")).to_be_visible()
        check_a11y(page)
    case = Case.objects.get(referrals=referral)
    assert Action.objects.filter(case=case).count() == 3

    # Orientation to the CIDFF, found in the partner directory.
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    check_a11y(page)
    page.get_by_label("Rechercher dans l'annuaire des partenaires").fill("CIDFF")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    # DSFR radios are styled labels over a hidden input: click the label.
    page.locator("label", has_text="CIDFF de l'Ain").first.click()
    assert page.get_by_label("CIDFF de l'Ain").is_checked()
    check_a11y(page)
    page.get_by_label("Motif").fill("Information juridique et accompagnement")
    page.get_by_role("button", name="Enregistrer l'orientation").click()
    page.wait_for_url("**/dossiers/*/#orientations")
    check_a11y(page)
    assert Orientation.objects.get(case=case).partner.name == "CIDFF de l'Ain"

    # Closing with a reason.
    page.get_by_label("Motif de clôture").select_option(label="Relais pris par un partenaire")
    page.get_by_role("button", name="Clôturer l'accompagnement").click()
    expect(page.get_by_text("Accompagnement clôturé.")).to_be_visible()
    check_a11y(page)
    case.refresh_from_db()
    referral.refresh_from_db()
    assert not case.is_open and case.closing_reason == "oriented"
    assert referral.status == ReferralStatus.CLOSED


def test_every_worker_page_passes_accessibility_checks(demo, page):
    login(page, "intervenante@demo.iscg.fr")
    beneficiary = Beneficiary.objects.filter(
        post__label="Poste Bourg-en-Bresse et Bresse", cases__orientations__isnull=False
    ).first()
    case = beneficiary.cases.first()
    orientation = case.orientations.first()
    for path in [
        "/",
        "/accompagnements/beneficiaires/",
        "/accompagnements/beneficiaires/?q=helene",
        f"/accompagnements/beneficiaires/{beneficiary.pk}/",
        f"/accompagnements/beneficiaires/{beneficiary.pk}/modifier/",
        f"/accompagnements/dossiers/{case.pk}/",
        f"/accompagnements/dossiers/{case.pk}/orientations/nouvelle/?partner_query=ccas",
        f"/accompagnements/dossiers/{case.pk}/partenaires/nouveau/",
        f"/accompagnements/orientations/{orientation.pk}/modifier/",
        "/accompagnements/saisines/nouvelle/",
        "/accompagnements/contacts-anonymes/",
        "/accompagnements/contacts-anonymes/nouveau/",
        "/partenaires/",
        "/partenaires/?q=cidff",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_a11y(page)
    page.get_by_role("link", name="CIDFF de l'Ain").click()
    expect(page.get_by_role("heading", name="CIDFF de l'Ain")).to_be_visible()
    check_a11y(page)


def test_menu_and_partner_search_with_htmx(demo, page):
    login(page, "intervenante@demo.iscg.fr")
    for label in ("Tableau de bord", "Bénéficiaires", "Contacts anonymes", "Partenaires"):
        expect(page.get_by_role("link", name=label, exact=True).first).to_be_visible()
    case = Case.objects.filter(post__label="Poste Bourg-en-Bresse et Bresse").open().first()
    page.goto(f"/accompagnements/dossiers/{case.pk}/orientations/nouvelle/")
    page.get_by_label("Rechercher dans l'annuaire des partenaires").press_sequentially("siao")
    # No page load: htmx swaps the results in as the worker types.
    page.locator("label", has_text="115 – SIAO de l'Ain").wait_for(state="visible")
    assert page.url.endswith("/orientations/nouvelle/")
    check_a11y(page)
