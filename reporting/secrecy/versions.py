"""The data states of a post that the bilans a reader holds were computed from.

« Recalculer » computes a new version of a bilan from the data of the day; the earlier
one stays as it was, readable by whoever received it (and by the employer's manager in
any case). A reader of both compares them: a count that an entry made late changed is,
in the earlier version, another quantity than in the later one; a count that did not
change is the same quantity in both, so that a row masked in one and shown in the other
is known, and the earlier version's total gives the row it still masks by subtraction
(tests/reporting/test_secrecy_versions.py).

Other bilans were computed from one of those states too: the employer's, made the day of
a post's first version, counted that post as the first version did. Each bilan records
a digest of each post's rows (``Report.post_states``, reporting.indicators.states); two
bilans of the same period with the same digest for a post counted the same rows of it.

For each post, the states its bilans were computed from are related through the versions
of one series (same scope, kind and period) that were computed from different states:
the counts that differ between two versions are the counts the post's change may have
changed. Against the reference state (that of the bilan being protected, else of the
first bilan held that covers the post), every other state reached so has those counts
renamed for that post (``Publication.renamed``): the audit gives each its own unknown
(audit.build), the others staying shared. Sharing a count that happens to be equal gives
the reader more than they know, never less. A bilan whose state was not recorded has its
own. States that no version relates to the reference are named from the latest bilan's
among them, and share their counts with the reference (the employer's bilan made after
a post's second version, from its data, with both versions).
"""

from collections import deque

from reporting.secrecy.layout import layout

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


def _state(states: dict, post, own) -> tuple:
    """The state of ``post`` in a bilan: its recorded digest, else one of its own."""
    digest = states.get(str(post))
    return ("digest", digest) if digest else ("bilan", own)


def _differ(one, other) -> frozenset:
    """The quantities whose counts differ between two layouts (or that one lacks)."""
    a = dict(one.cells.values())
    b = dict(other.cells.values())
    return frozenset(q for q in a.keys() | b.keys() if a.get(q) != b.get(q))


def _changed(reference, edges: list) -> dict:
    """{state: quantities changed from ``reference``} of the states the ``edges``
    ([(state, state, quantities)]) reach from it, nearest first."""
    changed = {reference: frozenset()}
    pending = deque([reference])
    while pending:
        state = pending.popleft()
        for a, b, differ in edges:
            for here, there in ((a, b), (b, a)):
                if here == state and there not in changed:
                    changed[there] = changed[state] | differ
                    pending.append(there)
    return changed


def versions_apart(held: list, own: tuple) -> None:
    """Sets ``renamed`` on the publications of ``held`` ([(bilan, publication)], each
    bilan with ``pk``, ``version``, ``post_states`` and the series fields): for each
    post, the counts of a state other than the reference that a version relates to it.
    ``own``: (pk, series, posts, post states, figures) of the bilan being protected (pk
    None for one not saved yet): its states are the reference for its posts, its figures
    laid out only if a version of its series is held."""
    own_pk, own_series, own_posts, own_states, own_figures = own
    # (key, states, layout, posts) of the versions of each series held
    by_series: dict = {}
    for other, publication in held:
        by_series.setdefault(series_of(other), []).append(
            (other.pk, other.post_states or {}, publication.lay, publication.posts)
        )
    if own_series in by_series:
        by_series[own_series].append((own_pk, own_states, layout(own_figures), own_posts))
    # The versions computed from different data: (key, key, states, states, posts, differ)
    pairs = [
        (k1, k2, s1, s2, p1, _differ(l1, l2))
        for versions in by_series.values()
        for i, (k1, s1, l1, p1) in enumerate(versions)
        for k2, s2, l2, _ in versions[i + 1 :]
        if s1 != s2 or not s1
    ]
    covering: dict = {}  # post -> [(key, states)] of the bilans held that cover it
    for other, publication in held:
        for post in publication.posts or ():
            covering.setdefault(post, []).append((other.pk, other.post_states or {}))
    for post, bilans in covering.items():
        edges = [
            (a, b, differ)
            for k1, k2, s1, s2, posts, differ in pairs
            if posts and post in posts
            for a, b in [(_state(s1, post, k1), _state(s2, post, k2))]
            if a != b
        ]
        if not edges:
            continue
        # Each set of states the versions relate is named from one of them: the bilan
        # protected's own, else the latest bilan's; such sets share their counts.
        roots = [_state(states, post, key) for key, states in sorted(bilans, key=_latest)]
        if own_posts and post in own_posts:
            roots.insert(0, _state(own_states, post, own_pk))
        changed: dict = {}
        for root in roots:
            if root not in changed:
                changed |= _changed(root, edges)
        for other, publication in held:
            if publication.posts and post in publication.posts:
                state = _state(other.post_states or {}, post, other.pk)
                if changed.get(state):
                    publication.renamed = {**publication.renamed, post: (changed[state], state)}


def _latest(bilan: tuple) -> tuple:
    # Bilans are numbered in the order they were made.
    key, _ = bilan
    return (key is None, -(key or 0))
