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

Not modelled: a bilan of another series frozen with an earlier version's data (the
employer's, made the day of a post's first version) is tied to the latest version's
data, as every bilan made on different days is (test_secrecy_versions.py, xfail).
"""

from dataclasses import replace

from reporting.secrecy.audit import Publication
from reporting.secrecy.layout import Layout, layout

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


def _renamed(quantity: tuple, bilan: int) -> tuple:
    # The measure carries the bilan (its id: two series' first versions, computed on
    # different days, are not one count): the period stays a period for timeline's
    # relations, which then tie the renamed count to nothing of another bilan.
    period, key, label, measure = quantity
    return (period, key, label, (measure, "version", bilan))


def as_version(publication: Publication, reference: Layout, bilan: int) -> Publication:
    """``publication`` (bilan ``bilan``, an earlier or later version of the bilan whose
    layout is ``reference``) with its counts that differ from the reference's renamed."""
    counted = dict(reference.cells.values())
    lay = publication.lay
    own = {q for q, value in lay.cells.values() if counted.get(q) != value}
    if not own:
        return replace(publication, other_version=True)

    def name(quantity):
        return _renamed(quantity, bilan) if quantity in own else quantity

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
    return replace(publication, lay=renamed, other_version=True)


def versions_apart(held: list, own: tuple) -> list[Publication]:
    """The publications of ``held`` ([(bilan, publication)]), each version that is not
    the reference of its series renamed against it (``as_version``). The reference: the
    bilan being protected for its own series (``own``: (series, version, figures); laid
    out only if an earlier version of it is held), else the latest version held."""
    reference = {}
    for other, publication in held:
        key = series_of(other)
        if key not in reference or other.version > reference[key][0]:
            reference[key] = (other.version, publication.lay)
    series, version, figures = own
    if series in reference:
        reference[series] = (version, layout(figures))
    result = []
    for other, publication in held:
        chosen_version, chosen = reference[series_of(other)]
        if chosen_version == other.version:
            result.append(publication)
        else:
            result.append(as_version(publication, chosen, other.pk))
    return result
