"""The figures of the live dashboard, computed at most once a minute per view.

The dashboard recomputes every indicator of a scope (about ten queries over the posts'
files, referrals and actes): a few hundred milliseconds for a département. Its users
(workers, employers) look at quarters and years, in which one more acte changes a count
by one: each (scope, period, masking) is computed once and kept ``LIVE_SECONDS`` in the
cache; the page says when its figures were computed and offers to recompute them now.

The cache holds aggregated figures only (masked unless the viewer works on the post),
never a name, and is read only after the form has checked that the user may see the
scope.
"""

import hashlib
import json

from django.core.cache import cache
from django.utils import timezone

from reporting import indicators
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy import mask_figures

LIVE_SECONDS = 60


def _key(scope: Scope, period: Period, masked: bool) -> str:
    described = [
        scope.kind,
        scope.department_id,
        scope.employer_id,
        scope.post_id,
        scope.unit_id,
        period.start.isoformat(),
        period.end.isoformat(),
        masked,
    ]
    return "live-figures:" + hashlib.sha256(json.dumps(described).encode()).hexdigest()


def live_figures(*, scope: Scope, period: Period, masked: bool, refresh: bool = False):
    """(figures, computed_at): from the cache if computed less than a minute ago (unless
    ``refresh``), else computed now, masked when asked, and kept."""
    key = _key(scope, period, masked)
    if not refresh:
        kept = cache.get(key)
        if kept is not None:
            return kept["figures"], kept["computed_at"]
    figures = indicators.compute(scope, period)
    if masked:
        figures = mask_figures(figures)
    computed_at = timezone.now()
    cache.set(key, {"figures": figures, "computed_at": computed_at}, LIVE_SECONDS)
    return figures, computed_at
