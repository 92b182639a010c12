"""The versions of one bilan that a reader holds together.

« Recalculer » computes a new version of a bilan from the data of the day; the earlier
one stays as it was, readable by whoever received it (and by the employer's manager in
any case). A reader of both compares them: a count that an entry made late changed is,
in the earlier version, another quantity than in the later one; a count that did not
change is the same quantity in both, so that a row masked in one and shown in the other
is known, and the earlier version's total gives the row it still masks by subtraction
(tests/reporting/test_secrecy_versions.py).

The audit is given every version: for each series (one scope, kind and period), the
counts of the other versions that differ from the reference version's are renamed as
their own quantities (``as_version``); those that do not differ stay shared. Sharing a
count that happens to be equal gives the reader more than they know, never less.
"""

from reporting.secrecy.audit import Publication
from reporting.secrecy.layout import Layout

SERIES_FIELDS = (
    "kind",
    "period_start",
    "period_end",
    "scope_kind",
    "employer_id",
    "scope_post_id",
    "scope_unit_id",
)


def series_of(report) -> tuple:
    """What the versions of one bilan have in common (Report.objects.of_series)."""
    return tuple(getattr(report, name) for name in SERIES_FIELDS)


def _renamed(quantity: tuple, version: int) -> tuple:
    # The measure carries the version: the period stays a period for timeline's
    # relations, which then tie the renamed count to nothing of another version.
    period, key, label, measure = quantity
    return (period, key, label, (measure, "version", version))


def as_version(publication: Publication, reference: Layout, version: int) -> Publication:
    """``publication`` (an earlier or later version of the bilan whose layout is
    ``reference``) with its counts that differ from the reference's renamed."""
    counted = dict(reference.cells.values())
    lay = publication.lay
    own = {q for q, value in lay.cells.values() if counted.get(q) != value}
    if not own:
        return Publication(
            publication.figures, publication.hidden, publication.posts, lay=lay, other_version=True
        )

    def name(quantity):
        return _renamed(quantity, version) if quantity in own else quantity

    def relations(listed):
        return [
            (tuple((name(q), coef) for q, coef in terms), sense, rhs)
            for terms, sense, rhs in listed
        ]

    renamed = Layout(
        periods=lay.periods,
        partial_previous=lay.partial_previous,
        cells={cell: (name(q), value) for cell, (q, value) in lay.cells.items()},
        identities=relations(lay.identities),
        statements=relations(lay.statements),
        groups=lay.groups,
    )
    return Publication(
        publication.figures, publication.hidden, publication.posts, lay=renamed, other_version=True
    )


def versions_apart(held: list, own: tuple) -> list[Publication]:
    """The publications of ``held`` ([(bilan, publication)]), each version that is not
    the reference of its series renamed against it (``as_version``). The reference: the
    bilan being protected for its own series (``own``: (series, version, layout)), else
    the latest version held."""
    reference = {}
    for other, publication in held:
        key = series_of(other)
        if key not in reference or other.version > reference[key][0]:
            reference[key] = (other.version, publication.lay)
    series, version, lay = own
    if series in reference:
        reference[series] = (version, lay)
    result = []
    for other, publication in held:
        chosen_version, chosen = reference[series_of(other)]
        if chosen_version == other.version:
            result.append(publication)
        else:
            result.append(as_version(publication, chosen, other.version))
    return result
