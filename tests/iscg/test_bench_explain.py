"""The bench's rows read (bench/explain.py) discourage sequential scans in autocommit too,
as the bench's commands run: ``SET LOCAL`` outside a transaction changed nothing, and the
bench counted the small base's sequential scans."""

import pytest
from django.db import connection

from bench.explain import explained
from tests.iscg.factories import DepartmentFactory


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_explained_with_sequential_scans_discouraged_outside_a_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN (ANALYZE, FORMAT JSON) is PostgreSQL's")
    for code in ("01", "38", "69"):
        DepartmentFactory(code=code)
    assert connection.get_autocommit()
    plan = explained("SELECT * FROM iscg_department WHERE code = '38'")
    assert plan["Node Type"] in {"Index Scan", "Bitmap Heap Scan", "Index Only Scan"}
