"""The figures of the live dashboard.

A worker reads the exact figures of their posts, for any dates, recomputed in the
background once a minute. The dashboard recomputes every indicator of a scope (about ten
queries over the posts' files, referrals and actes): a few hundred milliseconds for a
post, seconds for an employer of the national base on a cache miss. Its users look at
quarters, in which one more acte changes a count by one. So each (scope, period,
masking) is computed once and kept, rendered (key figures, tables and charts); a page
read from the cache only renders its form. Figures more than ``LIVE_SECONDS`` old are
still shown, with the time they were computed, while a task recomputes them (one task at
a time per view); « Recalculer maintenant » recomputes them at once. Figures nobody
looked at for ``KEEP_SECONDS`` are dropped.

Everyone else reads perturbed figures (reporting.secrecy.perturbation), of closed
quarters only: ``live_figures`` refuses any other period (``NotClosedQuarter``), whoever
calls it, since each answer of a period still open, asked again, would draw a new noise
for the same people. Perturbed, a scope is the sum of its posts' answers as frozen
(reporting.frozen; sum_of_posts): nested scopes read side by side tell nothing more than
the posts' answers, the scope's own records are not read, and nothing is recomputed in
the background.

The cache holds aggregated figures only, never a name, and is read only after the form
has checked that the user may see the scope.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from iscg.dispatch import dispatch_on_commit
from iscg.models import Post
from reporting import indicators
from reporting.charts import add_chart_uris
from reporting.frozen import is_closed_quarter, post_answers
from reporting.periods import Period, entries_closed_on, is_calendar_quarter
from reporting.scope import Scope, ScopeKind
from reporting.secrecy.perturbation import LEGEND, sum_of_posts

LIVE_SECONDS = 60
KEEP_SECONDS = 3600

ENDED_QUARTER_ONLY = (
    "Hors des postes où vous intervenez, les statistiques en direct portent sur un "
    "trimestre civil entier et terminé (par exemple du 01/01/2026 au 31/03/2026) : des "
    "dates choisies librement, une période en cours qui s'allonge chaque jour, ou deux "
    "périodes emboîtées (un mois et son trimestre, un trimestre et son année), comparées "
    "entre elles, permettraient de retrouver un effectif protégé. Les bilans donnent les "
    "chiffres d'un mois ou d'une année."
)
NOT_CLOSED_YET = (
    "Hors des postes où vous intervenez, les chiffres d'un trimestre sont donnés une fois "
    "ses saisies closes, le {closed} : ils sont alors arrêtés pour de bon, car une saisie "
    "faite en retard donnerait aux mêmes personnes un second écart, et deux lectures d'un "
    "même effectif permettraient de l'encadrer. Choisissez un trimestre antérieur."
)


def perturbed_period_problem(
    period: Period, masked: bool, today: datetime.date | None = None
) -> str | None:
    """Why these perturbed figures cannot be asked for this period, or None.

    The noise of a count is drawn from the people it counts. Many windows that differ by
    the same few people (the 5th of January to each day of a month, and the 6th to
    each) give as many differences, each with its own noise, whose average is their
    exact count; so does a period still running, asked again each day as entries are
    added (the year so far less the quarter so far is the quarters before, with a new
    noise every day). Ended quarters only, no answer is another's part; and only once
    their entries are closed, the answer then frozen (reporting.frozen): an entry made
    late into an ended quarter drew a second noise for the same people.

    Quarters only, not months or years: answers are audited one at a time
    (reporting.secrecy.perturbed_audit), and two nested periods confine together what
    neither does alone (a quarter read 3 beside its year read 0 is 1 or 2, and so is the
    year). On the demo's posts, months beside their quarters left 8 to 59 counts of each
    post confined (2026, to November), and on the national base, the year 2025 of an Ain
    post beside its four quarters 89, each answer protected alone. Quarters beside one
    another, each protected alone, confined nothing: the demo's seven from January 2025
    in each of its six scopes, and 300 random cases
    (tests/reporting/test_live_periods_together.py)."""
    today = today or timezone.localdate()
    if not masked:
        return None
    if not is_calendar_quarter(period) or period.end >= today:
        return ENDED_QUARTER_ONLY
    if not is_closed_quarter(period, today):
        return NOT_CLOSED_YET.format(closed=entries_closed_on(period).strftime("%d/%m/%Y"))
    return None


class NotClosedQuarter(ValueError):
    """Perturbed figures asked for a period that is not a closed quarter; the message
    says why, in French, for the form field that chose the period."""


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
    sections_html: str  # the key figures, tables and charts, rendered once ("": not yet)
    # When its posts' answers were frozen (the latest of them), for a closed quarter.
    frozen_at: datetime.datetime | None = None


def live_figures(
    *, scope: Scope, period: Period, masked: bool, refresh: bool = False
) -> LiveFigures:
    """From the cache if computed less than a minute ago (unless ``refresh``), else
    computed now, masked when asked, rendered and kept. Masked, for a closed quarter
    only (``perturbed_period_problem``): raises ``NotClosedQuarter`` otherwise."""
    # Checked here rather than by each caller: a page, a task or a script asking twice
    # for a period still open would read the same people with two noises.
    problem = perturbed_period_problem(period, masked)
    if problem:
        raise NotClosedQuarter(problem)
    live = _kept_or_computed(scope, period, masked, refresh)
    if live.sections_html:
        return live
    add_chart_uris(live.figures)
    html = render_to_string(
        "reporting/partials/sections.html",
        {
            "figures": live.figures,
            "key_figures": indicators.key_figures(live.figures),
            "masked": masked,
            "legend": LEGEND,
        },
    )
    live = LiveFigures(
        figures=live.figures,
        computed_at=live.computed_at,
        sections_html=html,
        frozen_at=live.frozen_at,
    )
    key = _key(scope, period, masked)
    kept = cache.get(key)
    # Figures computed after these, while these were rendered (the refresh task, another
    # tab's « Recalculer maintenant »), stay: written over, they were computed once more a
    # minute later. Older ones written meanwhile are replaced. The processes share one
    # clock; between this read and the write, microseconds instead of the rendering.
    if kept is None or kept["computed_at"] <= live.computed_at:
        cache.set(key, asdict(live), KEEP_SECONDS)
    return live


def _kept_or_computed(scope: Scope, period: Period, masked: bool, refresh: bool) -> LiveFigures:
    """The figures as kept, or computed and kept (rendered by ``live_figures``); masked,
    those of a closed quarter (checked by ``live_figures``)."""
    key = _key(scope, period, masked)
    if not refresh:
        kept = cache.get(key)
        if kept is not None:
            age = (timezone.now() - kept["computed_at"]).total_seconds()
            # Masked figures sum frozen answers, which do not change: nothing to refresh.
            if (
                age > LIVE_SECONDS
                and not masked
                and cache.add(f"{key}:refreshing", 1, LIVE_SECONDS)
            ):
                _dispatch_refresh(scope, period)
            return LiveFigures(**kept)
    frozen_at = None
    if masked:
        # Its posts' answers as frozen (reporting.frozen), in one query.
        posts = list(
            Post.objects.filter(pk__in=scope.post_ids()).select_related("employer").order_by("pk")
        )
        answers = post_answers(posts, period)
        frozen_at = max((at for _, at in answers.values()), default=None)
        if scope.kind == ScopeKind.POST:
            figures = answers[scope.post_id][0]
        elif posts:
            # The posts' answers alone: the scope's records are not read (its rows, once
            # read for their order, told whose people had moved since).
            figures = sum_of_posts(
                [answers[p.pk][0] for p in posts], indicators.row_orders(scope.department_id)
            )
        else:
            # A scope without a post counts nobody: its figures are all 0.
            figures = sum_of_posts([indicators.compute(scope, period)])
    else:
        figures = indicators.compute(scope, period)
    live = LiveFigures(
        figures=figures, computed_at=timezone.now(), sections_html="", frozen_at=frozen_at
    )
    cache.set(key, asdict(live), KEEP_SECONDS)
    cache.delete(f"{key}:refreshing")
    return live


def refresh_arguments(scope: Scope, period: Period) -> dict:
    """The arguments of ``reporting.tasks.refresh_live_figures`` for this view, as a
    message to the workers carries them (JSON)."""
    return {
        "kind": scope.kind,
        "department_id": scope.department_id,
        "employer_id": scope.employer_id,
        "post_id": scope.post_id,
        "unit_id": scope.unit_id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def _dispatch_refresh(scope: Scope, period: Period) -> None:
    """The exact figures of this view recomputed by a task."""
    # Cycle: reporting.tasks imports this module to refresh the figures.
    from reporting.tasks import refresh_live_figures

    dispatch_on_commit(refresh_live_figures, **refresh_arguments(scope, period))
