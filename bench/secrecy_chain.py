"""The secrecy of a year of quarterly bilans, made quarter after quarter.

Each quarter's bilan shows the quarter before it in its previous-period column: that
column is the period column of the previous quarter's bilans, so a recipient reads the
same counts in two bilans, masked perhaps in one and not the other. This measures the
four quarterly bilans of last year of the département, its employers and its posts,
made top-down in each quarter as ``report_create`` makes them (the previous-period column
carried from the bilan of the quarter before: reporting.secrecy.continuity), each
protected as ``report_protect`` does (with the bilans already made of its quarter, of the
quarter before, and of the quarters before that still tied to it, and the posts' bilans
not made yet anticipated), then audited all together as the préfecture holds them at the
year's end.
"""

import datetime
import time

from iscg.models import Employer, Post
from reporting import indicators
from reporting.periods import quarter_of
from reporting.scope import Scope
from reporting.secrecy import Publication, audit, protect
from reporting.secrecy.continuity import carry_previous, sealed
from reporting.secrecy.reports import posts_ahead


def _scopes(department_id: int) -> tuple[list[Scope], list[Post]]:
    scopes = [Scope.for_department(department_id)]
    employers = Employer.objects.filter(department_id=department_id, posts__isnull=False)
    scopes += [Scope.for_employer(e) for e in employers.distinct().order_by("pk")]
    posts = list(Post.objects.filter(employer__department_id=department_id).order_by("pk"))
    scopes += [Scope.for_post(p) for p in posts]
    return scopes, posts


def _source(publication: Publication | None) -> tuple:
    if publication is None:
        return None, set()
    return publication.figures, publication.hidden


def anticipated(scope_posts, joined, period, by_id, last_of) -> list[Publication]:
    """The posts' bilans of ``period`` not made yet, masked whole, as
    ``anticipated_publications`` computes them: ``joined``, the posts' sets of the bilans
    of that period already made; ``last_of(scope)``, a post's bilan of the period before."""
    ahead = []
    for pk in posts_ahead(scope_posts, joined):
        scope = Scope.for_post(by_id[pk])
        figures = indicators.compute(scope, period)
        carry_previous(figures, *_source(last_of(scope)))
        ahead.append(Publication(figures, set(), posts=frozenset({pk}), anticipated=True))
    return ahead


def _tied(quarters_published: list[list[Publication]]) -> list[Publication]:
    """The bilans of the quarters before that a bilan's audit takes, as
    related_publications does: the quarter before, and each earlier one as long as a bilan
    of the quarter after it is not sealed."""
    tied, open_link = [], True
    for index, published in enumerate(reversed(quarters_published)):
        if index > 0 and not open_link:
            break
        tied += published
        open_link = any(not sealed(p.figures) for p in published)
    return tied


def quarterly_chain_costs(department_id: int, quarters_made: int = 4) -> dict:
    year = datetime.date.today().year - 1
    months = (1, 4, 7, 10)[:quarters_made]
    quarters = [quarter_of(datetime.date(year, month, 1)) for month in months]
    scopes, posts = _scopes(department_id)
    members = {s: frozenset(s.post_ids().values_list("pk", flat=True)) for s in scopes}
    everything, times, refused, masked, joined = [], [], 0, 0, []
    quarters_published: list[list[Publication]] = []
    last: dict = {}  # scope -> its bilan of the quarter before (made and published)
    by_id = {post.pk: post for post in posts}
    for quarter in quarters:
        current: list[Publication] = []
        for scope in scopes:
            figures = indicators.compute(scope, quarter)
            carry_previous(figures, *_source(last.get(scope)))
            ahead = anticipated(
                members[scope], [p.posts for p in current], quarter, by_id, last.get
            )
            if not sealed(figures):  # its previous-period column computed afresh
                before_posts = [p.posts for p in (quarters_published or [[]])[-1]]
                ahead += anticipated(
                    members[scope], before_posts, quarter.previous(), by_id, lambda _: None
                )
            before = _tied(quarters_published)
            joined.append(len(before) + len(current))
            started = time.perf_counter()
            hidden, findings = protect(
                figures, published=before + current + ahead, posts=members[scope]
            )
            times.append(time.perf_counter() - started)
            refused += bool(findings)
            if not findings:
                current.append(Publication(figures, hidden, posts=members[scope]))
                last[scope] = current[-1]
                masked += len(hidden)
            else:
                last.pop(scope, None)
        everything += current
        quarters_published.append(current)
    started = time.perf_counter()
    left = audit(everything)
    return {
        "year": year,
        "bilans": len(quarters) * len(scopes),
        "published": len(everything),
        "refused": refused,
        "cells_masked": masked,
        "cells_published": sum(len(p.lay.cells) for p in everything),
        "protect_total_s": round(sum(times), 2),
        "protect_max_s": round(max(times), 2),
        "protect_each_s": [round(t, 2) for t in times],
        "joint_audit_s": round(time.perf_counter() - started, 2),
        # How many bilans each protection was audited with (the chain it is tied to).
        "joined_each": joined,
        "unprotected": len(left),
        # (bilan, cell, value, interval) of the first cells a reader can narrow.
        "unprotected_first": [
            [f.publication, list(f.cell), f.value, round(f.low, 2), round(f.high, 2)]
            for f in left[:8]
        ],
    }
