"""No lost update: every form editing a record refuses a save over a newer version.

Reproduced before: two tabs editing the same beneficiary, or the same convention, each
saved; the second silently overwrote the first (the forms post every field).

For every page a role opens whose form edits a record (it carries ``edit_version``), two
tabs display it; the first saves it as displayed; the second, saving the same, is
refused with who changed the record and when, what it typed kept; saving again then
replaces the newer version knowingly.
"""

import html
from decimal import Decimal, InvalidOperation

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


def _changes(form, data):
    """Values a user could change, notes first (free text takes any addition); the
    reason of a rectification is not a field of the record."""
    fields = [
        f
        for f in form.fields
        if f.kind in ("textarea", "text", "number")
        and not f.disabled
        and not f.name.endswith((FIELD, "reason"))
    ]
    for f in sorted(fields, key=lambda f: ("textarea", "text", "number").index(f.kind)):
        if f.kind == "number":
            try:
                yield f.name, str(Decimal(data[f.name].replace(",", ".") or 0) + 1)
            except InvalidOperation:
                continue
        else:
            yield f.name, f"{data[f.name]} (onglet 1)".strip()


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
        # The first tab changes one text the form shows; the second, opened before,
        # saves what it displayed.
        first = None
        for name, changed in _changes(form, data):
            tab_a = {**data, name: changed}
            first = client.post(form.action, tab_a)
            if first.status_code == 302:
                break
        if first is None or first.status_code != 302:
            skipped.append(entry_id)  # no text to change as displayed (a reason to type)
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


def test_an_account_edited_meanwhile_is_refused_but_a_login_is_not_an_edit(client, world):
    """The account form of the administration carries its version too. Each login
    writes a history entry (last_login): it changes nothing the form shows, so it is no
    reason to refuse."""
    from django.contrib.auth.models import update_last_login

    from iscg import services

    admin, worker = world.user("admin"), world.user("worker")
    url = reverse("administration:user_edit", args=[worker.pk])
    client.force_login(admin)
    forms = post_forms(client.get(url).content.decode(), url, anywhere=True)
    form = next(f for f in forms if any(field.name == FIELD for field in f.fields))
    tab = as_displayed(form)
    update_last_login(None, worker)
    tab["phone"] = "04 74 00 00 01"
    assert client.post(url, tab).status_code == 302
    worker.refresh_from_db()
    assert worker.phone == "04 74 00 00 01"

    stale = as_displayed(post_forms(client.get(url).content.decode(), url, anywhere=True)[-1])
    services.user_update(
        user=worker,
        first_name="Renommée",
        last_name=worker.last_name,
        email=worker.email,
        phone=worker.phone,
        acting_user=admin,
    )
    stale["phone"] = "04 74 00 00 02"
    response = client.post(url, stale)
    page = html.unescape(response.content.decode())
    assert CONFLICT in page and "« Renommée » enregistré" in page
    worker.refresh_from_db()
    assert (worker.first_name, worker.phone) == ("Renommée", "04 74 00 00 01")
