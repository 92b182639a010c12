"""No lost update: every form editing a record refuses a save over a newer version.

Reproduced before: two tabs editing the same beneficiary, or the same convention, each
saved; the second silently overwrote the first (the forms post every field).

For every page a role opens whose form edits a record (it carries ``edit_version``), two
tabs display it; the first saves it as displayed; the second, saving the same, is
refused with who changed the record and when, what it typed kept; saving again then
replaces the newer version knowingly.
"""

import html

import pytest
from django.test import Client
from django.urls import reverse

from iscg.concurrent_edits import FIELD
from tests.forms.form_pages import as_displayed, post_forms
from tests.permissions.pages import html_pages
from tests.permissions.world import ROLES

CONFLICT = "a été modifiée entre-temps par"


def _edit_forms(world, role, client):
    for entry, url, response in html_pages(world, role, client):
        if b"edit_version" not in response.content:
            continue
        for form in post_forms(response.content.decode(), url, anywhere=True):
            if any(field.name.endswith(FIELD) for field in form.fields):
                yield entry.id, url, form


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_second_tab_cannot_overwrite_the_first(role, world):
    client = Client()
    user = world.user(role)
    client.force_login(user)
    checked, skipped = [], []
    for entry_id, url, form in _edit_forms(world, role, client):
        data = as_displayed(form)
        if "reason" in data and not data["reason"].strip():  # a rectification states why
            data["reason"] = "Rectification demandée par la personne."
        first = client.post(form.action, data)
        if first.status_code != 302:
            skipped.append(entry_id)  # incomplete as displayed (a reason to type)
            continue
        second = client.post(form.action, data)
        page = html.unescape(second.content.decode())
        assert second.status_code in (200, 400) and CONFLICT in page, f"{entry_id} ({url})"
        # No field named by its manager ("iscg.Unit.None") or its stored code.
        assert ".None" not in page, f"{entry_id} ({url})"
        again = post_forms(second.content.decode(), form.action)
        version = next(f.value for form_ in again for f in form_.fields if f.name.endswith(FIELD))
        data = {**data, next(k for k in data if k.endswith(FIELD)): version}
        assert client.post(form.action, data).status_code == 302, f"{entry_id} ({url})"
        checked.append(entry_id)
    print(
        f"{role} : {len(checked)} formulaires de modification",
        *checked,
        "; à compléter :",
        *skipped,
    )


def test_a_conflict_names_the_fields_and_keeps_what_was_typed(client, world):
    worker = world.user("worker")
    beneficiary = world.obj("cases.beneficiary", "own")
    url = reverse("cases:beneficiary_update", args=[beneficiary.pk])
    client.force_login(worker)
    forms = post_forms(client.get(url).content.decode(), url, anywhere=True)
    form = next(f for f in forms if any(field.name == FIELD for field in f.fields))
    tab_a, tab_b = as_displayed(form), as_displayed(form)
    tab_a["last_name"], tab_b["last_name"] = "Premier-Onglet", "Second-Onglet"
    tab_a["sex"], tab_b["sex"] = "M", "F"
    assert client.post(url, tab_a).status_code == 302
    response = client.post(url, tab_b)
    page = " ".join(html.unescape(response.content.decode()).split())
    name = worker.get_full_name()
    assert f"Cette fiche a été modifiée entre-temps par {name}" in page
    assert "Nom : « Premier-Onglet » enregistré, « Second-Onglet » saisi" in page
    assert "Sexe : « Homme » enregistré, « Femme » saisi" in page
    assert 'value="Second-Onglet"' in page
    beneficiary.refresh_from_db()
    assert beneficiary.last_name == "Premier-Onglet"
