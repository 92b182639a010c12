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


def _settings_as_seen_by(env_extra, *names):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="iscg.settings.dev", **env_extra)
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.no_db
def test_embedded_default_needs_nothing():
    eager, engine, cache, email = _settings_as_seen_by(
        {},
        "CELERY_TASK_ALWAYS_EAGER",
        "DATABASES['default']['ENGINE']",
        "CACHES['default']['BACKEND']",
        "EMAIL_BACKEND",
    )
    assert eager == "True"
    assert engine == "'django.db.backends.sqlite3'"
    assert "LocMemCache" in cache
    assert "console" in email


@pytest.mark.no_db
def test_database_and_redis_urls_switch_to_postgresql_redis_and_a_real_worker():
    eager, engine, cache, broker = _settings_as_seen_by(
        {"DATABASE_URL": "postgres://u@db:5432/iscg", "REDIS_URL": "redis://cache:6379/0"},
        "CELERY_TASK_ALWAYS_EAGER",
        "DATABASES['default']['ENGINE']",
        "CACHES['default']['BACKEND']",
        "CELERY_BROKER_URL",
    )
    assert eager == "False"
    assert engine == "'django.db.backends.postgresql'"
    assert "RedisCache" in cache
    assert broker == "'redis://cache:6379/0'"


@pytest.mark.no_db
def test_postgresql_queries_run_without_parallel_workers_unless_configured():
    url = {"DATABASE_URL": "postgres://u@db:5432/iscg"}
    (options,) = _settings_as_seen_by(url, "DATABASES['default']['OPTIONS']['options']")
    assert options == "'-c max_parallel_workers_per_gather=0'"
    (options,) = _settings_as_seen_by(
        {**url, "PG_PARALLEL_WORKERS_PER_GATHER": "2"},
        "DATABASES['default']['OPTIONS']['options']",
    )
    assert options == "'-c max_parallel_workers_per_gather=2'"
    (options,) = _settings_as_seen_by(
        {"DATABASE_URL": "postgres://u@db:5432/iscg?options=-c%20search_path%3Discg"},
        "DATABASES['default']['OPTIONS']['options']",
    )
    assert options == "'-c search_path=iscg -c max_parallel_workers_per_gather=0'"


@pytest.mark.django_db
def test_the_connection_applies_it():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.no_db
def test_locale_time_zone_and_user_model():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.AUTH_USER_MODEL == "iscg.User"


@pytest.mark.no_db
@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string-of-at-least-50-characters",  # .env.example
        "dev-only-insecure-key-change-me-in-production-0123456789",  # built-in default
        "django-insecure-q8ZrT2vLw9pXe4NcB7mYh3KsJ6dGf1uAo5iRt0yWxEzVbQnM",
        "q8ZrT2vLw9pXe4NcB7mYh3KsJ6dGf1u",  # short
        "ab" * 40,  # long but two characters
    ],
)
def test_prod_refuses_a_published_placeholder_or_weak_secret_key(tmp_path, key):
    result = _manage(
        "check",
        "--deploy",
        env_extra={
            "SECRET_KEY": key,
            "ALLOWED_HOSTS": "iscg.ain.gouv.fr",
            "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_deploy_check_names_a_weak_key_whatever_the_settings(settings):
    from iscg.checks import check_secret_key
    from iscg.settings.secret_key import DEV_DEFAULT

    settings.SECRET_KEY = DEV_DEFAULT
    assert [error.id for error in check_secret_key(None)] == ["iscg.E001"]
    settings.SECRET_KEY = "q8ZrT2vLw9pXe4NcB7mYh3KsJ6dGf1uAo5iRt0yWxEzVbQnM-kP3s"
    assert check_secret_key(None) == []


def test_demo_and_bench_data_commands_refuse_without_debug_or_the_flag(settings):
    from django.core.management import CommandError, call_command

    from iscg.management.not_production import refuse_in_production
    from iscg.models import User

    settings.DEBUG = False
    for command in ("seed_demo", "bench_generate"):
        with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
            call_command(command)
    assert not User.objects.filter(email="admin@demo.iscg.fr").exists()
    # The flag, or DEBUG, lets them through (the demo tests run seed_demo with the flag).
    refuse_in_production({"not_production": True}, "seed_demo")
    settings.DEBUG = True
    refuse_in_production({}, "seed_demo")
