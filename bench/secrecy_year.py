"""The secrecy of a year of bilans of nested periods: each post's monthly bilans, the
quarterly bilans and the annual ones of the département, its employers and its posts.

The préfecture holds them all at the year's end: a quarter's actes are its months' added
up, so a month masked in its own bilan is the quarter minus the two others, unless the
quarter's bilan was protected with its months' (reporting.secrecy.timeline). This makes
the year's bilans in calendar order as ``report_create`` makes them (previous-period
column carried, posts without a bilan anticipated), each protected with the bilans
``tied`` to it: ``"nested"`` as ``related_publications`` does (every period nested in its
own), ``"exact"`` as it did before (the bilans of its period and of its previous period
only); then audits them all together, the sums over periods included.
"""

import datetime
import time

from bench.secrecy_chain import _scopes, _source, anticipated
from reporting import indicators
from reporting.periods import Period, quarter_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, protect
from reporting.secrecy.continuity import carry_previous, sealed
from reporting.secrecy.timeline import tied_periods


def _spans(figures: dict) -> tuple:
    period, previous = figures["period"], figures["previous_period"]
    return (period["start"], period["end"]), (previous["start"], previous["end"])


def _tied(figures: dict, made: list, source, tie: str) -> list[Publication]:
    current, previous = _spans(figures)
    if tie == "exact":
        return [p for p in made if {current, previous} & set(_spans(p.figures))]
    others = {i: (*_spans(p.figures), sealed(p.figures)) for i, p in enumerate(made)}
    index = next((i for i, p in enumerate(made) if p is source), None)
    keys = tied_periods(current, previous, sealed(figures), others, source=index)
    return [made[i] for i in sorted(keys)]


def _months(year: int) -> list[Period]:
    firsts = [datetime.date(year, m, 1) for m in range(1, 13)]
    ends = [*(d - datetime.timedelta(days=1) for d in firsts[1:]), datetime.date(year, 12, 31)]
    return [Period(a, b) for a, b in zip(firsts, ends, strict=True)]


def year_costs(department_id: int, tie: str = "nested") -> dict:
    year = datetime.date.today().year - 1
    scopes, posts = _scopes(department_id)
    members = {s: frozenset(s.post_ids().values_list("pk", flat=True)) for s in scopes}
    by_id = {post.pk: post for post in posts}
    made: list[Publication] = []
    last: dict = {}  # (scope, kind) -> its bilan of the period before
    times: dict = {"monthly": [], "quarterly": [], "annual": []}
    joined: dict = {"monthly": [], "quarterly": [], "annual": []}
    refused = masked = 0

    def make(scope, period, kind, same_period):
        nonlocal refused, masked
        figures = indicators.compute(scope, period)
        source = last.get((scope, kind))
        carry_previous(figures, *_source(source))

        def last_of(post_scope):
            return last.get((post_scope, kind))

        joined_now = [p.posts for p in same_period]
        ahead = anticipated(members[scope], joined_now, period, by_id, last_of)
        if not sealed(figures):  # its previous-period column computed afresh
            earlier = period.previous()
            joined_before = [p.posts for p in made if _spans(p.figures)[0] == _spans(figures)[1]]
            ahead += anticipated(members[scope], joined_before, earlier, by_id, lambda _: None)
        before = _tied(figures, made, source, tie)
        joined[kind].append(len(before))
        started = time.perf_counter()
        hidden, findings = protect(figures, published=before + ahead, posts=members[scope])
        times[kind].append(time.perf_counter() - started)
        if findings:
            refused += 1
            last.pop((scope, kind), None)
            return
        publication = Publication(figures, hidden, posts=members[scope])
        made.append(publication)
        same_period.append(publication)
        last[(scope, kind)] = publication
        masked += len(hidden)

    post_scopes = [Scope.for_post(p) for p in posts]
    for month in _months(year):
        same: list = []
        for scope in post_scopes:
            make(scope, month, "monthly", same)
        if month.end.month % 3 == 0:
            same = []
            for scope in scopes:
                make(scope, quarter_of(month.start), "quarterly", same)
    same = []
    for scope in scopes:
        make(scope, Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31)), "annual", same)
    started = time.perf_counter()
    left = audit(made)
    return {
        "year": year,
        "tie": tie,
        "bilans": sum(len(t) for t in times.values()),
        "published": len(made),
        "refused": refused,
        "cells_masked": masked,
        "cells_published": sum(len(p.lay.cells) for p in made),
        "protect_s": {k: round(sum(t), 1) for k, t in times.items()},
        "protect_max_s": {k: round(max(t), 2) for k, t in times.items() if t},
        "joined_max": {k: max(j) for k, j in joined.items() if j},
        "joint_audit_s": round(time.perf_counter() - started, 2),
        "unprotected": len(left),
        "unprotected_first": [
            [f.publication, list(f.cell), f.value, round(f.low, 2), round(f.high, 2)]
            for f in left[:8]
        ],
    }
