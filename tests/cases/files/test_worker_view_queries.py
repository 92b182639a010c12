"""Worker screens read a bounded number of queries, whatever the rows outside the page."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralStatus
from cases.models import Case
from iscg import organisation_version
from tests.cases.factories import (
    ActionFactory,
    AnonymousContactFactory,
    BeneficiaryFactory,
    CaseFactory,
    OrientationFactory,
    ReferralFactory,
    action_kind,
)
from tests.cases.files.test_worker_views import world  # noqa: F401 - fixture
from tests.partners.factories import PartnerFactory


def _count_queries(client, url):
    # The home's organisation blocks computed, not read from the cache: the most a page
    # reads (iscg.organisation_version).
    organisation_version.changed()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _fill(world, n):  # noqa: F811
    post, worker = world["post"], world["worker"]
    for index in range(n):
        beneficiary = BeneficiaryFactory(
            post=post, created_by=worker, commune=None, search_text=f"n{index}"
        )
        case = CaseFactory(
            beneficiary=beneficiary,
            opened_on=timezone.localdate() - datetime.timedelta(days=60),
        )
        ActionFactory(case=case)
        ReferralFactory(post=post)
        AnonymousContactFactory(post=post)


@pytest.mark.parametrize(
    "url_name", ["home", "cases:beneficiary_list", "cases:contact_list", "partners:partner_list"]
)
def test_list_query_count_does_not_grow_with_rows(client, world, url_name):  # noqa: F811
    client.force_login(world["worker"])
    url = reverse(url_name)
    _fill(world, 2)
    for _ in range(3):
        PartnerFactory(department=world["post"].employer.department)
    # Once per connection, not per page: the session's write (once a minute) and SQLite's
    # check of its JSON support.
    client.get(url)
    few = _count_queries(client, url)
    _fill(world, 27)
    for _ in range(27):
        PartnerFactory(department=world["post"].employer.department)
    assert Case.objects.count() >= 30
    assert _count_queries(client, url) == few


PAGE_QUERY_LIMIT = 15


def _fill_case(world, n):  # noqa: F811
    """Rows that a page about one case or one search term must not read one by one."""
    for _ in range(n):
        ActionFactory(case=world["case"], occurred_at=timezone.now())
        OrientationFactory(case=world["case"], partner=world["partner"])
        ReferralFactory(post=world["post"], status=ReferralStatus.RECEIVED)
        other = BeneficiaryFactory(
            post=world["post"], created_by=world["worker"], search_text="lefevre marie"
        )
        CaseFactory(beneficiary=other, opened_on=timezone.localdate() - datetime.timedelta(days=90))


@pytest.mark.parametrize(
    "url",
    [
        lambda world: reverse("home"),  # noqa: F811
        lambda world: reverse("cases:beneficiary_list") + "?q=lefevre",  # noqa: F811
        lambda world: reverse("cases:case_detail", args=[world["case"].pk]),  # noqa: F811
    ],
    ids=["dashboard", "search", "case"],
)
def test_worker_pages_read_a_bounded_number_of_queries(client, world, url):  # noqa: F811
    client.force_login(world["worker"])
    url = url(world)
    _fill_case(world, 2)
    client.get(url)  # the session is written at most once a minute: not in the counts
    few = _count_queries(client, url)
    _fill_case(world, 25)
    many = _count_queries(client, url)
    assert many == few
    assert many <= PAGE_QUERY_LIMIT


def test_the_case_page_runs_no_query_twice(client, world):  # noqa: F811
    """Each list the page shows (kinds of acte, sites, partners…) is read once."""
    client.force_login(world["worker"])
    url = reverse("cases:case_detail", args=[world["case"].pk])
    client.get(url)  # the session is written at most once a minute: not in the counts
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    sql = Counter(q["sql"] for q in context.captured_queries)
    assert [query for query, n in sql.items() if n > 1] == []


def _post_acte(client, world):  # noqa: F811
    data = {
        "kind": action_kind().pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "30",
        "site": world["site"].pk,
        "confidential_note": "Entretien",
    }
    with CaptureQueriesContext(connection) as context:
        response = client.post(reverse("cases:action_create", args=[world["case"].pk]), data)
    assert response.status_code == 302
    return len(context.captured_queries)


def test_logging_an_acte_reads_no_related_object_twice(client, world):  # noqa: F811
    client.force_login(world["worker"])
    client.get(reverse("home"))  # the session is written at most once a minute
    few = _post_acte(client, world)
    _fill_case(world, 20)
    many = _post_acte(client, world)
    assert many == few <= PAGE_QUERY_LIMIT
    # The form and the service validate the acte without re-reading its case, kind,
    # site or author: no existence check ("SELECT 1 … LIMIT 1") of a loaded object.
    with CaptureQueriesContext(connection) as context:
        _post_acte(client, world)
    existence = [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a" FROM')
        and ('FROM "cases_actionkind"' in q["sql"] or 'FROM "iscg_user"' in q["sql"])
    ]
    assert existence == []


def test_the_dashboard_shows_a_bounded_list_of_todays_actes(client, world):  # noqa: F811
    from cases.home import TODAYS_ACTIONS_LIMIT

    client.force_login(world["worker"])
    for _ in range(TODAYS_ACTIONS_LIMIT + 1):
        ActionFactory(case=world["case"], occurred_at=timezone.now())
    content = client.get(reverse("home")).content.decode()
    from cases.files.selectors import todays_actions

    total = todays_actions(world["worker"]).count()
    assert total > TODAYS_ACTIONS_LIMIT
    assert f"Actes du jour ({total})" in content
    assert content.count(reverse("cases:case_detail", args=[world["case"].pk])) == (
        TODAYS_ACTIONS_LIMIT
    )
    # The block leads to the whole day, paginated.
    full = reverse("cases:todays_action_list")
    assert f'href="{full}">Voir les {total} actes du jour' in content
    page = client.get(full).content.decode()
    assert f"{total} actes" in page


def test_the_dashboard_counts_stale_cases_and_referrals_beyond_the_shown_ones(client, world):  # noqa: F811
    from cases.home import BLOCK_LIMIT

    client.force_login(world["worker"])
    world["referral"].delete()
    for _ in range(BLOCK_LIMIT + 2):
        ReferralFactory(post=world["post"], status=ReferralStatus.RECEIVED)
        old = BeneficiaryFactory(post=world["post"], created_by=world["worker"])
        CaseFactory(beneficiary=old, opened_on=timezone.localdate() - datetime.timedelta(days=90))
    content = client.get(reverse("home")).content.decode()
    assert f"Nouvelles saisines à prendre en compte ({BLOCK_LIMIT + 2})" in content
    assert f"Accompagnements sans acte depuis 30 jours ({BLOCK_LIMIT + 2})" in content
