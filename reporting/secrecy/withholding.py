"""Tables withheld: a bilan that its own rows would give away, published without them.

A bilan made after others can only mask its own cells, and masked whole it still lists
the rows of its tables of rows: a commune listed says that someone of its scope lives
there. With the bilans already sent, that alone may bound a count of 1 or 2 (a post's
fourth quarter listing a commune beside its annual bilan showing 3 there, and its first
three quarters listing it too: each at most 1). Refusing the whole bilan then withheld
every figure for the rows of one table. Such a table is withheld instead: masked whole,
« s » for each of its counts and no row listed (as the live statistics withhold a
table), when the audit then passes; the fewest such tables, the others listed.

The audit still counts a withheld table's rows (Publication.withheld): the other tables
and bilans add up to them, and a reader bounds them so; only a row is no longer said to
count someone, nor a row absent to count nobody.
"""

from reporting.secrecy.audit import Publication, audit
from reporting.secrecy.layout import DATA_ROWS, tables_of


def withheld_tables(report) -> frozenset:
    """The tables a stored bilan publishes masked whole, their rows not listed."""
    return frozenset((report.audit_report or {}).get("withheld") or ())


def tables_to_withhold(figures: dict, published: list, posts) -> frozenset | None:
    """The fewest tables of rows of ``figures`` whose rows, not listed, leave nothing
    the audit finds with the ``published`` bilans when every count is masked; None if
    withholding every such table is not enough."""
    listed = sorted(
        key for key, table in tables_of(figures).items() if key in DATA_ROWS and table["rows"]
    )
    if not listed:
        return None

    def passes(tables) -> bool:
        me = Publication(figures, hidden=set(), posts=posts, withheld=frozenset(tables))
        me.hidden = set(me.lay.cells)
        return not audit([me, *published])

    if not passes(listed):
        return None
    withheld = set(listed)
    # Listed again one at a time, kept listed if the audit still passes.
    for key in listed:
        if len(withheld) > 1 and passes(withheld - {key}):
            withheld.discard(key)
    return frozenset(withheld)
