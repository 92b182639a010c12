"""The posts' bilans not made yet that the bilans sent give away, whatever this bilan
masks: they will be refused when made (a bilan publishes nothing unless its own audit
passes), so they are anticipated as refused (reporting.secrecy.protect): no row listed,
their counts protected but for those the bilans sent give away."""

from dataclasses import replace

from reporting.secrecy.audit import Publication, audit
from reporting.secrecy.deadline import check
from reporting.secrecy.layout import DATA_ROWS


def given_away_ahead(published: list[Publication]) -> list[set]:
    """Sets of positions in ``published`` of bilans not made yet (anticipated) of which
    the others give a cell away, fewest first: whatever this bilan masks, those bilans
    will be refused if made as they stand (their rows, each counting someone, and what
    was sent bound them: a quarter made after its year)."""
    found = _ahead_found(published)
    everyone = set(found)
    if len(found) < 2:
        return [everyone] if everyone else []
    # Given away by the bilans sent alone, or only with other bilans not made yet counted
    # as sent? The former are sure to be refused. Of the latter, as few as will do are
    # left out, one at a time (the one whose cells are found most): a post's November
    # given away with its third quarter to come is published if that quarter is never
    # made (bench year_late, 2026-12-07: refused once left out with it, 22 of 24).
    sent = [p for p in published if not p.anticipated]
    left = {i for i in sorted(found) if _ahead_found([*sent, published[i]])}
    rest = [i for i in range(len(published)) if i not in left]
    if left:
        found = _ahead_found([published[i] for i in rest])
    while found:
        most = max(sorted(found), key=found.get)
        left.add(rest.pop(most))
        found = _ahead_found([published[i] for i in rest])
    return [left] if left >= everyone else [left, everyone | left]


def _ahead_found(published: list[Publication]) -> dict:
    """{position: cells found} of the bilans not made yet of which the audit finds cells."""
    found: dict = {}
    for f in audit(published):
        if f.publication >= 0 and published[f.publication].anticipated:
            found[f.publication] = found.get(f.publication, 0) + 1
    return found


# Rounds of ``forego_given_away``: each foregoes at least one more quantity.
FOREGO_ROUNDS = 20


def as_refused(publication: Publication) -> Publication:
    """``refused_bilan`` of an anticipated bilan (itself if it already is one)."""
    if publication.refused:
        return publication
    return refused_bilan(publication.figures, publication.posts)


def refused_bilan(figures: dict, posts: frozenset) -> Publication:
    """A bilan not made yet that the bilans sent give away, as it will be published:
    refused, it shows no count and lists no row; its counts are still protected."""
    keys = {t["key"] for s in figures.get("sections", []) for t in s["tables"]}
    refused = Publication(
        figures,
        hidden=set(),
        posts=posts,
        anticipated=True,
        refused=True,
        withheld=frozenset(keys & DATA_ROWS),
    )
    # Nor does it state anything its figures would show (a median, a row listed): only
    # what holds between its counts whatever is published (a total is its rows).
    refused.lay.statements.clear()
    return refused


def forego_given_away(published: list[Publication], deadline=None) -> tuple[list, list]:
    """``published`` with each refused bilan's ``foregone``: the quantities an audit of
    the bilans sent and to come alone still finds in it (never with the bilan being
    protected, whose own rows may be what narrows them: those it must protect), which
    no mask can protect now; and those findings, numbered as in ``published``."""
    published, given = list(published), []
    for _ in range(FOREGO_ROUNDS):
        found = [
            f for f in audit(published) if f.publication >= 0 and published[f.publication].refused
        ]
        check(deadline)
        if not found:
            break
        given += found
        for finding in found:
            other = published[finding.publication]
            quantity = other.lay.cells[finding.cell][0]
            published[finding.publication] = replace(
                other, foregone=other.foregone | {quantity}, hidden=set(), lay=other.lay
            )
    return published, given
