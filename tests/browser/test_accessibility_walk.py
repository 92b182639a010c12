"""Every page of the application, for every role that can reach it, passes axe-core.

The walk reads the permission matrix: each GET address a role is expected to open (200)
on its own objects is opened in Chromium as that role and checked by axe-core; any
violation, whatever its impact, fails. Files (PDF, CSV, XLSX) are not pages and are
left to their own tests. The number of pages walked per role is printed: the
accessibility statement quotes the figures of the run it dates.
"""

import html
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import all_violations, describe, force_login
from tests.permissions.pages import html_pages
from tests.permissions.world import ROLES, World

# How the accessibility statement names each role beside the number of its pages.
STATEMENT_LABELS = {
    "worker": "intervenant·e social·e",
    "unit_agent": "agent d'unité",
    "unit_lead": "responsable d'unité",
    "employer_manager": "responsable employeur",
    "prefecture": "préfecture",
    "funder": "financeur",
    "admin": "administrateur·rice",
    "anonymous": "visiteur non connecté",
}


def _stated_pages(role) -> int:
    """The number of pages the accessibility statement says were checked for ``role``."""
    text = html.unescape(Client().get(reverse("accessibility")).content.decode())
    match = re.search(re.escape(STATEMENT_LABELS[role]) + r" (\d+)", text)
    assert match, f"La déclaration d'accessibilité ne donne pas le nombre de pages : {role}"
    return int(match.group(1))


def _pages_for(world, role):
    """The HTML pages ``role`` opens: the matrix's GET entries answering 200 on the
    role's own objects (or without object), checked with Django's client first."""
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    # A fragment swapped into a page by htmx (search results, a PDF's state) is checked
    # within its page, not as a document.
    return [
        (entry.id, url)
        for entry, url, response in html_pages(world, role, client)
        if b"<html" in response.content
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_passes_axe(role, page, live_server, reference_lists, capsys):
    world = World()
    # Out of Playwright's event loop: some views (the health checks) run async code.
    with ThreadPoolExecutor(max_workers=1) as executor:
        pages = executor.submit(_pages_for, world, role).result()
        stated = executor.submit(_stated_pages, role).result()
    assert pages, role
    user = world.user(role)
    if user is not None:
        force_login(page, live_server, user)
    failures = []
    for entry_id, url in pages:
        page.goto(url)
        violations = all_violations(page)
        if violations:
            failures.append(f"{entry_id} ({url}):\n{describe(violations)}")
    with capsys.disabled():
        print(f"\naxe-core: {role}: {len(pages)} pages, {len(failures)} en défaut")
    assert failures == [], "\n".join(failures)
    # The statement quotes the pages of this walk: a page added or removed calls for a new
    # measurement, with its date, in templates/iscg/accessibility.html.
    assert stated == len(pages), (role, stated, len(pages))
