"""Browser journeys: Playwright driving Debian's Chromium against a live server.

Every page a journey visits goes through ``check_a11y`` (axe-core): a serious or
critical violation fails the test.
"""

import os
import sqlite3
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

from iscg.demo import DEMO_PASSWORD
from reporting.models import Report

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the test itself (fixtures, assertions) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}


BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # The hook sees every test of the session: only the journeys are marked, so that a
    # run that mixes them with other tests keeps those in their transaction (marked
    # transactional, they flushed the reference lists the migrations load).
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : lancez scripts/system_deps.sh --browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


_demo_snapshot = None


def _documents_kept() -> bool:
    names = Report.objects.exclude(pdf="").values_list("pdf", flat=True)
    return all(default_storage.exists(name) for name in names)


@pytest.fixture
def demo(transactional_db):
    """The Ain demo, seeded once per session (about 11 s) then copied back before each
    journey that needs it (SQLite's backup API, well under a second): the journeys
    start from the same rows as ``seed_demo`` makes. Its documents (the bilans' PDF) stay
    in the session's storage, which nothing flushes; seeded again if a journey deleted
    one (regenerating a demo bilan). Seeded each time on PostgreSQL."""
    global _demo_snapshot
    if connection.vendor != "sqlite":
        call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
        return
    connection.ensure_connection()
    if _demo_snapshot is not None:
        _demo_snapshot.backup(connection.connection)
        if not _documents_kept():
            _demo_snapshot = None
            call_command("flush", "--no-input", "--skip-checks", verbosity=0)
    if _demo_snapshot is None:
        call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
        _demo_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_demo_snapshot)
    # The flush between journeys created the content types again under other ids.
    ContentType.objects.clear_cache()
    # The copy brings the same ids back: a journey would read the live figures another
    # journey left in the cache under the same scope's key.
    cache.clear()


@pytest.fixture
def reference_lists(transactional_db):
    """The reference lists the data migration loads, which a transactional test flushes."""
    from cases.models import ActionKind, Problem
    from cases.reference_data import ACTION_KINDS, PROBLEMS

    for code, label in PROBLEMS:
        Problem.objects.get_or_create(code=code, defaults={"label": label})
    for code, label, legal_report, is_contact in ACTION_KINDS:
        ActionKind.objects.get_or_create(
            code=code,
            defaults={"label": label, "legal_report": legal_report, "is_contact": is_contact},
        )
    from partners.models import PartnerKind
    from partners.reference_data import PARTNER_KINDS

    for order, (code, label) in enumerate(PARTNER_KINDS, start=1):
        PartnerKind.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})


_axe = Axe()


def check_a11y(page):
    """Runs axe-core on the page as it is now; fails on serious or critical violations."""
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
            for v in blocking
        )
        pytest.fail(f"Accessibilité ({page.url}) :\n{details}")


def all_violations(page) -> list[dict]:
    """Every axe-core violation on the page as it is now, whatever its impact."""
    return _axe.run(page).response["violations"]


def describe(violations) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in violations
    )


def force_login(page, live_server, user):
    """Signs the browser in as ``user`` without the login form (its session cookie)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def login(page, email, password=DEMO_PASSWORD):
    page.goto("/compte/connexion/")
    check_a11y(page)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    check_a11y(page)
