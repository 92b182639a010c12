"""Inputs that answered 500 under fuzzing answer 400, or the page without the bad filter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from iscg.models import AccessAction, AccessLog
from tests.iscg.factories import DepartmentFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def prefecture_client(client):
    client.force_login(UserFactory(prefecture=True, department=DepartmentFactory(code="01")))
    return client


@pytest.fixture
def worker_client(client):
    client.force_login(UserFactory(worker=True, department=DepartmentFactory(code="01")))
    return client


@pytest.mark.parametrize("url_name", ["reporting:list", "conventions:list"])
@pytest.mark.parametrize("year", ["-1", "0", "99999", "2024.5"])
def test_a_year_out_of_range_is_a_form_error_not_a_500(prefecture_client, url_name, year):
    response = prefecture_client.get(reverse(url_name), {"year": year})
    assert response.status_code == 200
    assert response.context["filter"].errors["year"]


@pytest.mark.parametrize("url_name", ["reporting:list", "conventions:list"])
def test_a_year_in_range_still_filters(prefecture_client, url_name):
    response = prefecture_client.get(reverse(url_name), {"year": "2026"})
    assert response.status_code == 200
    assert not response.context["filter"].errors


@pytest.mark.parametrize(
    "url_name", ["reporting:list", "conventions:list", "cases:beneficiary_list"]
)
def test_a_huge_page_number_shows_the_last_page(client, url_name):
    department = DepartmentFactory(code="01")
    role = "worker" if url_name.startswith("cases") else "prefecture"
    client.force_login(UserFactory(**{role: True}, department=department))
    response = client.get(reverse(url_name), {"page": "99999999999999999999"})
    assert response.status_code == 200


def test_a_nul_byte_in_a_search_is_refused(worker_client):
    response = worker_client.get(reverse("cases:partner_search"), {"partner_query": "ab\x00c"})
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_a_nul_byte_in_a_form_field_is_refused(client):
    response = client.post(reverse("login"), {"username": "a\x00@b.fr", "password": "x"})
    assert response.status_code == 400


def test_a_nul_byte_in_an_address_is_refused_and_nothing_is_stored(worker_client):
    response = worker_client.get("/bilans/%00/")
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessAction.ACCESS_REFUSED).exists()


def test_the_access_log_stores_a_path_without_its_nul_bytes(rf):
    from iscg.audit import access_log_record

    request = rf.get("/x")
    request.path = "/bilans/\x00/"
    entry = access_log_record(
        user=None, action=AccessAction.ACCESS_REFUSED, request=request, detail="a\x00b"
    )
    entry.refresh_from_db()
    assert (entry.path, entry.detail) == ("/bilans//", "ab")


@pytest.mark.no_db
def test_bench_settings_log_errors_to_the_console():
    """Under the bench settings a 500's traceback reached no handler and vanished."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "iscg.settings.bench"
    code = "import logging; logging.getLogger('django.request').error('trace-500-visible')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ERROR django.request trace-500-visible" in result.stderr
