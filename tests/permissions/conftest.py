import pytest
from django.db import transaction

from tests.permissions.builders import BUILDERS
from tests.permissions.world import SCOPES, World


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world per test module, built once and rolled back at the end of the module.

    Each test runs in its own savepoint inside it (pytest-django), so what a test writes
    (sessions, access-log rows) disappears after it; every object the builders can make
    is built up front so that no cached object belongs to a rolled-back savepoint.
    """
    with django_db_blocker.unblock():
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
