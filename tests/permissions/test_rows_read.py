"""Every list page of every role reads the same queries, and on PostgreSQL the same number
of table rows, whatever the rows outside the user's département.

The pages are the matrix's GET entries without an object that answer 200 to the role.
1,000 people, their files, actes, saisines, feedbacks and access-log entries are then
added to the other département's
post, and every page is read again. On PostgreSQL each SELECT is run again under
``EXPLAIN (ANALYZE)`` with sequential scans discouraged (the plan the planner chooses on
tables of national size, where a sequential scan of a table is never the cheapest), and
the rows its scans read (kept and filtered out) are summed: they must not change."""

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.explain import rows_read
from cases.enums import FeedbackKind, ReferralStatus
from cases.models import Action, Beneficiary, Case, Referral, UnitFeedback
from iscg import services
from iscg.enums import Role
from iscg.models import AccessAction, AccessLog, Membership, User
from iscg.text import person_search_text
from tests.cases.factories import (
    ActionFactory,
    BeneficiaryFactory,
    CaseFactory,
    ReferralFactory,
    UnitFeedbackFactory,
)
from tests.permissions.matrix import all_entries
from tests.permissions.world import ROLES

ADDED = 1000


def _read(client, url) -> tuple[int, int | None]:
    client.get(url)  # once per connection: the session's write, the backends' checks
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), rows_read(context.captured_queries)


def _pages(world, role):
    pages = []
    for entry in all_entries():
        if entry.method != "GET" or entry.obj or entry.url_name.startswith("admin:"):
            continue
        if entry.expected(role, None) != 200:
            continue
        pages.append(reverse(entry.url_name, kwargs=entry.build_kwargs(world, None)))
    return sorted(set(pages))


def _add_outside(world):
    """People, files, actes, saisines and their feedbacks on the other département's
    post, its worker's reads and failed logins in the access log, and accounts holding a
    role there, each signed in."""
    post, unit = world.post["other_department"], world.unit["other_department"]
    worker = world.scope_workers["other_department"]
    day = timezone.localdate() - datetime.timedelta(days=30)
    people = Beneficiary.objects.bulk_create(
        BeneficiaryFactory.build(post=post, created_by=worker, commune=None) for _ in range(ADDED)
    )
    cases = Case.objects.bulk_create(
        CaseFactory.build(beneficiary=person, post=post, opened_on=day, created_by=worker)
        for person in people
    )
    Action.objects.bulk_create(
        ActionFactory.build(case=case, post=post, author=worker, occurred_at=timezone.now())
        for case in cases
    )
    referrals = Referral.objects.bulk_create(
        ReferralFactory.build(post=post, source_unit=unit) for _ in range(ADDED)
    )
    AccessLog.objects.bulk_create(
        AccessLog(user=worker, username=worker.email, action=AccessAction.VIEW, path="/")
        for _ in range(ADDED)
    )
    AccessLog.objects.bulk_create(  # failed logins typed with an unknown address
        AccessLog(username=f"inconnu{i}@example.org", action=AccessAction.LOGIN_FAILED)
        for i in range(ADDED)
    )
    agents = User.objects.bulk_create(
        User(email=f"agent{i}@autre.example.org", last_name=f"Agent {i}") for i in range(ADDED)
    )
    # As membership_create saves them (Membership.save marks the account attached).
    for agent in agents:
        Membership(user=agent, role=Role.UNIT_AGENT, department=unit.department, unit=unit).save()
    # Each signed in: a session of theirs, saved by the session engine.
    for agent in agents:
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(agent.pk)
        session.create()
    kinds = [FeedbackKind.CONTACT_ESTABLISHED, FeedbackKind.REFUSED_HELP]
    UnitFeedback.objects.bulk_create(
        UnitFeedbackFactory.build(referral=referral, kind=kinds[i % 2], author=worker)
        for i, referral in enumerate(referrals)
    )


def _add_answered_referrals(world, count):
    """Referrals of the own post and unit, half closed, each answered by a feedback saved
    one by one (as the service saves it), with the statistics brought up to date as
    autovacuum keeps them (ANALYZE sees the test transaction's own rows)."""
    worker = world.scope_workers["own"]
    referrals = Referral.objects.bulk_create(
        ReferralFactory.build(
            post=world.post["own"],
            source_unit=world.unit["own"],
            status=ReferralStatus.CLOSED if i % 2 else ReferralStatus.CONTACT_MADE,
        )
        for i in range(count)
    )
    for referral in referrals:
        UnitFeedbackFactory(referral=referral, author=worker)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_referral")
        cursor.execute("ANALYZE cases_unitfeedback")


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_no_page_reads_more_for_rows_outside_the_users_departement(role, client, world):
    client.force_login(world.user(role))
    pages = _pages(world, role)
    assert pages, role
    first = {url: _read(client, url) for url in pages}
    # What the reading itself adds (the access log, the user's own sessions) is allowed:
    # it grows as much between two readings without any row added.
    before = {url: _read(client, url) for url in pages}
    _add_outside(world)
    after = {url: _read(client, url) for url in pages}
    grown = {
        url: f"{before[url]} → {after[url]} (requêtes, lignes lues)"
        for url in pages
        if after[url][0] != before[url][0]
        or (after[url][1] or 0) - (before[url][1] or 0)
        > max(0, (before[url][1] or 0) - (first[url][1] or 0))
    }
    assert grown == {}, f"{role} : pages qui lisent davantage : {grown}"


def test_the_archives_read_only_the_archived_files(client, world):
    """The archives list (the administrator acting for the DPO) reads the archived files of
    its département's posts, not every file: 1,000 people added to one of its posts, none
    archived, change neither its queries nor the rows it reads (on PostgreSQL, the partial
    index of archived files; without it every file of the table was read)."""
    admin = world.user("admin")
    client.force_login(admin)
    url = reverse("lifecycle:archive_list")
    post = world.post["own"]
    archived = BeneficiaryFactory(post=post, commune=None)
    Beneficiary.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    before = _read(client, url)
    Beneficiary.objects.bulk_create(
        BeneficiaryFactory.build(post=post, created_by=world.scope_workers["own"], commune=None)
        for _ in range(ADDED)
    )
    assert _read(client, url) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rows read: PostgreSQL's plans")
@pytest.mark.parametrize("query", ["", "?page=3", "?profile=victim"])
def test_the_beneficiary_list_reads_a_page_not_every_person_of_the_post(query, client, world):
    """A post's list shows 25 people in name order and counts them up to 1,000: once the
    post has more than that, 2,000 more people of its own change neither the queries nor
    the rows read. Sorting them all before keeping a page read each one twice. The
    statistics are brought up to date after each addition, as autovacuum keeps them: run
    meanwhile on a table whose rows the test's transaction hides from it, it could leave
    the planner believing the post had a handful of people, to sort in one go."""
    worker = world.scope_workers["own"]
    client.force_login(worker)
    url = reverse("cases:beneficiary_list") + query

    def add(count):
        Beneficiary.objects.bulk_create(
            BeneficiaryFactory.build(
                post=world.post["own"], created_by=worker, commune=None, profile="victim"
            )
            for _ in range(count)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_beneficiary")  # sees the transaction's rows

    add(1500)
    before = _read(client, url)
    add(2000)
    assert _read(client, url) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rows read: PostgreSQL's plans")
def test_the_worker_home_reads_the_feedbacks_due_not_every_referral_of_the_post(client, world):
    """The home lists the feedbacks the worker owes: 1,200 more referrals of the worker's
    own post, answered and closed over the years, change neither the queries nor the rows
    read. Asking the feedbacks table about each referral of the post read them all."""
    worker = world.scope_workers["own"]
    client.force_login(worker)
    url = reverse("home")

    _add_answered_referrals(world, 300)
    before = _read(client, url)
    _add_answered_referrals(world, 1200)
    assert _read(client, url) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rows read: PostgreSQL's plans")
def test_the_unit_lead_home_reads_the_latest_referrals_not_every_one_of_the_units(client, world):
    """The unit lead's home shows the 5 latest referrals of the units followed and the 5
    latest feedbacks, counted up to 100: 1,200 more answered referrals of a unit change
    neither the queries nor the rows read (all of them were read, sorted and counted)."""
    lead = world.user("unit_lead")
    client.force_login(lead)
    _add_answered_referrals(world, 300)
    before = _read(client, reverse("home"))
    _add_answered_referrals(world, 1200)
    assert _read(client, reverse("home")) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rows read: PostgreSQL's plans")
def test_the_unit_lead_list_reads_a_page_not_every_saisine_of_its_units(client, world):
    """A lead of two units pages through their saisines: 1,200 more older saisines of the
    units change neither the queries nor the rows read (each unit's list is read from its
    index in order and the two merged, where all of them were read and sorted; the count
    reads up to 1,001 ids of each unit, and the table by month the last twelve months)."""
    lead = world.user("unit_lead")
    services.membership_create(
        user=lead,
        role=Role.UNIT_LEAD,
        department=world.unit["other_unit"].department,
        unit=world.unit["other_unit"],
        acting_user=None,
    )
    url = reverse("referrals:unit_list")
    client.force_login(lead)
    older = [timezone.now() - datetime.timedelta(days=730)]  # each saisine older than the last

    def add(count):
        Referral.objects.bulk_create(
            ReferralFactory.build(
                post=world.post["own"],
                source_unit=world.unit["own" if i % 2 else "other_unit"],
                received_at=older[0] - datetime.timedelta(minutes=i),
            )
            for i in range(count)
        )
        older[0] -= datetime.timedelta(minutes=count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_referral")

    add(2100)
    before = _read(client, url)
    add(1200)
    assert _read(client, url) == before


@pytest.mark.parametrize("query", ["?q=martin", "?q=martin&profile=victim", "?q=0612"])
def test_a_search_within_a_post_is_not_asked_of_the_countrys_trigram_index(query, client, world):
    """On the national base, PostgreSQL answered ``search_text LIKE '%martin%'`` by
    intersecting the trigram index of every post's names (50,993 entries, 18 ms, unseen
    by the rows read, which count a bitmap's heap rows) with the post's records. A post's
    search is asked of an expression of the column, alone in a subquery of the post: only
    the post's entries of the (post, search_text) index answer it (the page 67 -> 32 ms,
    2026-12-06). The post's 30 « Martin » are found, never the other département's."""
    worker = world.scope_workers["own"]
    client.force_login(worker)

    def people(post, author, count, last_name, phone=""):
        Beneficiary.objects.bulk_create(
            BeneficiaryFactory.build(
                post=post,
                created_by=author,
                commune=None,
                last_name=last_name,
                profile="victim",
                search_text=person_search_text(last_name, "Léa", phone),
            )
            for _ in range(count)
        )

    people(world.post["own"], worker, 30, "Martin", "06 12 34 56 78")
    people(world.post["other_department"], world.scope_workers["other_department"], 50, "Martin")
    url = reverse("cases:beneficiary_list") + query
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
    searched = [q["sql"] for q in context.captured_queries if "LIKE" in q["sql"]]
    assert searched
    assert not any(
        '"search_text" LIKE' in sql or '"search_text"::text LIKE' in sql for sql in searched
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rows read: PostgreSQL's plans")
def test_the_account_page_reads_the_latest_logins_not_every_page_the_user_read(client, world):
    """« Mon compte » shows the holder's 10 latest logins and failures: 1,000 more pages
    they read since (each one an entry of the access log) change neither its queries nor
    its rows read. The log was read back from the holder's latest entry, every page view
    in between, until 10 logins were found."""
    worker = world.scope_workers["own"]
    client.force_login(worker)
    url = reverse("account")

    def entries(action, count):
        AccessLog.objects.bulk_create(
            AccessLog(user=worker, username=worker.email, action=action, path="/")
            for _ in range(count)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE iscg_accesslog")

    entries(AccessAction.LOGIN, 20)
    entries(AccessAction.VIEW, 200)
    before = _read(client, url)
    entries(AccessAction.VIEW, 1000)
    assert _read(client, url) == before
