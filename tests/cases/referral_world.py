"""A small world for the referral tests: a brigade, its company, their post and users."""

import pytest

from iscg.enums import UnitKind
from tests.iscg.factories import CommuneFactory, PostFactory, UnitFactory, UserFactory


@pytest.fixture(name="world")
def world_fixture():
    company = UnitFactory(kind=UnitKind.COMPAGNIE, name="Compagnie de test")
    department = company.department
    brigade = UnitFactory(parent=company, department=department, name="Brigade de Testville")
    other_brigade = UnitFactory(parent=company, department=department, name="Brigade d'Ailleurs")
    post = PostFactory(units=[brigade, other_brigade], employer__department=department)
    other_post = PostFactory(employer__department=department)
    commune = CommuneFactory(
        department=department, code="01093", name="Châtillon-sur-Chalaronne", postcodes="01400"
    )
    return {
        "department": department,
        "company": company,
        "brigade": brigade,
        "other_brigade": other_brigade,
        "post": post,
        "other_post": other_post,
        "commune": commune,
        "agent": UserFactory(unit_agent=True, unit=brigade, department=department),
        "other_agent": UserFactory(unit_agent=True, unit=other_brigade, department=department),
        "lead": UserFactory(unit_lead=True, unit=company, department=department),
        "worker": UserFactory(worker=True, post=post, department=department),
        "other_worker": UserFactory(worker=True, post=other_post, department=department),
        "manager": UserFactory(
            employer_manager=True, employer=post.employer, department=department
        ),
    }
