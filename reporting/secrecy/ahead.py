"""The posts' bilans not made yet that the bilans sent give away, whatever this bilan
masks: left out of its protection (reporting.secrecy.protect), they publish nothing
unless their own audit passes when they are made."""

from reporting.secrecy.audit import Publication, audit


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
