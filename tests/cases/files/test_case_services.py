"""Services of case management: derived fields, permissions, transitions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.enums import AgeBand, OrientationStatus, ReferralOrigin, ReferralStatus
from cases.files.services.actions import action_log
from cases.files.services.beneficiaries import beneficiary_create, beneficiary_update
from cases.files.services.cases import case_close, case_open, case_reopen
from cases.files.services.contacts import anonymous_contact_log
from cases.files.services.orientations import orientation_create, orientation_update
from cases.referrals.services.intake import referral_record
from cases.referrals.services.referrals import referral_take
from iscg.text import normalize, phone_digits
from partners.services import partner_create
from tests.cases.factories import (
    CaseFactory,
    ReferralFactory,
    action_kind,
    problem,
)
from tests.iscg.factories import SiteFactory, UserFactory
from tests.partners.factories import PartnerFactory, partner_kind


@pytest.fixture
def worker():
    return UserFactory(worker=True)


@pytest.fixture
def post(worker):
    return worker.holdings.get().post


@pytest.fixture
def case(worker, post):
    return CaseFactory(beneficiary__post=post, beneficiary__created_by=worker)


def test_normalize_and_phone_digits():
    assert normalize("  HÉLÈNE   Lefèvre-Dupont ") == "helene lefevre dupont"
    assert phone_digits("+33 6 12 34 56 78") == "0612345678"
    assert phone_digits("06.12.34.56.78") == "0612345678"


def test_beneficiary_create_derives_search_text_birth_year_and_age_band(worker, post):
    birth = datetime.date(timezone.localdate().year - 30, 1, 1)
    beneficiary = beneficiary_create(
        acting_user=worker,
        post=post,
        last_name="LEFÈVRE",
        first_name="Hélène",
        phone="06 12 34 56 78",
        birth_date=birth,
        profile="victim",
    )
    assert beneficiary.search_text == "lefevre helene 0612345678"
    assert beneficiary.birth_year == birth.year
    assert beneficiary.age_band == AgeBand.AGE_25_34
    assert beneficiary.created_by == worker


def test_beneficiary_create_from_birth_year_only(worker, post):
    year = timezone.localdate().year - 70
    beneficiary = beneficiary_create(
        acting_user=worker, post=post, last_name="Roux", birth_year=year, profile="distress"
    )
    assert beneficiary.age_band == AgeBand.AGE_65_PLUS


def test_beneficiary_create_on_another_post_is_refused(post):
    intruder = UserFactory(worker=True)
    with pytest.raises(PermissionDenied):
        beneficiary_create(acting_user=intruder, post=post, last_name="X", profile="victim")


def test_beneficiary_update_recomputes_search_text(worker, case):
    beneficiary = beneficiary_update(
        beneficiary=case.beneficiary, acting_user=worker, last_name="Élodie", phone="0601020304"
    )
    assert beneficiary.search_text.startswith("elodie ")
    assert beneficiary.search_text.endswith(" 0601020304")
    with pytest.raises(PermissionDenied):
        beneficiary_update(
            beneficiary=case.beneficiary, acting_user=UserFactory(worker=True), last_name="Y"
        )


def test_case_open_on_the_beneficiary_post(worker, case):
    new_case = case_open(beneficiary=case.beneficiary, acting_user=worker)
    assert new_case.post == case.post
    assert new_case.is_open
    with pytest.raises(PermissionDenied):
        case_open(beneficiary=case.beneficiary, acting_user=UserFactory(worker=True))


def test_case_close_requires_a_reason_and_closes_referrals(worker, case, post):
    taken = ReferralFactory(post=post, status=ReferralStatus.CONTACT_MADE, case=case)
    already = ReferralFactory(post=post, status=ReferralStatus.CLOSED, case=case)
    with pytest.raises(ValidationError) as error:
        case_close(case=case, reason="", acting_user=worker)
    assert "motif" in str(error.value)
    case_close(case=case, reason="goals_met", acting_user=worker)
    case.refresh_from_db()
    taken.refresh_from_db()
    already.refresh_from_db()
    assert case.closed_on == timezone.localdate()
    assert taken.status == ReferralStatus.CLOSED
    assert already.status == ReferralStatus.CLOSED
    with pytest.raises(ValidationError):
        case_close(case=case, reason="goals_met", acting_user=worker)


def test_case_close_before_opening_is_refused(worker, case):
    with pytest.raises(ValidationError) as error:
        case_close(
            case=case,
            reason="other",
            closed_on=case.opened_on - datetime.timedelta(days=1),
            acting_user=worker,
        )
    assert "précéder" in str(error.value)


def test_case_close_by_another_worker_is_refused(case):
    with pytest.raises(PermissionDenied):
        case_close(case=case, reason="other", acting_user=UserFactory(worker=True))


def test_case_reopen_brings_referrals_back(worker, case, post):
    referral = ReferralFactory(post=post, status=ReferralStatus.TAKEN, case=case)
    case_close(case=case, reason="moved", acting_user=worker)
    case_reopen(case=case, acting_user=worker)
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.is_open and case.closing_reason == ""
    assert referral.status == ReferralStatus.TAKEN


def test_action_log(worker, case, post):
    site = SiteFactory()
    post.sites.add(site)
    action = action_log(
        case=case, kind=action_kind(), site=site, acting_user=worker, confidential_note="Note"
    )
    assert action.author == worker and action.duration_minutes == 30
    with pytest.raises(ValidationError):
        action_log(case=case, kind=action_kind(), site=SiteFactory(), acting_user=worker)
    with pytest.raises(ValidationError):
        action_log(
            case=case,
            kind=action_kind(),
            occurred_at=timezone.now() + datetime.timedelta(days=1),
            acting_user=worker,
        )
    with pytest.raises(PermissionDenied):
        action_log(case=case, kind=action_kind(), acting_user=UserFactory(worker=True))


def test_action_log_on_a_closed_case_is_refused(worker, case):
    case_close(case=case, reason="other", acting_user=worker)
    with pytest.raises(ValidationError) as error:
        action_log(case=case, kind=action_kind(), acting_user=worker)
    assert "rouvrez" in str(error.value)


def test_an_orientation_never_moves_the_referrals_by_itself(worker, case, post):
    """The unit learns of an orientation only from a feedback that announces it."""
    department = post.employer.department
    partner = PartnerFactory(department=department)
    taken = ReferralFactory(post=post, status=ReferralStatus.TAKEN, case=case)
    unreachable = ReferralFactory(post=post, status=ReferralStatus.UNREACHABLE, case=case)
    orientation = orientation_create(
        case=case, partner=partner, reason="Droits", acting_user=worker
    )
    taken.refresh_from_db()
    assert taken.status == ReferralStatus.TAKEN
    orientation_update(
        orientation=orientation,
        acting_user=worker,
        status=OrientationStatus.DONE,
        partner_answer="Rendez-vous le 3",
    )
    taken.refresh_from_db()
    unreachable.refresh_from_db()
    assert taken.status == ReferralStatus.TAKEN
    assert unreachable.status == ReferralStatus.UNREACHABLE


def test_orientation_to_a_partner_of_another_department_is_refused(worker, case):
    from tests.iscg.factories import DepartmentFactory

    partner = PartnerFactory(department=DepartmentFactory(code="69"))
    with pytest.raises(PermissionDenied):
        orientation_create(case=case, partner=partner, reason="x", acting_user=worker)


def test_anonymous_contact_log(worker, post):
    contact = anonymous_contact_log(
        acting_user=worker, post=post, mode="phone", problem=problem(), sex="F"
    )
    assert contact.post == post and contact.author == worker
    with pytest.raises(PermissionDenied):
        anonymous_contact_log(
            acting_user=UserFactory(worker=True), post=post, mode="phone", problem=problem()
        )


def test_partner_create_for_workers_and_admins_only(worker, post):
    partner = partner_create(acting_user=worker, name="CIDFF", kind=partner_kind("cidff"))
    assert partner.department == post.employer.department
    with pytest.raises(PermissionDenied):
        partner_create(
            acting_user=UserFactory(unit_agent=True), name="X", kind=partner_kind("cidff")
        )


def test_referral_record_of_another_origin_then_take(worker, post, case):
    referral = referral_record(
        acting_user=worker,
        post=post,
        origin=ReferralOrigin.SELF,
        main_problem=problem(),
        consent_to_contact=True,
        person_last_name="Durand",
    )
    assert referral.post == post and referral.status == ReferralStatus.RECEIVED
    with pytest.raises(ValidationError):
        referral_record(
            acting_user=worker,
            post=post,
            origin=ReferralOrigin.FSI_DIRECT,
            main_problem=problem(),
            consent_to_contact=True,
        )
    referral_take(referral=referral, case=case, acting_user=worker)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN and referral.beneficiary == case.beneficiary
