"""The browser journeys' conftest marks its own tests only.

Reproduced before: its collection hook, which sees every test of the session, marked
every test transactional; a run mixing a journey with tests/reporting flushed the
reference lists the migrations load, and test_consolidation's fixture failed
(« PartnerKind matching query does not exist »).
"""

import importlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture
def browser_conftest():
    """The journeys' conftest, its environment left as it was: importing it allows the
    ORM in Playwright's event loop for the whole process, and left set, it failed
    ``manage.py check --deploy`` in tests/iscg/test_settings.py."""
    had = os.environ.get(ASYNC_UNSAFE)
    yield importlib.import_module("tests.browser.conftest")
    if had is None:
        os.environ.pop(ASYNC_UNSAFE, None)


@pytest.mark.no_db
def test_only_the_journeys_are_marked_transactional(browser_conftest):
    marked = {}

    def item(path):
        return SimpleNamespace(
            fspath=path, add_marker=lambda mark, path=path: marked.setdefault(path, []).append(mark)
        )

    journey = str(browser_conftest.BROWSER_DIR / "test_bilan_journey.py")
    other = str(Path(__file__).resolve().parent / "reporting" / "test_consolidation.py")
    browser_conftest.pytest_collection_modifyitems([item(journey), item(other)])
    assert other not in marked
    assert {mark.name for mark in marked[journey]} == {"browser", "django_db"}
