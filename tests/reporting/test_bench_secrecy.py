"""The bench's measure of nested bilans runs on a small département and reports what it
protected: every bilan either published or refused at the audit, nothing unprotected."""

import datetime

import pytest
from django.utils import timezone

from bench.secrecy import nested_costs
from tests.cases.factories import CaseFactory
from tests.iscg.factories import DepartmentFactory, EmployerFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posts_first", [False, True])
def test_nested_bilans_of_a_small_department(posts_first):
    employer = EmployerFactory(department=DepartmentFactory(code="01"))
    last_year = timezone.localdate().year - 1
    for opened in (5, 2):
        post = PostFactory(employer=employer)
        for day in range(1, opened + 1):
            CaseFactory(
                beneficiary__post=post, post=post, opened_on=datetime.date(last_year, 3, day)
            )
    costs = nested_costs(employer.department_id, posts_first=posts_first)
    assert costs["bilans"] == 4  # the département, the employer, two posts
    assert costs["published"] + costs["masked_whole"] == 4
    assert costs["published"] >= 2
    assert costs["unprotected"] == 0
    assert 0 < costs["cells_masked"] < costs["cells_published"]
