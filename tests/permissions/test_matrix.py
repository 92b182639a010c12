"""The permission matrix: every URL of the project, every role, four scopes of objects."""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permissions.matrix import (
    ADMIN_LOGIN,
    LOGIN,
    REDIRECT,
    all_entries,
)
from tests.permissions.world import ROLES

# Patterns without a name that need no entry, with the reason.
UNNAMED_ALLOWED = {
    "admin/": "the admin catch-all (final_catch_all_view) is part of the admin group",
}


def walk_patterns(patterns=None, prefix="", namespace=""):
    """Yield (url name with namespace or None, route) for every pattern, recursively."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from walk_patterns(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None, route)


def _check(response, expected, entry_id):
    status = response.status_code
    if expected == LOGIN:
        ok = status == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    elif expected == ADMIN_LOGIN:
        ok = status == 302 and response["Location"].startswith(reverse("admin:login"))
    elif expected == REDIRECT:
        ok = status == 302
    else:
        ok = status == expected
    return ok


def _request(client, entry, url):
    if entry.method == "POST":
        # Each POST acts on the same world: undo it, so that every role meets the same state.
        with transaction.atomic():
            response = client.post(url, entry.data or {})
            transaction.set_rollback(True)
        return response
    return client.get(url)


@pytest.mark.parametrize("entry", all_entries(), ids=lambda e: e.id)
def test_permission_matrix(entry, client, world):
    failures = []
    get_names = {e.url_name for e in all_entries() if e.method == "GET"}
    for role in ROLES:
        user = world.user(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        for scope in entry.scopes():
            obj = world.obj(entry.obj, scope) if entry.obj else None
            url = reverse(entry.url_name, kwargs=entry.build_kwargs(world, obj))
            response = _request(client, entry, url)
            expected = entry.expected(role, scope)
            if not _check(response, expected, entry.id):
                where = response.get("Location", "")
                failures.append(
                    f"{role:17} {scope or '-':17} attendu {expected}, "
                    f"obtenu {response.status_code} {where}"
                )
            if user is not None and response.status_code == 200:
                assert "no-store" in response.get("Cache-Control", ""), (role, url)
            if entry.method == "POST" and entry.url_name not in get_names:
                # A GET never acts: refused (403/404/405) or sent elsewhere (302).
                assert client.get(url).status_code in (302, 403, 404, 405), (role, url)
    assert failures == [], f"{entry.id} ({entry.method}):\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ["worker", "admin", "prefecture", "employer_manager"])
def test_the_second_factor_gates_every_url(role, client, world, settings):
    """With the production setting, an unverified user reaches only the OTP pages."""
    from django.urls import resolve

    from iscg.otp import OTP_EXEMPT_URL_NAMES

    settings.OTP_REQUIRED_ROLES = ["worker", "admin", "prefecture", "employer_manager"]
    client.force_login(world.user(role))
    leaks = []
    for entry in all_entries():
        if entry.method != "GET":
            continue
        for scope in entry.scopes():
            obj = world.obj(entry.obj, scope) if entry.obj else None
            url = reverse(entry.url_name, kwargs=entry.build_kwargs(world, obj))
            if resolve(url).url_name in OTP_EXEMPT_URL_NAMES:
                continue
            response = client.get(url)
            if not (
                response.status_code == 302
                and response["Location"].startswith(reverse("otp_setup"))
            ):
                leaks.append(f"{url} → {response.status_code}")
    assert leaks == []
