"""Every form of the project, as every role meets it, driven with random values.

For each page a role opens (the permission matrix's GET addresses, on the role's own
objects), each form posting to the page is filled by hypothesis with what a user might
type: French numbers and dates, text of any script, markup, NUL bytes, 5,000 characters,
options that do not exist, files of random bytes. Each submission runs in a savepoint
rolled back afterwards, so that every example meets the same world. Three properties:

- never a server error (500);
- never a record that breaks a coherence rule (``tests/forms/coherence.py``);
- a form that comes back with errors shows again everything that was typed.

``ISCG_FORM_EXAMPLES`` sets the number of examples per form (8 by default);
``ISCG_FORM_RANDOM=1`` draws new examples on each run instead of the same ones.
"""

import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.forms.coherence import violations
from tests.forms.form_pages import echoed, post_forms, value_for
from tests.permissions.pages import html_pages
from tests.permissions.world import ROLES

EXAMPLES = int(os.environ.get("ISCG_FORM_EXAMPLES", "8"))
# Forms that end the session (no later form could be sent).
SKIPPED = {"logout", "account:password_change", "password_change"}


def _skipped(action: str) -> bool:
    try:
        match = resolve(action.split("?")[0])
    except Resolver404:
        return True
    return match.view_name in SKIPPED


def _form_pages(world, role, client):
    seen = set()
    for entry, url, response in html_pages(world, role, client, skip=SKIPPED):
        for form in post_forms(response.content.decode(), url, anywhere=True):
            key = (form.action, tuple(sorted(field.name for field in form.fields)))
            if key in seen or _skipped(form.action):
                continue
            seen.add(key)
            yield entry.id, form.action, form


def _submit(client, url, form, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {}
    for field in form.fields:
        value = data.draw(value_for(field), label=field.name)
        if value is None:
            continue
        if field.kind == "file":
            value = SimpleUploadedFile("fichier.csv", value, content_type="text/csv")
        payload[field.name] = value
    return payload, client.post(url, payload)


def _check(entry_id, url, form, payload, response, before):
    where = f"{entry_id} ({url}) avec {payload!r}"[:3000]
    assert response.status_code < 500, f"Erreur serveur : {where}"
    if response.status_code in (301, 302, 303):
        broken = violations() - before
        assert not broken, f"Données incohérentes {sorted(broken)} : {where}"
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        if post_forms(page, url):  # the form came back (with its errors)
            lost = [
                field.name
                for field in form.fields
                if echoed(field, payload.get(field.name))
                and escape(payload[field.name]) not in page
            ]
            assert not lost, f"Saisie perdue dans {lost} : {where}"


@pytest.mark.parametrize("role", ROLES)
def test_every_form_of_the_role_survives_what_users_type(role, world):
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    pages = list(_form_pages(world, role, client))
    if role != "anonymous":
        assert pages, f"aucun formulaire pour {role}"
    for entry_id, url, form in pages:
        _drive(client, entry_id, url, form)
    # Read in the test's output: the forms this run drove.
    print(f"{role} : {len(pages)} formulaires", *(entry for entry, _url, _form in pages))


def _drive(client, entry_id, url, form):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        # The same examples on every run (CI stays reproducible); ISCG_FORM_RANDOM=1 explores.
        derandomize=not os.environ.get("ISCG_FORM_RANDOM"),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def submit(data):
        with transaction.atomic():
            before = violations()
            payload, response = _submit(client, url, form, data)
            _check(entry_id, url, form, payload, response, before)
            transaction.set_rollback(True)

    submit()
