"""Every page of every role, measured in the process: each list the role opens (every URL
without an argument that answers it an HTML page) and the page of one object of each kind
it reads (the newest its ``visible_to`` gives), with the median time, the number of
queries and the table rows they read, beside the bare view (a login-required view with
one query). Pages are read as their users see them: the live statistics show the figures
kept from their last computation (reporting.live), which bench_report times apart."""

import statistics
import time

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bench.explain import rows_read
from iscg.selectors import administered_users

# The demo's accounts of the Ain, one per role (the worker is bench_prepare's).
ACCOUNTS = {
    "unit_agent": "policier@demo.iscg.fr",
    "unit_lead": "chef.unite@demo.iscg.fr",
    "employer_manager": "employeur@demo.iscg.fr",
    "prefecture": "prefecture@demo.iscg.fr",
    "funder": "financeur@demo.iscg.fr",
    "admin": "admin@demo.iscg.fr",
}
# Object pages: URL name -> the model of its ``pk``.
DETAILS = {
    "cases:beneficiary_detail": "cases.Beneficiary",
    "cases:case_detail": "cases.Case",
    "referrals:worker_detail": "cases.Referral",
    "referrals:unit_detail": "cases.Referral",
    "lifecycle:archive_open": "cases.Beneficiary",
    "conventions:detail": "conventions.Convention",
    "reporting:detail": "reporting.Report",
    "partners:partner_detail": "partners.Partner",
    "administration:user_detail": "iscg.User",
    "administration:post_detail": "iscg.Post",
}
# Lists that are not pages to read: leaving, files, the technical ones.
SKIPPED = ("logout", "admin:", "bench_", "health", "otp_", "login", "password_")
REPEAT = 11


def _routes(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.pattern.converters


def _candidates(user) -> list[tuple[str, str]]:
    pages = []
    for name, converters in _routes():
        if any(part in name for part in SKIPPED):
            continue
        if not converters:
            pages.append((name, reverse(name)))
        elif name in DETAILS and list(converters) == ["pk"]:
            manager = apps.get_model(DETAILS[name]).objects
            if name == "administration:user_detail":
                rows = administered_users(user)
            elif name == "lifecycle:archive_open":
                rows = manager.filter(archived_at__isnull=False)
            else:
                rows = manager.visible_to(user)
            obj = rows.order_by("-pk").first()
            if obj is not None:
                pages.append((name, reverse(name, kwargs={"pk": obj.pk})))
    return pages


def _measure(client, url, repeat: int = REPEAT) -> dict | None:
    cache.clear()
    response = client.get(url)  # warms the session and the process
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    # Read now: each request empties the connection's log (django.db.reset_queries).
    queries = list(context.captured_queries)
    rows = rows_read(queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(times), 1),
        "queries": len(queries),
        "rows_read": rows,
    }


def every_page(users: dict, repeat: int = REPEAT) -> dict:
    """{role: [{page, url, median_ms, queries, rows_read, ratio}]} and the bare view."""
    results = {}
    bare_client = Client()
    bare_client.force_login(users["worker"])
    bare = _measure(bare_client, "/bench/bare/", repeat)
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        rows = []
        for name, url in _candidates(user):
            measured = _measure(client, url, repeat)
            if measured:
                measured["ratio"] = round(measured["median_ms"] / bare["median_ms"], 1)
                rows.append({"page": name, "url": url, **measured})
        results[role] = rows
    return {"bare": bare, "roles": results}
