"""Which rows an open sum holds (layout.Layout.open_sums): every row but some, or the
communes of a département, or those of the others, told by their INSEE code."""

import re

from reporting.indicators.territory import department_of

CODE = re.compile(r"\((\w{5})\)$")
# ("except", labels), ("only", labels), or the communes whose code is ("in", prefix) or
# is not ("out", prefix) of a département.
EVERY_ROW = ("except", frozenset())
UNKNOWN_ROW = ("only", frozenset({"Commune non renseignée"}))


def selects(rows: tuple, label) -> bool:
    """Whether an open sum's ``rows`` include the row ``label``."""
    kind, value = rows
    if kind == "except":
        return label not in value
    if kind == "only":
        return label in value
    match = CODE.search(label or "")
    return bool(match) and (department_of(match.group(1)) == value) == (kind == "in")


def department_prefix(amounts: dict, inside: int) -> str | None:
    """The code prefix whose communes (``amounts``: {label: count}) add up to « dans le
    département » (``inside``)."""
    by_prefix: dict = {}
    for label, amount in amounts.items():
        match = CODE.search(label)
        if match:
            prefix = department_of(match.group(1))
            by_prefix[prefix] = by_prefix.get(prefix, 0) + amount
    return next((p for p in sorted(by_prefix) if by_prefix[p] == inside), None)
