"""The browser journeys' conftest marks its own tests only.

Reproduced before: its collection hook, which sees every test of the session, marked
every test transactional; a run mixing a journey with tests/reporting flushed the
reference lists the migrations load, and test_consolidation's fixture failed
(« PartnerKind matching query does not exist »).
"""

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser import conftest as browser_conftest


@pytest.mark.no_db
def test_only_the_journeys_are_marked_transactional():
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
