"""The bench's rows read (bench/explain.py) discourage sequential scans in autocommit too,
as the bench's commands run: ``SET LOCAL`` outside a transaction changed nothing, and the
bench counted the small base's sequential scans."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.explain import explained, rows_read
from iscg.models import Department
from tests.iscg.factories import DepartmentFactory

# Off PostgreSQL, skipped before the database is set up: a transactional test empties the
# tables at its end, the reference lists the migrations load included.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN (ANALYZE, FORMAT JSON) is PostgreSQL's"
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_statement_is_explained_with_sequential_scans_discouraged_outside_a_transaction():
    for code in ("01", "38", "69"):
        DepartmentFactory(code=code)
    assert connection.get_autocommit()
    plan = explained("SELECT * FROM iscg_department WHERE code = '38'")
    assert plan["Node Type"] in {"Index Scan", "Bitmap Heap Scan", "Index Only Scan"}


@pytest.mark.django_db
def test_a_read_through_a_server_side_cursor_is_counted():
    """``iterator()`` on PostgreSQL declares a cursor: its SELECT is counted like any
    other (« Mon compte » read every live session of the country through one, unseen)."""
    for code in ("01", "38", "69"):
        DepartmentFactory(code=code)
    with CaptureQueriesContext(connection) as context:
        list(Department.objects.order_by("pk").iterator())
    assert context.captured_queries[-1]["sql"].startswith("DECLARE")
    assert rows_read(context.captured_queries) >= 3
