"""The perturbed live statistics of a closed quarter, frozen (reporting.frozen).

Reproduced before: a post's perturbed answer was computed again from the records of the
moment, once its hour in the cache was over. Ten people entered late into an ended
quarter moved its « Personnes accompagnées » from 20 (read 18 to 22) to 30 (read 28 to
32), with a second noise for the twenty counted in both: two readings of one count
narrow it more than one. An answer is now given once the quarter's entries are closed
and never computed again.
"""

import datetime
import hashlib
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting import frozen, indicators, live
from reporting.live import live_figures, perturbed_period_problem
from reporting.models import FrozenLiveAnswer
from reporting.periods import Period, entries_closed_on, last_closed_quarter, quarter_of
from reporting.scope import Scope
from reporting.secrecy.layout import DATA_ROWS, tables_of
from reporting.secrecy.perturbation import cells_by_label
from reporting.tasks import refresh_live_figures
from tests.cases.factories import CaseFactory
from tests.iscg.factories import EmployerFactory, PostFactory
from tests.reporting.test_live_statistics import page, steering  # noqa: F401 - fixture
from tests.reporting.test_views import world  # noqa: F401 - fixture

Q3 = quarter_of(datetime.date(2026, 9, 1))


def _people(figures) -> int:
    return tables_of(figures)["activity"]["rows"][0]["values"][0]


def _open_cases(post, count):
    for day in range(count):
        CaseFactory(beneficiary__post=post, opened_on=datetime.date(2026, 7, 1 + day))


@pytest.mark.django_db
def test_a_late_entry_into_a_closed_quarter_draws_no_second_noise():
    employer = EmployerFactory()
    post = PostFactory(employer=employer)
    _open_cases(post, 20)
    scope = Scope.for_post(post)
    first = live_figures(scope=scope, period=Q3, masked=True)
    assert 18 <= _people(first.figures) <= 22
    _open_cases(post, 10)  # entered late, after the answer was given
    assert _people(indicators.compute(scope, Q3)) == 30
    cache.clear()  # an hour later: the kept answer is gone from the cache
    again = live_figures(scope=scope, period=Q3, masked=True, refresh=True)
    assert cells_by_label(again.figures) == cells_by_label(first.figures)
    assert again.frozen_at == first.frozen_at is not None
    # The employer sums the frozen answer, not the records of the moment.
    whole = live_figures(scope=Scope.for_employer(employer), period=Q3, masked=True)
    assert _people(whole.figures) == _people(first.figures)
    assert FrozenLiveAnswer.objects.filter(post=post).count() == 1


@pytest.mark.django_db
def test_the_posts_answers_are_read_in_one_query_once_frozen():
    employer = EmployerFactory()
    posts = [PostFactory(employer=employer) for _ in range(4)]
    for post in posts:
        _open_cases(post, 3)
    frozen.post_answers(posts, Q3)
    with CaptureQueriesContext(connection) as queries:
        answers = frozen.post_answers(posts, Q3)
    assert len(queries) == 1 and set(answers) == {p.pk for p in posts}


@pytest.mark.django_db
def test_two_processes_freezing_at_once_keep_the_first_answer(monkeypatch):
    post = PostFactory()
    written = {"written": "par l'autre processus"}

    def computed_meanwhile(post_, period):
        # Another process froze the same answer while this one computed its own.
        FrozenLiveAnswer.objects.create(
            post=post_,
            period_start=period.start,
            period_end=period.end,
            layout=indicators.LAYOUT,
            figures=written,
        )
        return {"written": "par celui-ci"}

    monkeypatch.setattr(frozen, "perturbed_answer", computed_meanwhile)
    answers = frozen.post_answers([post], Q3)
    assert answers[post.pk][0] == written
    assert FrozenLiveAnswer.objects.count() == 1


@pytest.mark.django_db
def test_an_answer_frozen_with_another_layout_is_computed_again():
    post = PostFactory()
    _open_cases(post, 5)
    FrozenLiveAnswer.objects.create(
        post=post,
        period_start=Q3.start,
        period_end=Q3.end,
        layout=indicators.LAYOUT - 1,
        figures={"sections": []},
    )
    live = live_figures(scope=Scope.for_post(post), period=Q3, masked=True)
    assert "activity" in tables_of(live.figures)


def test_a_quarter_is_answered_perturbed_once_its_entries_are_closed():
    """From the 15th of the month after it, when its last month's bilan is due."""
    assert entries_closed_on(Q3) == datetime.date(2026, 10, 15)
    for today, problem, last in (
        (datetime.date(2026, 10, 14), True, quarter_of(datetime.date(2026, 6, 1))),
        (datetime.date(2026, 10, 15), False, Q3),
    ):
        assert bool(perturbed_period_problem(Q3, masked=True, today=today)) is problem
        assert perturbed_period_problem(Q3, masked=False, today=today) is None
        assert last_closed_quarter(today) == last
    said = perturbed_period_problem(Q3, masked=True, today=datetime.date(2026, 10, 1))
    assert "le 15/10/2026" in said and "Choisissez un trimestre antérieur" in said


@pytest.mark.django_db
def test_the_page_says_when_the_figures_were_frozen_and_offers_no_recomputing(
    client,
    steering,  # noqa: F811
    time_machine,
):
    data, users, _, _ = steering
    time_machine.move_to(datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    scope = f"post:{data['post'].pk}"
    # Opened on the 10th of October: the third quarter's entries are still open.
    response = page(client, users["prefecture"], scope=scope, preset="quarter")
    assert response.context["form"].period() == quarter_of(datetime.date(2026, 6, 1))
    text = response.content.decode()
    assert "Chiffres arrêtés le 10/10/2026" in text and "Recalculer maintenant" not in text
    assert "recalculés en arrière-plan" not in text  # they are not
    third = {"preset": "custom", "start": Q3.start, "end": Q3.end}
    response = page(client, users["prefecture"], scope=scope, **third)
    assert "le 15/10/2026" in " ".join(response.context["form"].errors["start"])
    assert response.context["figures"] is None
    assert "Les effectifs sont perturbés" in response.content.decode()
    # A date typed wrong: the page still tells the préfecture its figures are perturbed
    # and frozen, not that they are recalculated in the background (it did).
    response = page(client, users["prefecture"], scope=scope, preset="custom", start="31/02")
    assert response.context["form"].errors["start"]
    text = response.content.decode()
    assert "Les effectifs sont perturbés" in text and "recalculés en arrière-plan" not in text
    # The worker reads the post's exact figures, computed again as before.
    response = page(client, users["worker"], scope=scope, **third)
    assert response.context["figures"] is not None
    assert "Recalculer maintenant" in response.content.decode()
    assert "recalculés en arrière-plan" in response.content.decode()
    assert timezone.localdate() == datetime.date(2026, 10, 10)


# The layout of the indicators' tables (keys, columns, fixed rows) as of LAYOUT = 1.
LAYOUT_FINGERPRINT = "2ad0bbc7a0851c5b"


@pytest.mark.django_db
def test_the_layout_version_follows_the_tables():
    """A frozen answer is read with the tables of its layout: a table, column or fixed
    row added without raising indicators.LAYOUT would sum a frozen answer short."""
    empty = indicators.compute(Scope.for_post(PostFactory()), Period(Q3.start, Q3.end))
    layout = [
        [key, table["columns"], [] if key in DATA_ROWS else [r["label"] for r in table["rows"]]]
        for key, table in tables_of(empty).items()
    ]
    digest = hashlib.sha256(json.dumps(layout, sort_keys=True).encode()).hexdigest()[:16]
    assert (indicators.LAYOUT, digest) == (1, LAYOUT_FINGERPRINT)


@pytest.mark.django_db
def test_no_perturbed_answer_is_given_for_a_period_that_is_not_a_closed_quarter(time_machine):
    """Reproduced before: only the page refused such a period; live_figures itself gave
    a perturbed answer of any period, drawn again each minute from the records of the
    moment (a task or another page asking twice read the same people with two noises)."""
    time_machine.move_to(datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    employer = EmployerFactory()
    post = PostFactory(employer=employer)
    _open_cases(post, 20)
    refused = (
        Q3,  # ended, its entries not closed until the 15th of October
        quarter_of(datetime.date(2026, 10, 1)),  # running
        Period(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31)),  # a month
        Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 29)),  # free dates
    )
    for scope in (Scope.for_post(post), Scope.for_employer(employer)):
        for period in refused:
            with pytest.raises(live.NotClosedQuarter) as raised:
                live_figures(scope=scope, period=period, masked=True)
            assert str(raised.value) == perturbed_period_problem(period, masked=True)
            # The worker's exact figures, any period.
            assert live_figures(scope=scope, period=period, masked=False).figures
    assert not FrozenLiveAnswer.objects.exists()
    assert not any(cache.get(live._key(Scope.for_post(post), p, True)) for p in refused)
    second = quarter_of(datetime.date(2026, 6, 1))
    assert live_figures(scope=Scope.for_post(post), period=second, masked=True).frozen_at


@pytest.mark.django_db
def test_the_refresh_task_computes_no_perturbed_figures(time_machine):
    """Reproduced before: the background task computed the perturbed figures of any
    period it was given. Perturbed figures are frozen: it has nothing to refresh."""
    time_machine.move_to(datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    post = PostFactory()
    _open_cases(post, 5)
    scope = Scope.for_post(post)
    for period in (Q3, quarter_of(datetime.date(2026, 6, 1))):  # still open, then closed
        arguments = live.refresh_arguments(scope, period)
        assert refresh_live_figures(**arguments, masked=True) == "nothing to refresh"
        assert cache.get(live._key(scope, period, True)) is None
        assert refresh_live_figures(**arguments) == "done"
        assert cache.get(live._key(scope, period, False))["figures"]
    assert not FrozenLiveAnswer.objects.exists()
