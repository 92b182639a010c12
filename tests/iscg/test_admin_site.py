"""Django's admin site is the technical operator's: the attacks of a departmental
administrator through it (history read and revert across départements, revert on a
read-only model, self-granted holding, out-of-scope inline ids) are refused."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from conventions.models import ConventionParty, FundingLine
from iscg import services
from iscg.admin_site import OperatorAdminSite, ReadOnlyAdminMixin, ScopedHistoryAdmin
from iscg.models import Employer, PostHolding, User
from tests.conventions.factories import make_convention, make_line
from tests.iscg.factories import (
    DepartmentFactory,
    EmployerFactory,
    FunderFactory,
    PostFactory,
    UserFactory,
)

# Models written by the services only (grants, reconciled sums): no writing form in the
# admin site, even for the operator.
SERVICE_WRITTEN = {
    "iscg.User",
    "iscg.Membership",
    "iscg.Post",
    "iscg.PostHolding",
    "conventions.Convention",
    "conventions.ConventionParty",
    "conventions.ConventionPost",
    "conventions.BudgetLine",
    "conventions.FundingLine",
    "conventions.Payment",
    "conventions.Amendment",
    "conventions.ConventionDocument",
    "conventions.SentAlert",
}


@pytest.fixture
def two():
    ain = DepartmentFactory(code="01", name="Ain")
    rhone = DepartmentFactory(code="69", name="Rhône")
    return {
        "ain": ain,
        "rhone": rhone,
        "admin": UserFactory(admin=True, department=ain, email="admin@demo.iscg.fr"),
        "rhone_agent": UserFactory(unit_agent=True, department=rhone, email="agent@rhone.fr"),
        "root": User.objects.create_superuser(email="root@example.gouv.fr", password="x" * 14),
    }


def test_the_admin_site_is_the_operators(two, client):
    assert isinstance(site, OperatorAdminSite)
    client.force_login(two["admin"])
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get(reverse("admin:iscg_user_changelist")).status_code == 403
    client.force_login(two["root"])
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:iscg_user_changelist")).status_code == 200
    client.logout()
    assert client.get(reverse("admin:index")).status_code == 302


def test_history_read_and_revert_across_departements_are_refused(two, client):
    agent = two["rhone_agent"]
    client.force_login(two["admin"])
    response = client.get(reverse("admin:iscg_user_history", args=[two["root"].pk]))
    assert response.status_code == 403
    assert "root@example.gouv.fr" not in response.content.decode()
    version = agent.history.latest().history_id
    url = reverse("admin:iscg_user_simple_history", args=[agent.pk, version])
    response = client.post(url, {"email": "pirate@exterieur.example.com"})
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.email == "agent@rhone.fr"


def test_revert_is_refused_even_to_the_operator_on_a_read_only_model(two, client, settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    line = make_line(make_convention(employer=EmployerFactory(department=two["ain"])))
    line.granted = Decimal("60000.00")
    line.save()
    version = line.history.earliest().history_id
    client.force_login(two["root"])
    url = reverse("admin:conventions_fundingline_simple_history", args=[line.pk, version])
    assert client.get(url).status_code == 200  # reading a past version stays possible
    response = client.post(url, {"granted": "1.00", "requested": "1.00", "year": line.year})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.granted == Decimal("60000.00")


def _staff_request(user, method="get"):
    """A request as if the site gate were gone: the model admins hold on their own."""
    user.is_staff = True
    request = getattr(RequestFactory(), method)("/admin/")
    request.user = user
    return request


def test_history_views_load_the_object_through_the_scoped_queryset(two):
    rhone_employer = EmployerFactory(department=two["rhone"], name="Employeur du Rhône")
    rhone_employer.name = "Employeur du Rhône (renommé)"
    rhone_employer.save()
    model_admin = site._registry[Employer]
    request = _staff_request(two["admin"])
    with pytest.raises(Http404):
        model_admin.history_view(request, str(rhone_employer.pk))
    version = rhone_employer.history.earliest().history_id
    with pytest.raises(Http404):
        model_admin.history_form_view(request, str(rhone_employer.pk), str(version))
    with pytest.raises(PermissionDenied):
        model_admin.history_form_view(
            _staff_request(two["root"], "post"), str(rhone_employer.pk), str(version)
        )


def test_a_self_granted_holding_is_refused(two, client):
    admin_user = two["admin"]
    post = PostFactory(employer__department=two["ain"])
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:iscg_post_change", args=[post.pk]),
        {
            "postholding_set-TOTAL_FORMS": "1",
            "postholding_set-INITIAL_FORMS": "0",
            "postholding_set-0-worker": admin_user.pk,
            "postholding_set-0-kind": "holder",
            "postholding_set-0-start": "2026-01-01",
        },
    )
    assert response.status_code == 403
    # Through the service too, even once she holds a worker role at the employer.
    services.membership_create(
        user=admin_user,
        role="worker",
        department=two["ain"],
        employer=post.employer,
        acting_user=two["root"],
    )
    with pytest.raises(Exception, match="vous attribuer vous-même"):
        services.post_holding_start(
            post=post, worker=admin_user, start=datetime.date(2026, 1, 1), acting_user=admin_user
        )
    assert not PostHolding.objects.filter(worker=admin_user).exists()


def test_out_of_scope_inline_ids_are_refused(two, client):
    convention = make_convention(employer=EmployerFactory(department=two["ain"]))
    rhone_funder = FunderFactory(department=two["rhone"])
    client.force_login(two["admin"])
    response = client.post(
        reverse("admin:conventions_convention_change", args=[convention.pk]),
        {"parties-TOTAL_FORMS": "1", "parties-0-funder": rhone_funder.pk},
    )
    assert response.status_code == 403
    # The convention pages, the only write path, offer and accept the département's only.
    response = client.post(
        reverse("conventions:party_add", args=[convention.pk]),
        {"role": "funder", "funder": rhone_funder.pk},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not ConventionParty.objects.filter(funder=rhone_funder).exists()
    assert FundingLine.objects.filter(funder=rhone_funder).count() == 0


# --- consistency: project-wide rules of the admin site ---------------------------------


def test_no_model_admin_is_reachable_by_anyone_but_a_superuser(two):
    """Even a staff account holding every permission is refused by the site itself."""
    request = _staff_request(two["admin"])
    two["admin"].is_superuser = False
    assert not site.has_permission(request)
    for model_admin in site._registry.values():
        view = site.admin_view(model_admin.changelist_view)
        with pytest.raises(PermissionDenied):
            view(request)


def test_service_written_models_have_no_writing_form_in_the_admin(two):
    request = _staff_request(two["root"])
    writers = []
    for model, model_admin in site._registry.items():
        if model._meta.label not in SERVICE_WRITTEN:
            continue
        for obj_admin in [model_admin, *model_admin.get_inline_instances(request)]:
            allowed = [
                action
                for action in ("add", "change", "delete")
                if getattr(obj_admin, f"has_{action}_permission")(request, None)
            ]
            if allowed:
                writers.append(f"{type(obj_admin).__name__}: {allowed}")
    assert writers == []
    registered = {model._meta.label for model in site._registry}
    assert {"iscg.User", "iscg.Post", "conventions.Convention"} <= registered


def test_every_history_admin_is_scoped_and_never_reverts():
    for model, model_admin in admin.site._registry.items():
        if hasattr(model_admin, "history_view") and hasattr(model_admin, "history_form_view"):
            assert isinstance(model_admin, ScopedHistoryAdmin), model._meta.label
        if model._meta.label in SERVICE_WRITTEN:
            assert isinstance(model_admin, ReadOnlyAdminMixin), model._meta.label
