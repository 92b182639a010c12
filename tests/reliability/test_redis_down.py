"""With Redis unreachable (cache and broker), users keep working; tasks only wait."""

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse
from kombu.exceptions import OperationalError

from reporting.models import GenerationState, Report
from reporting.tasks import generate_report_pdf
from tests.iscg.factories import DepartmentFactory, UserFactory
from tests.reporting.test_views import world  # noqa: F401 - fixture

# Nothing listens on port 1: every connection is refused, like a stopped Redis.
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "iscg.cache.TolerantRedisCache", "LOCATION": UNREACHABLE}
    }
    return settings


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for task in (generate_report_pdf,):
        monkeypatch.setattr(task, "apply_async", refuse)


@pytest.mark.no_db
def test_the_cache_answers_misses_and_stores_nothing(redis_down):
    cache.set("a", 1)
    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    cache.set_many({"a": 1})
    cache.delete("a")


@pytest.fixture
def plain_redis_cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE,
        }
    }


def test_a_plain_redis_cache_would_fail(plain_redis_cache_down):
    """The control: Django's own Redis cache raises, which answered 500."""
    with pytest.raises(redis.ConnectionError):
        cache.get("a")


def test_sessions_do_not_depend_on_the_cache(client, plain_redis_cache_down):
    """Even a cache that raises on every call leaves logins and pages working."""
    user = UserFactory(worker=True, department=DepartmentFactory(code="01"))
    user.set_password("un mot de passe solide")
    user.save()
    response = client.post(
        reverse("login"), {"username": user.email, "password": "un mot de passe solide"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_statistics_page_works_with_redis_down(client, world, redis_down):  # noqa: F811
    _, users, _, _ = world
    client.force_login(users["worker"])
    first = client.get(reverse("reporting:dashboard"))
    again = client.get(reverse("reporting:dashboard"))
    assert first.status_code == again.status_code == 200
    assert first.context["figures"] and again.context["figures"]


def test_a_new_version_of_a_bilan_is_saved_with_the_broker_down(
    client,
    world,  # noqa: F811
    broker_down,
    django_capture_on_commit_callbacks,
):
    _, users, _, draft = world
    client.force_login(users["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:regenerate", args=[draft.pk]))
    assert response.status_code == 302
    new = Report.objects.get(previous_version=draft)
    assert new.generation_state == GenerationState.PENDING
