"""Record keys: the secret number of each record that the live statistics perturb from.

The cell-key method (reporting.secrecy.perturbation) gives every record a fixed
pseudo-random key and every count the sum of its records' keys: the same records always
give the same cell key, hence the same perturbation, however the figure was asked for
(another period with the same files, the same people in another table, the previous
column of the next quarter). The key is computed by the database from the record's id,
with coefficients drawn from ``CELL_KEY_SECRET`` (by default ``SECRET_KEY``; set
apart, it survives a rotation of the latter): nothing is stored, and a reader who knows
neither the ids nor the secret cannot compute it.

    key(id) = (a·id² + b·id + c) mod M + 1,  M = 2³¹ − 1 (prime), a, b, c secret per kind

Each term is reduced modulo M before it is added, so that no intermediate value leaves a
64-bit integer (PostgreSQL's bigint, SQLite's integer). Keys are ≥ 1, so a count of 0 has
a key sum of 0 and a count above 0 a key sum above 0.
"""

import functools

from django.conf import settings
from django.db.models import BigIntegerField, Count, F, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.crypto import salted_hmac

MODULUS = 2_147_483_647


@functools.cache
def coefficients(kind: str, secret: str) -> tuple[int, int, int]:
    """(a, b, c) of one kind of record (beneficiary, case, acte…), from the secret."""
    digest = salted_hmac("iscg.cell-key", kind, secret=secret).digest()
    a, b, c = (int.from_bytes(digest[i : i + 8], "big") % (MODULUS - 1) + 1 for i in (0, 8, 16))
    return a, b, c


def record_key(field: str, kind: str):
    """The key of the record ``field`` points to (its id), as a database expression."""
    a, b, c = coefficients(kind, settings.CELL_KEY_SECRET)
    x = Cast(F(field), BigIntegerField())
    m = Value(MODULUS)
    return ((x * x % m) * Value(a) % m + x * Value(b) % m + Value(c)) % m + Value(1)


def key_sum(field: str, kind: str, *, filter: Q, distinct: bool = False):  # noqa: A002
    """The sum of the keys of the records a ``Count(field, filter=…, distinct=…)``
    counts (0 when none)."""
    return Coalesce(
        Sum(record_key(field, kind), filter=filter, distinct=distinct),
        Value(0),
        output_field=BigIntegerField(),
    )


def key_sums(ctx, counted: dict) -> dict:
    """``{"<count>_key": key_sum(…)}`` for each count of a grouped read, when the context
    asks for keys (the live statistics of a masked scope); else nothing, so that a
    bilan's reads and frozen rows stay as they are. ``counted``: {count name: (field,
    kind, filter, distinct)}."""
    if not getattr(ctx, "keyed", False):
        return {}
    return {
        f"{name}_key": key_sum(field, kind, filter=where, distinct=distinct)
        for name, (field, kind, where, distinct) in counted.items()
    }


def period_counts(
    ctx,
    current: Q,
    previous: Q,
    *,
    kind: str,
    field: str = "pk",
    keyed: str | None = None,
    distinct: bool = False,
) -> dict:
    """``current`` and ``previous``: the counts of ``field`` in the period and the previous
    one, with their key sums (the keys of ``keyed``, by default ``field``) when the context
    asks for them."""
    keyed = keyed or field
    return {
        "current": Count(field, filter=current, distinct=distinct),
        "previous": Count(field, filter=previous, distinct=distinct),
        **key_sums(
            ctx,
            {
                "current": (keyed, kind, current, distinct),
                "previous": (keyed, kind, previous, distinct),
            },
        ),
    }


def keys_of(row: dict) -> dict:
    """The key sums a grouped row carries (as integers: PostgreSQL sums to numeric)."""
    return {name: int(value) for name, value in row.items() if name.endswith("_key")}


def as_keys(rows: list[dict], counts: set[str]) -> list[dict]:
    """The rows with each count replaced by its key sum: built into tables by the same
    code as the counts, they give every cell's key sum (a total is the sum of its rows,
    as the keys of the records it counts)."""
    swapped = []
    for row in rows:
        row = dict(row)
        kept = None
        for name in counts:
            if f"{name}_key" in row:
                row[name] = int(row[f"{name}_key"])
            elif isinstance(row.get(name), int) and row[name]:
                kept = kept if kept is not None else _kept_identity(row, counts)
                row[name] = _kept_key(kept, name, row[name])
        swapped.append(row)
    return swapped


def _kept_identity(row: dict, counts: set[str]) -> str:
    """What a kept row (reporting.retained) is: its group, never its counts."""
    return repr(sorted((k, v) for k, v in row.items() if k not in counts and "_key" not in k))


def _kept_key(identity: str, name: str, count: int) -> int:
    """The key of a count kept from anonymised files, whose records are gone: secret and
    spread over [1, M) like a record's (a fixed multiple of the count chose the same
    move for every such count, and could be inverted), and the same for the same row."""
    digest = salted_hmac(
        "iscg.cell-key.kept", f"{identity}|{name}|{count}", secret=settings.CELL_KEY_SECRET
    ).digest()
    return int.from_bytes(digest[:8], "big") % (MODULUS - 1) + 1
