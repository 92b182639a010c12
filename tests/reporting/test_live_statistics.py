"""Live statistics for those who steer: unit lead, préfecture, funder and admin.

Reproduced before: all four were answered 403 on the statistics page, which only workers
and employer managers could open. Each now reads the scopes of the bilans it receives,
masked, and nothing outside them: another département, a unit it does not lead, a post
its conventions do not cover, or a period they do not cover.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.live_scopes import live_scope_choices
from reporting.periods import quarter_of
from reporting.secrecy.perturbation import LEGEND as PERTURBATION_LEGEND
from tests.conventions.factories import make_convention
from tests.iscg.factories import (
    DepartmentFactory,
    EmployerFactory,
    FunderFactory,
    PostFactory,
    UnitFactory,
    UserFactory,
)
from tests.reporting.test_views import world  # noqa: F401 - fixture

Q1 = {"preset": "custom", "start": "2026-01-01", "end": "2026-03-31"}


@pytest.fixture
def steering(world):  # noqa: F811
    data, users, _, _ = world
    dep = data["department"]
    funded = make_convention(
        employer=data["employer"],
        funders=[data_funder(users)],
        posts=[data["post"]],
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    elsewhere = DepartmentFactory(code="38")
    far_post = PostFactory(employer=EmployerFactory(department=elsewhere))
    far_unit = UnitFactory(department=elsewhere)
    far_post.units.add(far_unit)
    data["other_post"] = PostFactory(employer=data["employer"])  # not funded
    return data, users, {"convention": funded, "far_post": far_post, "far_unit": far_unit}, dep


def data_funder(users):
    return users["funder"].memberships.get().funder


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reporting:dashboard"), params)


@pytest.mark.parametrize("role", ["unit_lead", "prefecture", "funder", "admin"])
def test_each_steering_role_reads_masked_statistics_of_its_scopes(client, steering, role):
    data, users, _, _ = steering
    scope = f"unit:{data['units'][0].pk}" if role == "unit_lead" else f"post:{data['post'].pk}"
    response = page(client, users[role], scope=scope, **Q1)
    assert response.status_code == 200
    assert response.context["form"].is_valid(), response.context["form"].errors
    assert response.context["masked"] is True
    text = response.content.decode()
    assert "Chiffres clés" in text and PERTURBATION_LEGEND in text.replace("&#x27;", "'")
    assert "QUASIMODINE" not in text
    # The default view answers too, with the first scope offered.
    assert page(client, users[role]).status_code == 200


def test_the_scopes_offered_follow_the_bilans_each_role_receives(steering):
    data, users, far, dep = steering
    post, other_post = data["post"], data["other_post"]
    unit = data["units"][0]

    def offered(role):
        return {value for value, _ in live_scope_choices(users[role])}

    for role in ("prefecture", "admin"):
        assert {f"department:{dep.pk}", f"employer:{data['employer'].pk}"} <= offered(role)
        assert {f"post:{post.pk}", f"post:{other_post.pk}", f"unit:{unit.pk}"} <= offered(role)
        assert not {
            f"department:{far['far_post'].employer.department_id}",
            f"post:{far['far_post'].pk}",
            f"unit:{far['far_unit'].pk}",
        } & offered(role)
    assert offered("unit_lead") == {f"unit:{unit.pk}"}
    # The funder's convention covers one post of the employer: that post only.
    assert offered("funder") == {f"post:{post.pk}"}
    assert offered("other_funder") == set()


def test_scopes_outside_the_reach_are_refused_on_the_field(client, steering):
    data, users, far, _ = steering
    attempts = [
        ("prefecture", f"post:{far['far_post'].pk}"),
        ("prefecture", f"department:{far['far_post'].employer.department_id}"),
        ("admin", f"unit:{far['far_unit'].pk}"),
        ("unit_lead", f"unit:{data['units'][1].pk}"),
        ("unit_lead", f"post:{data['post'].pk}"),
        ("funder", f"post:{data['other_post'].pk}"),
        ("funder", f"employer:{data['employer'].pk}"),
    ]
    for role, scope in attempts:
        response = page(client, users[role], scope=scope, **Q1)
        assert response.status_code == 200, (role, scope)
        assert "scope" in response.context["form"].errors, (role, scope)
        assert response.context["figures"] is None


def test_a_funder_reads_only_the_periods_its_conventions_cover(client, steering):
    data, users, _, _ = steering
    scope = f"post:{data['post'].pk}"
    before = {"preset": "custom", "start": "2024-01-01", "end": "2024-03-31"}
    response = page(client, users["funder"], scope=scope, **before)
    assert "ne couvrent pas tous les postes" in " ".join(response.context["form"].errors["preset"])
    assert response.context["figures"] is None
    # The préfecture reads the same period: its reach does not depend on funding.
    response = page(client, users["prefecture"], scope=scope, **before)
    assert response.context["figures"] is not None


def test_roles_without_a_scope_are_refused(client, steering):
    _, users, _, _ = steering
    assert page(client, users["other_funder"]).status_code == 403
    assert page(client, users["unit_agent"]).status_code == 403
    assert page(client, UserFactory(unit_lead=True, unit=UnitFactory())).status_code == 403


def test_the_menu_and_the_home_lead_each_steering_role_to_its_statistics(client, steering):
    _, users, _, _ = steering
    for role in ("unit_lead", "prefecture", "funder", "admin"):
        client.force_login(users[role])
        home = client.get("/").content.decode()
        assert home.count(f'href="{reverse("reporting:dashboard")}"') >= 2, role


def test_the_prefecture_scopes_cost_the_same_queries_with_more_posts_and_units(client, steering):
    data, users, _, dep = steering

    def queries():
        client.force_login(users["prefecture"])
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("reporting:dashboard"), {"scope": f"department:{dep.pk}", **Q1})
        return len(captured)

    queries()  # figures computed and kept
    before = queries()
    for _ in range(5):
        employer = EmployerFactory(department=dep)
        FunderFactory(department=dep)
        PostFactory(employer=employer).units.add(UnitFactory(department=dep))
    assert queries() == before


def test_masked_viewers_ask_quarters_only(client, steering):
    """Perturbed figures for any dates let a reader average away the noise: the same
    people, counted in many windows that differ only by them, each with the noise of its
    own window (one difference per window, all of them around the exact count). A month
    or a year beside its quarter confines counts that neither confines alone
    (tests/reporting/test_live_periods_together.py). A viewer whose figures are
    perturbed asks for whole quarters; the post's workers, who read exact figures,
    choose any dates."""
    data, users, _, _ = steering
    scope = f"post:{data['post'].pk}"
    window = {"preset": "custom", "start": "2026-01-05", "end": "2026-02-17"}
    for role in ("manager", "prefecture", "admin"):
        response = page(client, users[role], scope=scope, **window)
        assert response.status_code == 200, role
        errors = " ".join(response.context["form"].errors.get("start", []))
        assert "sur un trimestre civil entier et terminé" in errors, role
        assert response.context["figures"] is None, role
        assert "2026-01-05" in response.content.decode(), role  # the dates typed stay
    for calendar in (
        Q1,
        {"preset": "custom", "start": "2025-10-01", "end": "2025-12-31"},
        {"preset": "quarter"},
    ):
        response = page(client, users["prefecture"], scope=scope, **calendar)
        assert response.context["figures"] is not None, calendar
    # Not a quarter: February to April, February alone, the last month, a year.
    for other in (
        {"preset": "custom", "start": "2026-02-01", "end": "2026-04-30"},
        {"preset": "custom", "start": "2026-02-01", "end": "2026-02-28"},
        {"preset": "month"},
        {"preset": "year"},
        {"preset": "custom", "start": "2025-01-01", "end": "2025-12-31"},
    ):
        response = page(client, users["prefecture"], scope=scope, **other)
        assert response.context["figures"] is None, other
        assert response.context["form"].errors, other
    for dates in (window, {"preset": "month"}, {"preset": "year"}):
        response = page(client, users["worker"], scope=scope, **dates)
        assert response.context["masked"] is False
        assert response.context["figures"] is not None


def test_masked_viewers_ask_periods_that_have_ended(client, steering):
    """A period still running grows with every entry: the year so far less the quarter
    so far is the quarters before, with a new noise each day entries are made, and one
    answer a day averages to the exact count in a few weeks. The periods still running
    are neither offered nor answered to a viewer whose figures are perturbed."""
    data, users, _, _ = steering
    scope = f"post:{data['post'].pk}"
    running = quarter_of(timezone.localdate())
    for params, field, said in (
        ({"preset": "year_current"}, "preset", "choix valide"),  # not offered
        (
            {"preset": "custom", "start": running.start, "end": running.end},
            "start",
            "civil entier et terminé",
        ),
    ):
        response = page(client, users["prefecture"], scope=scope, **params)
        assert response.status_code == 200
        assert said in " ".join(response.context["form"].errors[field]), params
        assert response.context["figures"] is None, params
    response = page(client, users["prefecture"])
    form = response.context["form"]
    assert "un trimestre civil entier, dont les saisies sont closes" in response.content.decode()
    presets = dict(form.fields["preset"].choices)
    assert presets == {"quarter": "Dernier trimestre arrêté", "custom": "Dates choisies"}
    assert "dont les saisies sont closes" in form.fields["start"].help_text
    # Opened without a question, the préfecture reads the last closed quarter.
    assert page(client, users["prefecture"]).context["figures"] is not None
    response = page(client, users["worker"], scope=scope, preset="year_current")
    assert (response.context["masked"], response.context["figures"] is None) == (False, False)


@pytest.mark.parametrize("role", ["worker", "prefecture"])
def test_a_date_no_calendar_holds_is_an_error_on_its_field(client, steering, role):
    data, users, _, _ = steering
    scope = f"post:{data['post'].pk}"
    for start, end, field in (
        ("9999-12-01", "9999-12-31", "start"),
        ("2026-01-01", "9999-12-31", "end"),
        ("0001-01-01", "0001-01-31", "start"),
    ):
        response = page(client, users[role], scope=scope, preset="custom", start=start, end=end)
        assert response.status_code == 200, (start, end)
        assert "entre 1990 et 2100" in " ".join(response.context["form"].errors[field])
        assert response.context["figures"] is None


def test_a_worker_who_also_manages_opens_on_the_last_ended_quarter(client, steering):
    """The employer comes first among their scopes, perturbed: opened on the quarter
    still running, the page was an error before any question."""
    from iscg import services as iscg_services
    from iscg.enums import Role

    data, users, _, _ = steering
    iscg_services.membership_create(
        user=users["worker"],
        role=Role.EMPLOYER_MANAGER,
        department=data["employer"].department,
        employer=data["employer"],
        acting_user=None,
    )
    response = page(client, users["worker"])
    assert response.context["masked"] is True
    assert not response.context["form"].errors
    assert response.context["figures"] is not None
