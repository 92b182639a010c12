"""The figures of the live dashboard, computed at most once a minute per view.

The dashboard recomputes every indicator of a scope (about ten queries over the posts'
files, referrals and actes): a few hundred milliseconds for a département. Its users
(workers, employers) look at quarters and years, in which one more acte changes a count
by one: each (scope, period, masking) is computed once and kept ``LIVE_SECONDS`` in the
cache; the page says when its figures were computed and offers to recompute them now.

The page's figures are kept rendered (key figures, tables and charts): a page read from
the cache only renders its form. The cache holds aggregated figures only (masked unless
the viewer works on the post), never a name, and is read only after the form has checked
that the user may see the scope.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from reporting import indicators
from reporting.charts import add_chart_uris
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy import LEGEND, mask_figures

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


@dataclass(frozen=True)
class LiveFigures:
    figures: dict  # masked when asked, with their charts
    computed_at: datetime.datetime
    sections_html: str  # the key figures, tables and charts, rendered once


def live_figures(
    *, scope: Scope, period: Period, masked: bool, refresh: bool = False
) -> LiveFigures:
    """From the cache if computed less than a minute ago (unless ``refresh``), else
    computed now, masked when asked, rendered and kept."""
    key = _key(scope, period, masked)
    if not refresh:
        kept = cache.get(key)
        if kept is not None:
            return LiveFigures(**kept)
    figures = indicators.compute(scope, period)
    if masked:
        figures = mask_figures(figures)
    add_chart_uris(figures)
    html = render_to_string(
        "reporting/partials/sections.html",
        {
            "figures": figures,
            "key_figures": indicators.key_figures(figures),
            "masked": masked,
            "legend": LEGEND,
        },
    )
    live = LiveFigures(figures=figures, computed_at=timezone.now(), sections_html=html)
    cache.set(key, asdict(live), LIVE_SECONDS)
    return live
