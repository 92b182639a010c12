import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.enums import ReferralOrigin, ReferralStatus
from cases.referrals.services.referrals import referral_create, referral_set_status, referral_take
from iscg.enums import UnitKind
from tests.cases.factories import BeneficiaryFactory, CaseFactory, problem
from tests.iscg.factories import PostFactory, UnitFactory, UserFactory


def _unit_referral(unit, agent, **extra):
    return referral_create(
        acting_user=agent,
        source_unit=unit,
        origin=ReferralOrigin.FSI_DIRECT,
        circumstance="intervention",
        main_problem=problem(),
        consent_to_contact=True,
        person_last_name="Martin",
        **extra,
    )


def test_a_referral_is_numbered_and_routed_to_the_post_serving_the_unit():
    unit = UnitFactory()
    post = PostFactory(units=[unit], employer__department=unit.department)
    agent = UserFactory(unit_agent=True, unit=unit, department=unit.department)
    referral = _unit_referral(unit, agent)
    assert referral.post == post
    assert referral.number.startswith("S20") and referral.number.endswith(f"{referral.pk:06d}")
    assert referral.status == ReferralStatus.RECEIVED
    assert referral.submitted_by == agent


def test_a_brigade_without_a_post_is_served_by_its_company_post():
    company = UnitFactory(kind=UnitKind.COMPAGNIE)
    brigade = UnitFactory(parent=company, department=company.department)
    post = PostFactory(units=[company], employer__department=company.department)
    assert _unit_referral(brigade, None).post == post


def test_a_unit_referral_needs_its_unit():
    with pytest.raises(ValidationError, match="unité"):
        referral_create(
            acting_user=None,
            origin=ReferralOrigin.FSI_DIRECT,
            main_problem=problem(),
            consent_to_contact=True,
        )


def test_taking_links_beneficiary_and_case_and_moves_the_status():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    referral = _unit_referral(post.units.get(), None)
    case = CaseFactory(beneficiary__post=post)
    referral_take(referral=referral, case=case, acting_user=worker)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN
    assert referral.case == case and referral.beneficiary == case.beneficiary
    assert referral.taken_by == worker


def test_only_a_worker_of_the_routed_post_may_take_it():
    referral = _unit_referral(UnitFactory(), None)
    with pytest.raises(PermissionDenied):
        referral_take(referral=referral, acting_user=UserFactory(worker=True))


def test_a_worker_cannot_link_a_beneficiary_of_another_post():
    worker = UserFactory(worker=True)
    referral = _unit_referral(worker.holdings.get().post.units.get(), None)
    with pytest.raises(PermissionDenied):
        referral_take(referral=referral, beneficiary=BeneficiaryFactory(), acting_user=worker)


def test_status_transitions_are_checked():
    worker = UserFactory(worker=True)
    referral = _unit_referral(worker.holdings.get().post.units.get(), None)
    referral_set_status(referral=referral, status=ReferralStatus.REFUSED, acting_user=worker)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        referral_set_status(referral=referral, status=ReferralStatus.ORIENTED, acting_user=worker)
