"""The canary test: secret strings seeded in the social files never reach the wrong reader.

Each scope of the world holds one social file whose beneficiary names, phone, acte notes
and orientation texts are unique canary strings (world.py). For each role that must never
read case data, the test requests every GET URL of the permission matrix on every scope's
objects, then crawls every same-origin link found in the pages (bounded), and decodes
each response — HTML, text, CSV, JSON, XLSX (openpyxl), PDF (pypdf) — to look for a
canary; then it POSTs every POST entry of the matrix (each undone) and reads the answers.
New URLs are picked up by the matrix (the consistency test forces an entry) and by the
crawl (links in pages).
"""

import html
import io
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from tests.permissions.matrix import all_entries

NO_CASE_DATA_ROLES = ("unit_agent", "unit_lead", "employer_manager", "prefecture", "funder")
# Pages read beyond the start URLs (the matrix's GET URLs are always all read).
MAX_CRAWLED = 300
MAX_QUERY_VARIANTS = 5
# Crawled links of one shape (digits replaced): enough to cover each kind of page.
MAX_SAME_SHAPE = 6
NEVER_FOLLOW = {"logout", "admin:logout", "oidc_authentication_init"}


def decode(response) -> str:
    """Everything a reader could get out of a response, as lower-case text."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    content_type = response.get("Content-Type", "").lower()
    parts = [
        response.get("Content-Disposition", ""),
        response.get("Location", ""),
    ]
    if "spreadsheetml" in content_type or body[:2] == b"PK":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        except Exception:  # noqa: BLE001 - not a workbook: read it as bytes below
            parts.append(body.decode("utf-8", "replace"))
        else:
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    parts.extend(str(value) for value in row if value is not None)
    elif "pdf" in content_type or body[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        parts.extend(page.extract_text() or "" for page in reader.pages)
        parts.append(str(reader.metadata or ""))
    else:
        parts.append(html.unescape(body.decode("utf-8", "replace")))
    return "\n".join(parts).lower()


def _links(text: str) -> list[str]:
    import re

    return re.findall(r"""(?:href|action|src|hx-get)\s*=\s*["']([^"'#]+)""", text)


def _same_origin_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != "testserver":
        return None
    if not parts.path.startswith("/") or parts.path.startswith("/static/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _followable(path: str) -> bool:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return True  # a 404 page is a page too
    return match.view_name not in NEVER_FOLLOW and not match.view_name.endswith("_delete")


def start_urls(world) -> list[str]:
    urls = [reverse("home"), "/adresse-inexistante/", "/admin/"]
    for entry in all_entries():
        if entry.method != "GET" or not entry.canary:
            continue
        for scope in entry.scopes():
            obj = world.obj(entry.obj, scope) if entry.obj else None
            urls.append(reverse(entry.url_name, kwargs=entry.build_kwargs(world, obj)))
    return urls


def walk(client: Client, urls, forbidden: dict[str, str]):
    """Request and crawl; return the leaks found and the number of pages read."""
    import re

    queue, seen, leaks = deque(urls), set(), []
    start = set(urls)
    variants: dict[str, int] = {}
    shapes: dict[str, int] = {}
    while queue and len(seen) < len(start) + MAX_CRAWLED:
        url = queue.popleft()
        if url in seen or not _followable(url):
            continue
        base = urlsplit(url).path
        if "?" in url:
            if base.startswith("/admin/") or variants.get(base, 0) >= MAX_QUERY_VARIANTS:
                continue
            variants[base] = variants.get(base, 0) + 1
        shape = re.sub(r"\d+", "N", base)
        if url not in start:
            if shapes.get(shape, 0) >= MAX_SAME_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
        seen.add(url)
        response = client.get(url)
        text = decode(response)
        for canary, what in forbidden.items():
            if canary in text:
                leaks.append(f"{url} ({response.status_code}) montre {what}")
        if 300 <= response.status_code < 400:
            target = _same_origin_path(response["Location"])
            if target:
                queue.append(target)
        if "html" in response.get("Content-Type", ""):
            for link in _links(text):
                target = _same_origin_path(html.unescape(link))
                if target and target not in seen:
                    queue.append(target)
    return leaks, seen


def post_entries(world):
    """(url, data) of every POST of the matrix: its answer (an export...) is read too."""
    for entry in all_entries():
        if entry.method != "POST" or not entry.canary or entry.url_name in NEVER_FOLLOW:
            continue
        for scope in entry.scopes():
            obj = world.obj(entry.obj, scope) if entry.obj else None
            yield reverse(entry.url_name, kwargs=entry.build_kwargs(world, obj)), entry.data or {}


def post_all(client, world, forbidden) -> list[str]:
    """POST every matrix POST, each undone afterwards; return the leaks in the answers."""
    from django.db import transaction

    leaks = []
    for url, data in post_entries(world):
        with transaction.atomic():
            response = client.post(url, data)
            transaction.set_rollback(True)
        text = decode(response)
        leaks.extend(
            f"POST {url} ({response.status_code}) montre {what}"
            for canary, what in forbidden.items()
            if canary in text
        )
    return leaks


# Partners are the département's public directory: only the orientation to one is secret.
DIRECTORY = ("partner_name",)


def _forbidden(world, role) -> dict[str, str]:
    if role == "worker":
        return {
            k: v
            for k, v in world.canaries(scopes=("other_unit", "other_employer")).items()
            if v not in DIRECTORY
        } | world.canaries(scopes=("other_department",))
    everything = world.canaries()
    if role in ("unit_agent", "unit_lead"):
        own_referral = world.file("own")["canaries"]["referral_person"]
        return {k: v for k, v in everything.items() if k != own_referral}
    if role == "admin":
        # Everything but the confidential notes (DESIGN.md): archives and rights as DPO.
        return {k: v for k, v in everything.items() if v.startswith("action_note")}
    return everything


@pytest.mark.parametrize("role", [*NO_CASE_DATA_ROLES, "worker", "admin"])
def test_no_canary_reaches_a_role_that_must_not_read_it(world, role, client):
    forbidden = _forbidden(world, role)
    assert len(forbidden) >= 7
    client.force_login(world.user(role))
    leaks, seen = walk(client, start_urls(world), forbidden)
    leaks += post_all(client, world, forbidden)
    assert leaks == [], "\n".join(leaks)
    assert len(seen) > 20


def test_the_canaries_are_really_there_for_the_worker_of_the_post(world, client):
    """The test must be able to fail: the worker does read their own file's history."""
    client.force_login(world.user("worker"))
    file = world.file("own")
    action = file["action"]
    url = reverse("history", kwargs={"app_label": "cases", "model_name": "action", "pk": action.pk})
    text = decode(client.get(url))
    assert file["canaries"]["action_note"] in text
    leaks, _ = walk(client, [url], {file["canaries"]["action_note"]: "note"})
    assert leaks


def boom(request, pk):
    from cases.models import Beneficiary

    beneficiary = Beneficiary.objects.get(pk=pk)
    raise ValueError(f"échec sur {beneficiary.last_name}")


urlpatterns = None  # filled below, used as ROOT_URLCONF by the 500 test


def _urlconf():
    from django.urls import path

    from iscg import urls

    return [*urls.urlpatterns, path("boom/<int:pk>/", boom)]


@pytest.mark.parametrize("role", ["worker", *NO_CASE_DATA_ROLES])
def test_error_pages_show_no_case_data(world, role):
    global urlpatterns
    urlpatterns = _urlconf()
    client = Client(raise_request_exception=False)
    client.force_login(world.user(role))
    beneficiary = world.file("own")["beneficiary"]
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        response = client.get(f"/boom/{beneficiary.pk}/")
        assert response.status_code == 500
        text = decode(response)
        assert "erreur" in text
        for canary in world.canaries():
            assert canary not in text
        not_found = client.get(f"/historique/cases/beneficiary/{beneficiary.pk + 10000}/")
        assert not_found.status_code == 404
        assert not any(canary in decode(not_found) for canary in world.canaries())


def test_the_decoder_reads_csv_xlsx_and_pdf_exports():
    """So that exports added later are really searched for canaries."""
    import openpyxl
    from django.http import HttpResponse
    from weasyprint import HTML

    canary = "zcanarydecodeur42"
    csv = HttpResponse(f"nom;prenom\r\n{canary.upper()};x\r\n", content_type="text/csv")
    assert canary in decode(csv)
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nom", canary])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert canary in decode(xlsx)
    pdf = HttpResponse(HTML(string=f"<p>Bilan {canary}</p>").write_pdf(), "application/pdf")
    assert canary in decode(pdf)
    named = HttpResponse("x", headers={"Content-Disposition": f'attachment; filename="{canary}"'})
    assert canary in decode(named)


def test_the_new_kinds_of_pages_are_really_read(world, client):
    """Referral pages, bilan PDFs and exports, convention files: decoded, canaries found."""
    own = world.file("own")
    client.force_login(world.user("worker"))
    referral = own["worker_referral"]
    text = decode(client.get(reverse("referrals:worker_detail", args=[referral.pk])))
    assert own["canaries"]["worker_referral_context"] in text
    client.force_login(world.user("unit_lead"))
    text = decode(client.get(reverse("referrals:unit_detail", args=[own["referral"].pk])))
    assert own["canaries"]["referral_person"] in text
    client.force_login(world.user("funder"))
    report = world.obj("reporting.report", "own")
    pdf = client.get(reverse("reporting:download", args=[report.pk]))
    assert pdf.status_code == 200
    assert report.scope_label.lower() in decode(pdf)
    xlsx = client.get(reverse("reporting:export", kwargs={"pk": report.pk, "fmt": "xlsx"}))
    assert "bénéficiaires" in decode(xlsx) or "personnes" in decode(xlsx)
    convention = world.obj("conventions.convention", "own")
    plan = client.get(reverse("conventions:plan_export", args=[convention.pk]))
    assert convention.title.lower() in decode(plan)
