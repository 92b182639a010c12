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


def differ(one, other) -> frozenset:
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


def _when(bilan) -> tuple:
    # Bilans are numbered in the order they were made; computed_at says when.
    return (
        getattr(bilan, "computed_at", None) is None,
        getattr(bilan, "computed_at", None),
        bilan.pk or 0,
    )


def _states(held: list, own: tuple) -> dict:
    """{(bilan key, post): state} of every bilan held and the one protected: the digest
    recorded; for a post's own bilan frozen before digests were, a state of its own; for
    a bilan of several posts frozen before, the state of the post's bilan of the same
    period made last before it (else first after): the employer's bilan made the day of
    a post's first version counted the post as that version did."""
    own_pk, _, own_posts, own_states, _ = own
    states: dict = {}
    unknown = []
    for key, recorded, posts, bilan in [
        *((other.pk, other.post_states or {}, p.posts or (), other) for other, p in held),
        (own_pk, own_states or {}, own_posts or (), None),
    ]:
        for post in posts:
            digest = recorded.get(str(post))
            if digest:
                states[(key, post)] = ("digest", digest)
            elif len(posts) == 1 or bilan is None:
                states[(key, post)] = ("bilan", key)
            else:
                unknown.append((bilan, post))
    for bilan, post in unknown:
        span = (bilan.period_start, bilan.period_end)
        known = sorted(
            (
                other
                for other, p in held
                if p.posts
                and post in p.posts
                and (other.pk, post) in states
                and (other.period_start, other.period_end) == span
            ),
            key=_when,
        )
        before = [o for o in known if _when(o) <= _when(bilan)]
        chosen = before[-1] if before else (known[0] if known else None)
        states[(bilan.pk, post)] = states[(chosen.pk, post)] if chosen else ("bilan", bilan.pk)
    return states


def _pair(a, b) -> tuple:
    return (a, b) if repr(a) < repr(b) else (b, a)


def _edges(by_series: dict, state: dict, changes) -> dict:
    """{post: {(state, state): quantities}}: the counts that differ between two states of
    a post, as the versions of a series computed from them tell (every pair of versions
    between two states) and as its own bilans told (``changes``)."""
    edges: dict = {}

    def add(post, a, b, quantities):
        found = edges.setdefault(post, {})
        pair = _pair(a, b)
        found[pair] = found.get(pair, frozenset()) | quantities

    several = []  # ({post: (state, state)}, quantities) of versions where several changed
    for versions in by_series.values():
        for i, (k1, l1, posts) in enumerate(versions):
            for k2, l2, _ in versions[i + 1 :]:
                moved = {}
                for post in posts:
                    a, b = state.get((k1, post)), state.get((k2, post))
                    if a is not None and b is not None and a != b:
                        moved[post] = (a, b)
                if len(moved) == 1:
                    ((post, (a, b)),) = moved.items()
                    add(post, a, b, differ(l1, l2))
                elif moved:
                    several.append((moved, differ(l1, l2)))
    for post, a, b, quantities in changes:
        add(post, ("digest", a), ("digest", b), quantities)
    # Several posts changed between two versions: their scope's difference is the sum of
    # theirs, where two changes may cancel (post A's X down by one, post B's up by one:
    # the employer's X the same). Each post's changes include what the others' own
    # bilans tell they changed (a count of B that did not change in the employer's, where
    # A's changed, changed in B's too).
    # A post's own change between two states may be told along a path of its states
    # only (a0 -> a1 by its versions, a1 -> a2 by its bilan of today): its union.
    told = {post: [(a, b, q) for (a, b), q in found.items()] for post, found in edges.items()}

    def path(post, a, b):
        return _changed(a, told.get(post, [])).get(b)

    for moved, quantities in several:
        tells = [path(o, *ab) for o, ab in moved.items()]
        for post, (a, b), own in zip(moved, moved.values(), tells, strict=True):
            # Its own bilans tell its change exactly: not the others' besides.
            if own is None:
                add(post, a, b, quantities.union(*(q for q in tells if q)))
    return edges


def versions_apart(held: list, own: tuple, changes=()) -> None:
    """Sets ``renamed`` on the publications of ``held`` ([(bilan, publication)], each
    bilan with ``pk``, ``computed_at``, ``post_states`` and the series fields): for
    each post, the counts of a state other than the reference that a version relates to
    it. ``own``: (pk, series, posts, post states, figures) of the bilan being protected
    (pk None for one not saved yet): its states are the reference for its posts, its
    figures laid out only if a version of its series is held. ``changes``: (post, digest,
    digest, quantities) that a post's own bilans told apart (reporting.secrecy.changes)."""
    own_pk, own_series, own_posts, own_states, own_figures = own
    state = _states(held, own)
    # (key, layout, posts) of the versions of each series held
    by_series: dict = {}
    for other, publication in held:
        by_series.setdefault(series_of(other), []).append(
            (other.pk, publication.lay, publication.posts or frozenset())
        )
    if own_series in by_series:
        by_series[own_series].append((own_pk, layout(own_figures), own_posts or frozenset()))
    edges = _edges(by_series, state, changes)
    for post, pairs in edges.items():
        # Each set of states the versions relate is named from one of them: the bilan
        # protected's own, else the latest bilan's; such sets share their counts.
        covering = sorted(
            (other for other, p in held if p.posts and post in p.posts), key=_when, reverse=True
        )
        roots = [state[(other.pk, post)] for other in covering]
        if own_posts and post in own_posts:
            roots.insert(0, state[(own_pk, post)])
        changed: dict = {}
        for root in roots:
            if root not in changed:
                changed |= _changed(root, [(a, b, q) for (a, b), q in pairs.items()])
        for other, publication in held:
            if publication.posts and post in publication.posts:
                mine = state[(other.pk, post)]
                if changed.get(mine):
                    publication.renamed = {**publication.renamed, post: (changed[mine], mine)}
