"""The read gate of case data: the workers of the post, and nobody else."""

import pytest

from cases.models import Action, AnonymousContact, Beneficiary, Case, Orientation, Referral
from tests.cases.factories import (
    ActionFactory,
    AnonymousContactFactory,
    CaseFactory,
    OrientationFactory,
    ReferralFactory,
)
from tests.iscg.factories import UserFactory


@pytest.fixture
def world():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    case = CaseFactory(beneficiary__post=post, beneficiary__created_by=worker)
    other_case = CaseFactory()
    return {
        "worker": worker,
        "post": post,
        "case": case,
        "other_case": other_case,
        "action": ActionFactory(case=case),
        "other_action": ActionFactory(case=other_case),
        "orientation": OrientationFactory(case=case),
        "contact": AnonymousContactFactory(post=post),
        "referral": ReferralFactory(post=post),
    }


def test_a_worker_sees_the_files_of_their_post_only(world):
    worker = world["worker"]
    assert list(Case.objects.visible_to(worker)) == [world["case"]]
    assert list(Beneficiary.objects.visible_to(worker)) == [world["case"].beneficiary]
    assert list(Action.objects.visible_to(worker)) == [world["action"]]
    assert list(Orientation.objects.visible_to(worker)) == [world["orientation"]]
    assert list(AnonymousContact.objects.visible_to(worker)) == [world["contact"]]
    assert list(Referral.objects.visible_to(worker)) == [world["referral"]]


@pytest.mark.parametrize(
    "role", ["unit_agent", "unit_lead", "employer_manager", "prefecture", "funder_user", "admin"]
)
def test_no_other_role_reads_case_data(world, role):
    user = UserFactory(**{role: True})
    for model in (Case, Beneficiary, Action, Orientation, AnonymousContact):
        assert not model.objects.visible_to(user).exists(), model


def test_a_unit_user_sees_only_the_referrals_of_their_unit(world):
    referral = world["referral"]
    agent = UserFactory(unit_agent=True, unit=referral.source_unit)
    outsider = UserFactory(unit_agent=True)
    assert list(Referral.objects.visible_to(agent)) == [referral]
    assert not Referral.objects.visible_to(outsider).exists()
    assert not Case.objects.visible_to(agent).exists()
