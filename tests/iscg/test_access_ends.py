"""Access that comes from a holding, a stand-in or a membership ends the moment it ends.

The grants are recomputed by services and by an hourly task: an end date set in advance
left the access open until the task ran (up to about 65 minutes). The read gate checks
today's date itself; here the task never runs between the two sides of midnight.
"""

import datetime
import zoneinfo

import time_machine

from cases.models import Beneficiary, Referral
from cases.referrals.services.referrals import worker_units
from conventions.models import Convention
from iscg import access, services
from iscg.enums import HoldingKind, UnitKind
from iscg.models import Post
from reporting.models import Report
from tests.cases.factories import BeneficiaryFactory, ReferralFactory
from tests.conventions.factories import make_convention
from tests.iscg.factories import FunderFactory, PostFactory, UnitFactory, UserFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
LAST_DAY = datetime.date(2026, 3, 20)
EVENING = datetime.datetime(2026, 3, 20, 23, 59, 30, tzinfo=PARIS)
AFTER_MIDNIGHT = datetime.datetime(2026, 3, 21, 0, 0, 30, tzinfo=PARIS)


def _sees(queryset_of, user, obj) -> bool:
    access.clear_cache(user)
    return queryset_of.visible_to(user).filter(pk=obj.pk).exists()


def _assert_access_ends_at_midnight(worker, titular, post, beneficiary):
    with time_machine.travel(EVENING, tick=False):
        assert _sees(Beneficiary.objects, worker, beneficiary)
        assert _sees(Post.objects, worker, post)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        access.clear_cache(worker)
        assert post.pk not in access.worked_post_ids(worker)
        assert not _sees(Beneficiary.objects, worker, beneficiary)
        assert not _sees(Post.objects, worker, post)
        if titular is not None:
            assert _sees(Beneficiary.objects, titular, beneficiary)


def test_a_holding_ends_at_midnight_of_its_last_day():
    worker = UserFactory(worker=True)
    holding = worker.holdings.get()
    beneficiary = BeneficiaryFactory(post=holding.post, created_by=worker)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=PARIS), tick=False):
        services.post_holding_end(holding=holding, end=LAST_DAY, acting_user=None)
    _assert_access_ends_at_midnight(worker, None, holding.post, beneficiary)


def test_a_stand_in_ends_at_midnight_of_its_last_day():
    titular = UserFactory(worker=True)
    post = titular.holdings.get().post
    own_post = PostFactory(employer=post.employer)
    stand_in = UserFactory(worker=True, post=own_post, department=post.employer.department)
    beneficiary = BeneficiaryFactory(post=post, created_by=titular)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=PARIS), tick=False):
        services.post_holding_start(
            post=post,
            worker=stand_in,
            kind=HoldingKind.STAND_IN,
            start=datetime.date(2026, 3, 1),
            end=LAST_DAY,
            acting_user=None,
        )
    _assert_access_ends_at_midnight(stand_in, titular, post, beneficiary)


def _end_membership(user, end=LAST_DAY):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=PARIS), tick=False):
        services.membership_end(membership=user.memberships.get(), end=end, acting_user=None)


def test_a_unit_agents_access_ends_with_the_membership():
    agent = UserFactory(unit_agent=True)
    unit = agent.memberships.get().unit
    referral = ReferralFactory(source_unit=unit)
    _end_membership(agent)
    with time_machine.travel(EVENING, tick=False):
        assert _sees(Referral.objects, agent, referral)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        access.clear_cache(agent)
        assert access.followed_unit_ids(agent) == []
        assert not _sees(Referral.objects, agent, referral)


def test_a_unit_leads_access_to_the_units_below_ends_with_the_membership():
    company = UnitFactory(kind=UnitKind.COMPAGNIE)
    brigade = UnitFactory(kind=UnitKind.BRIGADE, parent=company, department=company.department)
    lead = UserFactory(unit_lead=True, unit=company, department=company.department)
    referral = ReferralFactory(source_unit=brigade)
    _end_membership(lead)
    with time_machine.travel(EVENING, tick=False):
        access.clear_cache(lead)
        assert set(access.followed_unit_ids(lead)) == {company.pk, brigade.pk}
        assert _sees(Referral.objects, lead, referral)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        assert not _sees(Referral.objects, lead, referral)


def test_an_employer_managers_access_ends_with_the_membership():
    manager = UserFactory(employer_manager=True)
    employer = manager.memberships.get().employer
    convention = make_convention(employer=employer)
    report = Report.objects.create(
        department=employer.department,
        kind="annual",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        scope_kind="employer",
        employer=employer,
        created_by=manager,
    )
    _end_membership(manager)
    with time_machine.travel(EVENING, tick=False):
        assert _sees(Convention.objects, manager, convention)
        assert _sees(Report.objects, manager, report)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        assert not _sees(Convention.objects, manager, convention)
        assert not _sees(Report.objects, manager, report)


def test_a_funder_users_access_ends_with_the_membership():
    funder = FunderFactory()
    funder_user = UserFactory(funder_user=True, funder=funder, department=funder.department)
    convention = make_convention(funders=[funder])
    _end_membership(funder_user)
    with time_machine.travel(EVENING, tick=False):
        assert _sees(Convention.objects, funder_user, convention)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        assert not _sees(Convention.objects, funder_user, convention)


def test_the_units_below_a_lead_are_read_in_one_query_whatever_the_depth(
    django_assert_num_queries,
):
    """A groupement's lead leads its compagnies and their brigades. The hierarchy was read
    one level per query (three here: compagnies, brigades, nothing below), on every page a
    unit lead opens; now the département's units in one query, walked in memory."""
    group = UnitFactory(kind=UnitKind.GROUPEMENT)
    department = group.department
    companies = [
        UnitFactory(kind=UnitKind.COMPAGNIE, parent=group, department=department) for _ in range(2)
    ]
    brigades = [
        UnitFactory(kind=UnitKind.BRIGADE, parent=company, department=department)
        for company in companies
        for _ in range(2)
    ]
    UnitFactory(department=department)  # a brigade of another compagnie: not led
    UnitFactory(kind=UnitKind.BRIGADE, parent=UnitFactory(kind=UnitKind.COMPAGNIE))  # elsewhere
    lead = UserFactory(unit_lead=True, unit=group, department=department)
    access.memberships(lead)
    with django_assert_num_queries(1):
        led = access.led_unit_ids(lead)
    assert led == {group.pk, *(u.pk for u in companies), *(u.pk for u in brigades)}
    # A unit's own descendants are that same walk: they were read one level per query
    # (four here) by a copy of it, for each unit lead's grants and recipients.
    with django_assert_num_queries(1):
        assert group.descendant_ids() == led
    assert companies[0].descendant_ids() == {companies[0].pk, brigades[0].pk, brigades[1].pk}


def test_the_units_a_worker_records_referrals_of_are_read_in_one_walk(
    django_assert_num_queries,
):
    """A worker records referrals of the units their post serves and the units below
    them: each unit served was walked on its own, one query per level."""
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    department = post.employer.department
    companies = [UnitFactory(kind=UnitKind.COMPAGNIE, department=department) for _ in range(3)]
    brigades = [
        UnitFactory(kind=UnitKind.BRIGADE, parent=company, department=department)
        for company in companies
    ]
    post.units.add(*companies)
    access.worked_post_ids(worker)
    with django_assert_num_queries(3):  # the units served, the walk, the units
        units = set(worker_units(worker))
    assert units == {*post.units.all(), *brigades}  # the companies among them
