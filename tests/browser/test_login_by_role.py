import pytest
from playwright.sync_api import expect

from iscg.demo import DEMO_ACCOUNTS
from iscg.enums import Role
from tests.browser.conftest import check_a11y, login


@pytest.mark.parametrize(
    "account", DEMO_ACCOUNTS, ids=lambda a: a.role + ":" + a.email.split("@")[0]
)
def test_each_demo_account_logs_in_and_sees_its_home(demo, page, account):
    login(page, account.email)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert Role(account.role).label in page.locator("main").inner_text()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/compte/connexion/**")


def test_public_pages_pass_accessibility_checks(demo, page):
    for path in (
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/compte/mot-de-passe/oubli/",
    ):
        page.goto(path)
        check_a11y(page)


def test_wrong_password_message_in_french(demo, page):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("policier@demo.iscg.fr")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Adresse électronique ou mot de passe incorrect.")).to_be_visible()
    assert page.get_by_label("Adresse électronique").input_value() == "policier@demo.iscg.fr"
    check_a11y(page)
