"""The bilans' pages read what they show: lists without figures, the live dashboard's
queries flat in the number of posts and units, its figures kept and recomputed."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iscg import access
from iscg import services as iscg_services
from iscg.enums import Role
from reporting import services
from reporting.forms import PeriodScopeForm
from reporting.frozen import perturbed_answer
from reporting.periods import Period, last_closed_quarter
from tests.iscg.factories import (
    EmployerFactory,
    PostFactory,
    UnitFactory,
)
from tests.reporting.test_views import get, world  # noqa: F401 - fixture

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def test_lists_of_bilans_read_neither_their_figures_nor_their_frozen_rows(
    client,
    world,  # noqa: F811
    django_assert_max_num_queries,
):
    _, users, report, _ = world
    client.force_login(users["prefecture"])
    for url in ("/", reverse("reporting:list")):
        with django_assert_max_num_queries(30) as captured:
            page = client.get(url).content.decode()
        assert str(report) in page
        listing = [q["sql"] for q in captured.captured_queries if '"reporting_report"' in q["sql"]]
        assert listing and not any(
            '"reporting_report"."figures"' in sql or '"reporting_report"."sources"' in sql
            for sql in listing
        ), url
    # The detail page shows the figures, not the rows they were built from.
    with django_assert_max_num_queries(30) as captured:
        get(client, users["prefecture"], "detail", report.pk)
    assert not any('"reporting_report"."sources"' in q["sql"] for q in captured.captured_queries)


def test_the_detail_links_to_its_history_and_raw_figures_stay_hidden(client, world):  # noqa: F811
    _, users, report, _ = world
    url = reverse("history", args=["reporting", "report", report.pk])
    page = get(client, users["prefecture"], "detail", report.pk).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    # The unmasked snapshot is not shown to the préfecture through the history page.
    assert response.context["has_hidden"]
    client.force_login(users["worker"])
    assert not client.get(url).context["has_hidden"]


def _dashboard_queries(client, scope):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("reporting:dashboard"), {"scope": scope, "preset": "quarter"})
    assert response.status_code == 200 and response.context["figures"]
    return len(context.captured_queries)


def test_live_dashboard_queries_do_not_grow_with_posts_and_units(client, world, monkeypatch):  # noqa: F811
    """The manager's dashboard opens on their employer, the sum of its posts' answers
    (reporting.secrecy.perturbation.sum_of_posts), frozen once the quarter is closed
    (reporting.frozen): the first reading computes each post's answer and freezes it;
    afterwards, the posts' answers are one query, however many posts. Posts and units
    elsewhere, even of another employer of the same manager, change nothing."""
    data, users, _, _ = world
    # Counted when computed: the figures of a minute ago are not read from the cache.
    monkeypatch.setattr("reporting.live.KEEP_SECONDS", 0)
    client.force_login(users["manager"])
    employer = data["employer"]
    shown = f"employer:{employer.pk}"
    _dashboard_queries(client, shown)  # freezes the posts' answers
    before = _dashboard_queries(client, shown)
    other = EmployerFactory(department=employer.department)
    iscg_services.membership_create(
        user=users["manager"],
        role=Role.EMPLOYER_MANAGER,
        department=employer.department,
        employer=other,
        acting_user=None,
    )
    access.clear_cache(users["manager"])
    for index in range(4):
        post = PostFactory(employer=other, label=f"Poste supplémentaire {index}")
        post.units.add(UnitFactory(department=employer.department))
    choices = dict(PeriodScopeForm(user=users["manager"]).fields["scope"].choices)
    assert f"employer:{other.pk}" in choices and len(choices) > 8
    assert _dashboard_queries(client, shown) == before
    # One more post of the employer shown: its answer computed and frozen once (its
    # queries, and five to write it and read it back), then read with the others.
    added = PostFactory(employer=employer)
    with CaptureQueriesContext(connection) as one_post:
        perturbed_answer(added, last_closed_quarter())
    assert _dashboard_queries(client, shown) == before + len(one_post.captured_queries) + 5
    assert _dashboard_queries(client, shown) == before
    # The session is read from the database (no page depends on Redis); the counts kept of
    # anonymised files are read once per answer (reporting.retained).
    assert len(one_post.captured_queries) <= 15
    # The page, the employer's exact figures (the rows listed, the median), its posts
    # and their frozen answers.
    assert before <= 20


def test_live_figures_are_kept_recomputed_in_the_background_and_on_demand(
    client,
    world,  # noqa: F811
    time_machine,
    django_capture_on_commit_callbacks,
):
    """The dashboard shows the figures computed last and when; after a minute a task
    recomputes them (the page does not wait); "Recalculer maintenant" recomputes at once."""
    from cases.models import Case
    from tests.cases.factories import BeneficiaryFactory, CaseFactory

    data, users, _, _ = world
    # The clock does not tick: the minutes below are the test's, not the machine's load.
    time_machine.move_to(datetime.datetime(2026, 3, 31, 10, 0, tzinfo=datetime.UTC), tick=False)
    params = {
        "scope": f"post:{data['post'].pk}",
        "preset": "custom",
        "start": "2026-01-01",
        "end": "2026-03-31",
    }
    url = reverse("reporting:dashboard")
    client.force_login(users["worker"])

    def opened(response):
        table = {t["key"]: t for s in response.context["figures"]["sections"] for t in s["tables"]}
        return table["activity"]["rows"][2]["values"][0]

    def new_file(day):
        beneficiary = BeneficiaryFactory(post=data["post"], created_by=users["worker"])
        CaseFactory(beneficiary=beneficiary, opened_on=datetime.date(2026, 3, day))

    first = client.get(url, params)
    before = opened(first)
    assert "Chiffres calculés le 31/03/2026 à 12:00:00" in first.content.decode()
    new_file(2)
    assert Case.objects.filter(post=data["post"]).count() >= 1

    # Within the minute: read from the cache, nothing recomputed nor dispatched.
    time_machine.shift(30)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as context,
    ):
        kept = client.get(url, params)
    assert opened(kept) == before and callbacks == []
    assert not any('"cases_case"' in q["sql"] for q in context.captured_queries)
    assert "Recalculer maintenant" in kept.content.decode()

    # After the minute: the same figures at once, and one task recomputes them.
    time_machine.shift(31)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stale = client.get(url, params)
        client.get(url, params)  # a second reader does not dispatch a second task
    assert opened(stale) == before
    assert "à 12:00:00" in stale.content.decode()
    assert len(callbacks) == 1
    fresh = client.get(url, params)
    assert opened(fresh) == before + 1
    assert "à 12:01:01" in fresh.content.decode()

    # "Recalculer maintenant": at once.
    new_file(3)
    assert opened(client.get(url, {**params, "recalculer": "1"})) == before + 2
    assert opened(client.get(url, params)) == before + 2

    # The manager of the same post sees the masked figures, not the worker's.
    client.force_login(users["manager"])
    assert client.get(url, params).context["masked"] is True


def test_the_list_says_which_version_replaces_a_bilan(client, world):  # noqa: F811
    """A sent bilan computed again stays "Envoyé" for its recipients, and the list says
    which version supersedes it (it said "Envoyé" alone before)."""
    _, users, report, _ = world
    new = services.report_regenerate(report=report, acting_user=users["manager"])
    page = " ".join(get(client, users["manager"], "list").content.decode().split())
    assert f"Envoyé — remplacé par la version {new.version}" in page
    assert page.count("remplacé par la version") == 1  # the new version is not replaced
