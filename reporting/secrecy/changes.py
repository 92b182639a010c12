"""What a post's data changed between two bilans of one period, told when a bilan is
protected.

The employer's bilan made after a correction of post A's rows, A's own bilan made
before it: the two count A from different rows (their digests, Report.post_states,
differ) and no version of a series relates them (reporting.secrecy.versions). Tied in
the audit, the employer's counts were A's bilan's plus the other posts' (a count that
went down made the program infeasible and the employer's bilan was refused); set apart
whole, a reader who takes the unchanged counts as unchanged would go unseen. When the
bilan is protected, each such post's own bilan is computed from today's data, which the
bilan being protected counted (same digest): the counts that differ from the post's
bilan held are the counts the correction changed. They are recorded with the bilan
(``audit_report["state_changes"]``), for the bilans protected after it.
"""

from iscg.models import Post
from reporting import indicators
from reporting.scope import Scope, ScopeKind
from reporting.secrecy.layout import layout
from reporting.secrecy.versions import differ


def stored_changes(held: list) -> list[tuple]:
    """(post, digest, digest, quantities) recorded by the bilans held."""
    found = []
    for other, _ in held:
        for post, a, b, quantities in (other.audit_report or {}).get("state_changes") or ():
            found.append((post, a, b, frozenset(_quantity(q) for q in quantities)))
    return found


def _quantity(stored: list) -> tuple:
    period, key, label, measure = stored
    return (tuple(period), key, label, measure)


def post_changes(report, held: list) -> list[tuple]:
    """(post, digest, digest, quantities) of the posts of ``report`` (a bilan of several
    posts) whose own bilan of the same period held was computed from other rows."""
    own = report.post_states or {}
    if report.scope_kind == ScopeKind.POST or not own:
        return []
    span = (str(report.period_start), str(report.period_end))
    theirs: dict = {}  # post -> {digest: figures of its own bilan}
    for other, publication in held:
        if other.scope_kind != ScopeKind.POST:
            continue
        key = str(other.scope_post_id)
        digest = (other.post_states or {}).get(key)
        same_period = (str(other.period_start), str(other.period_end)) == span
        if same_period and key in own and digest and digest != own[key]:
            theirs.setdefault(key, {}).setdefault(digest, publication.figures)
    # What the request that made the bilan was told, if it left the bilan to the task
    # that makes its PDF (reporting.secrecy.reports): (post, digest, digest) -> counts.
    told_before = {(post, a, b): q for post, a, b, q in stored_changes([(report, None)])}
    found = []
    for key, states in sorted(theirs.items()):
        now = _post_bilan_today(report, int(key))
        if now is None or now[0] != own[key]:
            # Changed again since the bilan was computed: today's rows are not the ones
            # it counted; what was told when it was computed, if anything, still holds.
            found += [
                (int(key), own[key], digest, told_before[(int(key), own[key], digest)])
                for digest in sorted(states)
                if (int(key), own[key], digest) in told_before
            ]
            continue
        today = layout(now[1])
        for digest, figures in sorted(states.items()):
            found.append((int(key), own[key], digest, differ(today, layout(figures))))
    return found


def _post_bilan_today(report, post: int):
    """(digest, figures) of the post's own bilan of the bilan's period as it would be
    frozen today (its previous-period column carried as a bilan's)."""
    # Loaded on first use: reports imports related, which imports this module.
    from reporting.secrecy.reports import as_post_bilan

    post_row = Post.objects.select_related("employer").get(pk=post)
    figures, _sources, states = indicators.compute_with_sources(
        Scope.for_post(post_row), report.period
    )
    return states.get(str(post)), as_post_bilan(report, post_row, report.period, figures)


def as_stored(changes: list[tuple]) -> list[list]:
    """``post_changes`` as JSON, for ``audit_report["state_changes"]``."""
    return [
        [post, a, b, sorted(([list(q[0]), *q[1:]] for q in quantities), key=repr)]
        for post, a, b, quantities in changes
    ]
