import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from tests.permissions.builders import BUILDERS
from tests.permissions.world import SCOPES, World


def _storages(settings, location):
    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


@pytest.fixture(scope="module")
def world_storage(tmp_path_factory):
    """The files of the world (bilan PDFs, convention documents) live as long as it."""
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _isolated_storage_and_cache(request, settings, world_storage):
    """Overrides the root fixture: the module's world keeps its stored files."""
    settings.STORAGES = _storages(settings, world_storage)
    cache.clear()
    yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_storage):
    """One world per test module, built once and rolled back at the end of the module.

    Each test runs in its own savepoint inside it (pytest-django), so what a test writes
    (sessions, access-log rows) disappears after it; every object the builders can make
    is built up front so that no cached object belongs to a rolled-back savepoint.
    """
    from django.conf import settings

    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=_storages(settings, world_storage)),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = World()
            for kind in BUILDERS:
                for scope in SCOPES:
                    built.obj(kind, scope)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
