import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
    }
    env.update(DJANGO_SETTINGS_MODULE="iscg.settings.prod", **env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.no_db
def test_prod_refuses_to_start_without_its_secrets():
    result = _manage("check", env_extra={})
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


@pytest.mark.no_db
def test_check_deploy_is_clean_under_prod_settings(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": "q8ZrT2vLw9pXe4NcB7mYh3KsJ6dGf1uAo5iRt0yWxEzVbQnM-kP3s",
            "ALLOWED_HOSTS": "iscg.ain.gouv.fr",
            "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.no_db
def test_embedded_default_needs_nothing(settings):
    from django.conf import settings as live

    assert live.CELERY_TASK_ALWAYS_EAGER is True
    assert live.LANGUAGE_CODE == "fr-fr"
    assert live.TIME_ZONE == "Europe/Paris"
    assert live.AUTH_USER_MODEL == "iscg.User"
