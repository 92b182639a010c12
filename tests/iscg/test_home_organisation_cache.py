"""The home blocks of the organisation, kept rendered under its version
(iscg.organisation_version): a change made through any path shows on the next page, a
block found in the cache runs no query, and no user is shown another's block."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import update_last_login
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iscg import home_organisation, organisation_version, services
from iscg.enums import HoldingKind
from iscg.models import PostHolding
from iscg.services.organisation import site_save, unit_save
from tests.iscg.factories import PostFactory, SiteFactory, UnitFactory, UserFactory


def _page(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _queries(client):
    with CaptureQueriesContext(connection) as context:
        _page(client)
    return len(context.captured_queries)


@pytest.fixture
def worker(client):
    worker = UserFactory(worker=True)
    client.force_login(worker)
    return worker


def test_the_workers_posts_block_is_read_from_the_cache_the_second_time(client, worker):
    post = worker.holdings.get().post
    post.sites.add(SiteFactory(department=post.employer.department, name="Mairie de Gex"))
    _page(client)  # the session written at login: not in the counts
    organisation_version.changed()
    computed = _queries(client)
    # Found in the cache: no query for the post, its units, its sites and their openings.
    assert _queries(client) == computed - 4
    html = _page(client)
    assert post.label in html and "Mairie de Gex" in html
    # The sites below the post's description: a list placed in the card's content without
    # DSFR's end area was drawn above the post's title (flex order).
    assert html.index('<div class="fr-card__end">') < html.index("Mairie de Gex")


def test_a_post_renamed_by_its_administrator_shows_on_the_next_page(client, worker):
    post = worker.holdings.get().post
    admin = UserFactory(admin=True, department=post.employer.department)
    assert post.label in _page(client)
    post.label = "Poste de Belley"
    services.post_save(post=post, units=post.units.all(), sites=[], acting_user=admin)
    # The post's card (the bilans owed name the post too, read on every page).
    assert '<h3 class="fr-card__title">Poste de Belley</h3>' in _page(client)


def test_a_unit_added_to_the_post_shows_on_the_next_page(client, worker):
    post = worker.holdings.get().post
    _page(client)
    post.units.add(UnitFactory(department=post.employer.department, name="Brigade de Gex"))
    assert "Brigade de Gex" in _page(client)


def test_a_unit_renamed_shows_on_the_next_page(client, worker):
    unit = worker.holdings.get().post.units.get()
    admin = UserFactory(admin=True, department=unit.department)
    _page(client)
    unit.name = "Brigade de Nantua"
    unit_save(unit=unit, acting_user=admin)
    assert "Brigade de Nantua" in _page(client)


def test_new_openings_of_a_site_show_on_the_next_page(client, worker):
    """The openings are replaced in bulk (no signal per row): the site's save is seen."""
    post = worker.holdings.get().post
    site = SiteFactory(department=post.employer.department, name="Mairie de Bellegarde")
    post.sites.add(site)
    admin = UserFactory(admin=True, department=site.department)
    assert "Mairie de Bellegarde" in _page(client)
    opening = {"weekday": 2, "part_of_day": "morning", "times_per_month": None}
    site_save(site=site, openings=[opening], acting_user=admin)
    assert "mercredi matin, chaque semaine" in _page(client)


@pytest.fixture
def manager(client):
    worker = UserFactory(worker=True, first_name="Léa", last_name="Dubois")
    employer = worker.holdings.get().post.employer
    manager = UserFactory(employer_manager=True, employer=employer, department=employer.department)
    client.force_login(manager)
    return manager, worker


def test_an_employer_sees_its_workers_renamed_and_deactivated_on_the_next_page(client, manager):
    manager, worker = manager
    assert "Léa Dubois" in _page(client)
    services.user_update(
        user=worker,
        first_name="Léa",
        last_name="Martin",
        email=worker.email,
        phone="",
        acting_user=UserFactory(
            admin=True, department=worker.holdings.get().post.employer.department
        ),
    )
    html = _page(client)
    assert "Léa Martin" in html and "Léa Dubois" not in html
    services.user_deactivate(user=worker, acting_user=None)
    assert "vacant" in _page(client)


def test_an_employer_sees_a_new_post_and_its_holder_on_the_next_page(client, manager):
    manager, worker = manager
    employer = worker.holdings.get().post.employer
    _page(client)
    post = PostFactory(employer=employer, label="Poste Oyonnax")
    assert "Poste Oyonnax" in _page(client)
    UserFactory(
        worker=True, post=post, department=employer.department, first_name="Inès", last_name="Morel"
    )
    assert "Inès Morel" in _page(client)


def test_a_holding_added_through_the_posts_workers_shows_on_the_next_page(client, manager):
    """Post.workers goes through PostHolding: ``add`` creates the holding in bulk (found by
    review, 2026-12-07)."""
    _manager, worker = manager
    post = worker.holdings.get().post
    newcomer = UserFactory(first_name="Inès", last_name="Morel")
    _page(client)
    post.workers.add(
        newcomer,
        through_defaults={"kind": HoldingKind.STAND_IN, "start": datetime.date(2020, 1, 1)},
    )
    assert "Inès Morel" in _page(client)


PARIS = ZoneInfo("Europe/Paris")


def test_a_page_crossing_midnight_stores_the_holdings_of_the_day_it_is_keyed_by(
    client, time_machine, monkeypatch
):
    """A unit's page whose view passes midnight between reading its holdings and its key
    stored day D's stand-in under day D+1's key, shown with their telephone until the block
    expired (found by review, 2026-12-07)."""
    unit = UnitFactory(name="Brigade de Gex")
    post = PostFactory(employer__department=unit.department, units=[unit])
    department = unit.department
    UserFactory(worker=True, post=post, department=department, last_name="Titulaire")
    stand_in = UserFactory(worker=True, post=post, department=department, last_name="Remplaçant")
    agent = UserFactory(unit_agent=True, unit=unit, department=department)
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=PARIS), tick=False)
    services.post_holding_end(
        holding=PostHolding.objects.get(worker=stand_in),
        end=datetime.date(2026, 3, 2),
        acting_user=None,
    )
    client.force_login(agent)
    html = _page(client)
    assert "Remplaçant" in html  # stands in until tonight
    assert f"({post.label}, en remplacement)" in html and f"({post.label})" in html
    time_machine.move_to(datetime.datetime(2026, 3, 2, 23, 59, 59, 900000, tzinfo=PARIS))
    client.force_login(agent)
    keyed = home_organisation.cached_block

    def after_midnight(*parts):
        time_machine.move_to(datetime.datetime(2026, 3, 3, 0, 0, 0, 100000, tzinfo=PARIS))
        return keyed(*parts)

    monkeypatch.setattr(home_organisation, "cached_block", after_midnight)
    _page(client)
    monkeypatch.setattr(home_organisation, "cached_block", keyed)
    time_machine.move_to(datetime.datetime(2026, 3, 3, 0, 5, tzinfo=PARIS), tick=False)
    client.force_login(agent)
    html = _page(client)
    assert "Titulaire" in html and "Remplaçant" not in html


def test_a_holding_ended_yesterday_leaves_the_post_vacant_today(client, manager, time_machine):
    manager, worker = manager
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(manager)
    holding = PostHolding.objects.get(worker=worker)
    services.post_holding_end(holding=holding, end=datetime.date(2026, 3, 2), acting_user=None)
    assert "Léa Dubois" in _page(client)
    # No change of the organisation in between: the day is in the block's key.
    time_machine.move_to(datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(manager)
    html = _page(client)
    assert "Léa Dubois" not in html and "vacant" in html


def test_a_login_keeps_the_version(client, manager):
    manager, _worker = manager
    version = organisation_version.current()
    # What a login saves: the account's last_login alone (django.contrib.auth's receiver).
    update_last_login(None, manager)
    manager.refresh_from_db()
    assert manager.last_login is not None
    assert organisation_version.current() == version


def test_the_prefecture_is_not_shown_the_administrators_links(client):
    admin = UserFactory(admin=True)
    prefecture = UserFactory(prefecture=True, department=admin.memberships.get().department)
    client.force_login(admin)
    assert "Gérer les comptes et les rôles" in _page(client)
    client.force_login(prefecture)
    html = _page(client)
    assert "Le dispositif dans le département" in html
    assert "Gérer les comptes et les rôles" not in html


def test_a_change_gives_another_version_at_once_and_again_at_commit(
    django_capture_on_commit_callbacks,
):
    before = organisation_version.current()
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory()
        during = organisation_version.current()
    assert len({before, during, organisation_version.current()}) == 3


def test_with_each_processs_own_cache_every_block_is_computed(client, worker, settings):
    """Without Redis, each gunicorn process has its own cache: a change made in one would
    not reach the others' blocks (found by review, 2026-12-07)."""
    settings.ORGANISATION_BLOCKS_CACHED = False
    post = worker.holdings.get().post
    _page(client)
    assert _queries(client) == _queries(client)
    # Written behind the back of this process's version, as another process would.
    type(post).objects.filter(pk=post.pk).update(label="Poste de Hauteville")
    assert '<h3 class="fr-card__title">Poste de Hauteville</h3>' in _page(client)


def test_a_migration_gives_another_version():
    """A deployment migrates: blocks of the previous release's templates, and rows written
    by data migrations (no signal), are not read again."""
    before = organisation_version.current()
    call_command("migrate", verbosity=0)
    assert organisation_version.current() != before


def test_without_redis_every_block_is_computed(client, worker, monkeypatch):
    """A cache that answers misses (iscg.cache while Redis is unreachable): a new version
    on every read, so no block is ever read from it."""
    monkeypatch.setattr(organisation_version.cache, "get", lambda *a, **k: None)
    monkeypatch.setattr(organisation_version.cache, "add", lambda *a, **k: False)
    assert organisation_version.current() != organisation_version.current()
    _page(client)
    assert _queries(client) == _queries(client)
