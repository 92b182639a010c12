"""The table rows a statement reads, from PostgreSQL's EXPLAIN (ANALYZE).

Summed over the plan's scans: the rows each scan returned and those its filter removed,
times its loops. Sequential scans are discouraged while explaining: on tables of national
size the planner never chooses one where an index answers, and on a small base it would,
hiding a read that grows with the table (the bench and tests/permissions/test_rows_read.py
read the same figure)."""

import json
import re

from django.db import connection, transaction

SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan"}


def plan_rows(plan: dict) -> int:
    rows = 0
    if plan["Node Type"] in SCANS:
        read = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
        rows = read * plan.get("Actual Loops", 1)
    return rows + sum(plan_rows(child) for child in plan.get("Plans", []))


def explained(sql: str) -> dict:
    """The executed plan of ``sql``. ``SET LOCAL`` lasts as long as a transaction: outside
    one (the bench's commands run in autocommit) it would change nothing, so the
    statement is explained inside one."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]


def statement_rows(sql: str) -> int:
    return plan_rows(explained(sql))


# A queryset read with ``iterator()`` on PostgreSQL is a server-side cursor: its SELECT
# comes wrapped in a DECLARE, and skipped as « not a SELECT » it was a read never counted.
CURSOR = re.compile(
    r"^DECLARE\s+\S+\s+(?:NO\s+)?(?:SCROLL\s+)?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+", re.I
)


def selected(sql: str) -> str | None:
    """The SELECT a statement runs (a union's, a cursor's), or None."""
    sql = CURSOR.sub("", sql.lstrip())
    return sql if sql.lstrip("( ").upper().startswith("SELECT") else None


def rows_read(captured_queries) -> int | None:
    """Rows read by the SELECT statements of a request; None off PostgreSQL."""
    if connection.vendor != "postgresql":
        return None
    statements = (selected(query["sql"]) for query in captured_queries)
    return sum(statement_rows(sql) for sql in statements if sql)
