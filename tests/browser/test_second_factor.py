"""Browser journey: a worker enrols a TOTP device, keeps the recovery codes, gets in."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from iscg.demo import DEMO_PASSWORD
from tests.browser.conftest import check_a11y


def test_a_worker_enrols_the_second_factor(demo, page, settings):
    settings.OTP_REQUIRED_ROLES = ["worker"]
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("intervenante@demo.iscg.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/double-authentification/activer/**")
    expect(page.get_by_role("img", name="QR code à scanner avec votre application")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("main")).to_contain_text("Ce code n'est pas valide")
    check_a11y(page)
    device = TOTPDevice.objects.get(user__email="intervenante@demo.iscg.fr")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.wait_for_timeout(2100)  # django-otp throttles a second try for a moment
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url("**/codes-de-secours/**")
    assert page.locator(".iscg-recovery-codes li").count() == 10
    check_a11y(page)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
