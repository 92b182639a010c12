"""Each post's data as a bilan froze it: a short digest of the post's grouped rows.

A bilan's readers may hold another bilan covering the same post for the same period,
computed on another day: the employer's, frozen the day of a post's first version, and
that post's second version, computed after two people's commune was corrected. The
statistical secrecy must know which of the bilans it audits share a post's counts and
which do not (reporting.secrecy.versions): two bilans of one period with the same digest
for a post counted that post's same rows.

The digest of a post is the same whatever the bilan's scope: a post's own bilan digests
its rows; a bilan of several posts reads its rows grouped by post too (one more read of
each source, ``Context.by_post``) and digests each post's.
"""

import hashlib
import json

from reporting.indicators.base import SOURCES, Context
from reporting.periods import Period
from reporting.scope import Scope


def digest(rows_by_source: dict[str, list[dict]]) -> str:
    """The digest of one post's grouped rows ({source: [row]}), whatever their order."""
    canonical = [
        (name, sorted(json.dumps(row, sort_keys=True, default=str) for row in rows))
        for name, rows in sorted(rows_by_source.items())
        if rows
    ]
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()[:16]


def post_states(scope: Scope, period: Period, ctx: Context) -> dict[str, str]:
    """{post id: digest} of the scope's posts, ``ctx`` being the context the bilan's
    figures were computed with (its rows are reused for a post's own bilan)."""
    posts = ctx.post_ids
    if len(posts) == 1:
        return {str(posts[0]): digest(ctx.sources())}
    split = Context(scope=scope, period=period, by_post=True)
    split.__dict__["post_ids"] = posts  # the same posts, read once
    by_post: dict = {post: {} for post in posts}
    for name in SOURCES:
        for row in split.source(name):
            row = dict(row)
            by_post[row.pop("post")].setdefault(name, []).append(row)
    return {str(post): digest(by_post[post]) for post in posts}
