"""The one read gate (iscg.gate): nothing for an anonymous or deactivated user, every row
of the organisation, conventions and bilans for the technical operator, no case data."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from cases.models import Beneficiary, Case, Referral
from iscg.gate import GatedQuerySet
from iscg.models import Post
from tests.cases.factories import CaseFactory, ReferralFactory
from tests.iscg.factories import UserFactory

GATED = [
    model
    for model in apps.get_models()
    if isinstance(model._default_manager.get_queryset(), GatedQuerySet)
]


@pytest.mark.parametrize("model", GATED, ids=lambda model: model._meta.label)
def test_nobody_signed_in_or_deactivated_reads_anything(model, db):
    worker = UserFactory(worker=True)
    worker.is_active = False
    assert model.objects.visible_to(AnonymousUser()).query.is_empty()
    assert model.objects.visible_to(worker).query.is_empty()


def test_the_technical_operator_reads_the_organisation_but_no_case_data(db):
    case = CaseFactory()
    ReferralFactory(post=case.post)
    operator = UserFactory(is_superuser=True, is_staff=True)
    assert Post.objects.visible_to(operator).count() == Post.objects.count() >= 1
    for model in (Beneficiary, Case, Referral):
        assert model.objects.exists()
        assert not model.objects.visible_to(operator).exists()


def test_the_administration_pages_read_the_administered_departements_only(db):
    from iscg.models import Department, Site, Unit
    from tests.iscg.factories import DepartmentFactory, PostFactory, SiteFactory, UnitFactory

    ain, rhone = DepartmentFactory(code="01"), DepartmentFactory(code="69")
    for department in (ain, rhone):
        UnitFactory(department=department)
        SiteFactory(department=department)
        PostFactory(employer__department=department)
    admin = UserFactory(admin=True, department=ain)
    prefecture = UserFactory(prefecture=True, department=ain)
    operator = UserFactory(is_superuser=True, is_staff=True)
    for model in (Unit, Site, Department):
        field = "pk" if model is Department else "department"
        assert set(model.objects.administered_by(admin).values_list(field, flat=True)) == {ain.pk}
        assert not model.objects.administered_by(prefecture).exists()
        assert model.objects.administered_by(operator).count() == model.objects.count()
    assert {post.employer.department_id for post in Post.objects.administered_by(admin)} == {ain.pk}
