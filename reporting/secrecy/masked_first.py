"""Cells a bilan masks from the start, before any audit, because bilans already sent
to the same recipients would give them away by a subtraction the audit would find one
linear program at a time (reporting.secrecy.protect)."""

from reporting.secrecy.audit import Publication
from reporting.secrecy.layout import THRESHOLD, Layout
from reporting.secrecy.solver import HIGH
from reporting.secrecy.timeline import inside, kind_of


def masked_in_periods_inside(lay: Layout, published, posts) -> set:
    """The cells whose count a bilan of a period inside this one's, and of some of its
    posts, masked: shown here, the other periods inside it shown would give the masked
    one by subtraction (the quarter minus two of its months). Masked from the start
    rather than found by the audit: a quarter protected after its posts' months had
    hundreds of such cells, whose first audit took 35 s of the 43 s."""
    masked: dict = {}  # (table, row, measure) -> periods where it is masked
    for other in published:
        if other.anticipated or not (other.posts is None or posts is None or other.posts <= posts):
            continue
        apart = other.apart()
        for cell in other.hidden:
            if cell in other.lay.cells and other.lay.cells[cell][0] not in apart:
                period, key, label, measure = other.lay.cells[cell][0]
                masked.setdefault((key, label, measure), set()).add(period)
    found = set()
    for cell, ((period, key, label, measure), _) in lay.cells.items():
        # People too, though a subtraction does not give them: masked here, they spare
        # the audit its rounds (the département's first quarter after its posts' months,
        # 2026-12-05: 6.4 s and 869 cells masked; 73.3 s and 954 with additive counts only).
        if kind_of(key, label) == "none":
            continue
        periods = masked.get((key, label, measure), ())
        if any(p != period and inside(p, period) for p in periods):
            found.add(cell)
    return found


def _lower_bounds(publication: Publication) -> dict:
    """{quantity: least value} a reader knows of each count of the bilan on its own: a
    shown count, or a listed row's (a commune listed has at least one person)."""
    lay = publication.lay
    bounds = {q: 0 for q, _ in lay.cells.values()}
    for terms, sense, rhs in lay.statements:
        if sense == "ge" and len(terms) == 1 and terms[0][1] == 1:
            bounds[terms[0][0]] = max(bounds.get(terms[0][0], 0), rhs)
    for cell, (quantity, value) in lay.cells.items():
        if cell not in publication.hidden:
            bounds[quantity] = value
    return bounds


def left_to_one_post(lay: Layout, hidden: set, published, posts) -> set:
    """The shown counts from which the least counts of all the posts' bilans but one
    leave that post's masked count of 1 or 2 below the threshold: the employer's commune
    counted 4, listed by three of its posts (one person each at least), gives the third
    at most 2. Masked from the start rather than found by the audit: an employer's
    annual bilan with its posts' bilans counted ahead had 554 such cells in an audit, one
    linear program each (2026-12-06, national base, 25 s of 35 s; 2,489 programs and
    4 min for another employer)."""
    if posts is None:
        return set()
    least: dict = {}  # quantity -> {post: least value}
    protected: dict = {}  # quantity -> posts where it is a masked count of 1 or 2
    for other in published:
        if other.posts is None or len(other.posts) != 1 or not other.posts < posts:
            continue
        (post,) = other.posts
        bounds = _lower_bounds(other)
        apart = other.apart()
        for cell, (quantity, value) in other.lay.cells.items():
            if quantity in apart:
                continue
            seen = least.setdefault(quantity, {})
            seen[post] = max(seen.get(post, 0), bounds.get(quantity, 0))
            if cell in other.hidden and 0 < value < THRESHOLD:
                protected.setdefault(quantity, set()).add(post)
    found = set()
    for cell, (quantity, value) in lay.cells.items():
        if cell in hidden or quantity not in protected:
            continue
        others = least[quantity]
        total = sum(others.values())
        if any(value - (total - others[post]) < HIGH for post in protected[quantity]):
            found.add(cell)
    return found
