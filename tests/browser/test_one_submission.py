"""A double click on "Transmettre la saisine" sends one saisine (iscg/submissions.py)."""

from cases.models import Referral
from tests.browser.conftest import login

GENDARME = "gendarme@demo.iscg.fr"


def test_a_double_click_creates_one_saisine(demo, page):
    login(page, GENDARME)
    page.goto("/saisines/nouvelle/")
    form = page.locator("form[method=post]").filter(has=page.locator("#id_person_last_name"))
    token = form.locator("input[name=_submission]")
    assert token.count() == 1 and len(token.input_value()) >= 8
    page.locator("#id_person_last_name").fill("Double-Clic")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("Circonstance").select_option("intervention")
    page.get_by_label("Problématique principale").select_option(index=1)
    page.get_by_label("Procédure liée").select_option("main_courante")
    page.locator("fieldset").filter(has_text="accepte-t-elle").get_by_text(
        "Oui", exact=True
    ).click()
    page.get_by_role("button", name="Transmettre la saisine").dblclick()
    page.wait_for_url("**/confirmation/")
    assert Referral.objects.filter(person_last_name="Double-Clic").count() == 1


def test_a_resent_form_creates_one_saisine(demo, page):
    """Past the script (a replayed POST): the server answers with the first answer."""
    login(page, GENDARME)
    page.goto("/saisines/nouvelle/")
    page.locator("#id_person_last_name").fill("Renvoi")
    page.get_by_text("Femme", exact=True).click()
    page.get_by_label("Circonstance").select_option("intervention")
    page.get_by_label("Problématique principale").select_option(index=1)
    page.get_by_label("Procédure liée").select_option("main_courante")
    page.locator("fieldset").filter(has_text="accepte-t-elle").get_by_text(
        "Oui", exact=True
    ).click()
    form = page.locator("form[method=post]").filter(has=page.locator("#id_person_last_name"))
    # Two submissions of the same form, as a browser's "resend" would make them.
    page.evaluate(
        """() => {
            const form = document.querySelector("#id_person_last_name").form;
            const data = new FormData(form);
            return Promise.all([1, 2].map(() => fetch(form.action || location.href,
                {method: "POST", body: data, credentials: "same-origin"})));
        }"""
    )
    assert form.count() == 1
    assert Referral.objects.filter(person_last_name="Renvoi").count() == 1
