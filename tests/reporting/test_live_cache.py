"""The live figures' cache (reporting.live): what a page writes back after rendering."""

import datetime
from dataclasses import asdict

from django.core.cache import cache

from reporting import live
from reporting.periods import Period
from reporting.scope import Scope
from tests.cases.factories import CaseFactory
from tests.iscg.factories import PostFactory

QUARTER = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


def test_a_rendered_answer_does_not_overwrite_a_newer_one(monkeypatch):
    """A page renders the figures it read, then keeps them rendered. Figures computed
    again meanwhile (the background refresh, « Recalculer maintenant » in another tab)
    were overwritten by the older ones, and computed once more a minute later."""
    post = PostFactory()
    CaseFactory(beneficiary__post=post, opened_on=datetime.date(2026, 7, 3))
    scope = Scope.for_post(post)
    render = live.render_to_string
    newer = []

    def render_while_a_task_recomputes(*args, **kwargs):
        newer.append(live._kept_or_computed(scope, QUARTER, True, True))
        return render(*args, **kwargs)

    monkeypatch.setattr(live, "render_to_string", render_while_a_task_recomputes)
    shown = live.live_figures(scope=scope, period=QUARTER, masked=True)
    kept = cache.get(live._key(scope, QUARTER, True))
    assert newer and newer[0].computed_at > shown.computed_at
    assert kept["computed_at"] == newer[0].computed_at
    assert kept["sections_html"] == ""  # rendered by the next page that shows it


def test_a_rendered_answer_replaces_an_older_one_written_meanwhile(monkeypatch):
    post = PostFactory()
    CaseFactory(beneficiary__post=post, opened_on=datetime.date(2026, 7, 3))
    scope = Scope.for_post(post)
    key = live._key(scope, QUARTER, True)
    older = live._kept_or_computed(scope, QUARTER, True, True)
    render = live.render_to_string

    def render_while_an_older_answer_is_written(*args, **kwargs):
        cache.set(key, asdict(older), live.KEEP_SECONDS)
        return render(*args, **kwargs)

    monkeypatch.setattr(live, "render_to_string", render_while_an_older_answer_is_written)
    shown = live.live_figures(scope=scope, period=QUARTER, masked=True, refresh=True)
    assert shown.computed_at > older.computed_at
    kept = cache.get(key)
    assert kept["computed_at"] == shown.computed_at and kept["sections_html"]
