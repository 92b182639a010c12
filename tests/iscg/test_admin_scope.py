"""The Django admin is scoped by département: an administrator of the Ain manages the Ain."""

import pytest
from django.contrib import admin
from django.urls import reverse

from iscg import services
from iscg.admin import ScopedChoicesMixin, VisibleToAdminMixin
from iscg.audit import access_log_record
from iscg.enums import Role
from iscg.models import AccessLog, Department, Employer, User
from tests.iscg.factories import DepartmentFactory, EmployerFactory, PostFactory, UserFactory

PROJECT_APPS = {"iscg", "cases", "partners", "conventions", "reporting"}
# National reference lists, the same for every département (public or product-wide data).
NATIONAL_REFERENCE = {"iscg.Commune", "cases.Problem", "cases.ActionKind", "partners.PartnerKind"}


@pytest.fixture
def two():
    ain = DepartmentFactory(code="01", name="Ain")
    rhone = DepartmentFactory(code="69", name="Rhône")
    return {
        "ain": ain,
        "rhone": rhone,
        "admin": UserFactory(admin=True, department=ain, email="admin-ain@example.gouv.fr"),
        "ain_worker": UserFactory(worker=True, department=ain, email="ain@example.gouv.fr"),
        "rhone_worker": UserFactory(worker=True, department=rhone, email="rhone@example.gouv.fr"),
        "rhone_admin": UserFactory(admin=True, department=rhone, email="adm69@example.gouv.fr"),
    }


def _changelist(client, user, name, **params):
    client.force_login(user)
    response = client.get(reverse(f"admin:{name}_changelist"), params)
    assert response.status_code == 200, name
    return list(response.context["cl"].queryset)


def test_user_changelist_is_scoped_to_the_administrators_departements(client, two):
    orphan = UserFactory(email="sans-role@example.gouv.fr")
    seen = _changelist(client, two["admin"], "iscg_user")
    assert set(seen) == {two["admin"], two["ain_worker"], orphan}
    # Searching does not reach further.
    assert _changelist(client, two["admin"], "iscg_user", q="rhone") == []
    # Another département's account cannot be opened nor changed.
    url = reverse("admin:iscg_user_change", args=[two["rhone_worker"].pk])
    assert client.get(url).status_code == 302
    superuser = User.objects.create_superuser(email="root@example.gouv.fr", password="x" * 14)
    # A superuser account (no membership) is not the département administrator's to manage.
    assert superuser not in _changelist(client, two["admin"], "iscg_user")
    assert set(_changelist(client, superuser, "iscg_user")) >= {
        two["rhone_worker"],
        two["rhone_admin"],
        two["ain_worker"],
    }


def test_department_changelist_is_scoped(client, two):
    assert _changelist(client, two["admin"], "iscg_department") == [two["ain"]]
    assert _changelist(client, two["rhone_admin"], "iscg_department") == [two["rhone"]]


def test_the_user_form_offers_only_the_administrators_departements(client, two):
    # The Ain worker also holds a role in the Rhône: the Ain administrator does not see it.
    services.membership_create(
        user=two["ain_worker"], role=Role.PREFECTURE, department=two["rhone"], acting_user=None
    )
    client.force_login(two["admin"])
    response = client.get(reverse("admin:iscg_user_change", args=[two["ain_worker"].pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    # Superuser status and role groups are not the administrator's to give.
    assert "is_superuser" not in form.fields and "groups" not in form.fields
    inline = next(
        f
        for f in response.context["inline_admin_formsets"]
        if f.formset.model.__name__ == "Membership"
    )
    choices = inline.formset.empty_form.fields["department"].queryset
    assert list(choices) == [two["ain"]]
    shown = list(inline.formset.queryset)
    assert shown and all(m.department == two["ain"] for m in shown)
    assert two["ain_worker"].memberships.filter(department=two["rhone"]).exists()


def test_access_log_rows_are_scoped(client, two):
    access_log_record(user=two["ain_worker"], action="view", obj=two["ain_worker"])
    access_log_record(user=two["rhone_worker"], action="view", obj=two["rhone_worker"])
    access_log_record(user=None, action="login_failed", username="ain@example.gouv.fr")
    access_log_record(user=None, action="login_failed", username="rhone@example.gouv.fr")
    rows = _changelist(client, two["admin"], "iscg_accesslog")
    assert {(r.action, r.username) for r in rows} >= {
        ("view", "ain@example.gouv.fr"),
        ("login_failed", "ain@example.gouv.fr"),
    }
    assert not [r for r in rows if "rhone" in r.username]
    assert AccessLog.objects.filter(username__contains="rhone").count() >= 2


def test_organisation_admins_and_their_choices_are_scoped(client, two):
    ain_employer = EmployerFactory(department=two["ain"])
    rhone_employer = EmployerFactory(department=two["rhone"])
    employers = _changelist(client, two["admin"], "iscg_employer")
    assert ain_employer in employers and rhone_employer not in employers
    assert all(e.department == two["ain"] for e in employers)
    client.force_login(two["admin"])
    response = client.get(reverse("admin:iscg_post_add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.fields["employer"].queryset) == set(
        Employer.objects.filter(department=two["ain"])
    )
    assert not form.fields["units"].queryset.exclude(department=two["ain"]).exists()
    rhone_post = PostFactory(employer=rhone_employer)
    assert rhone_post not in _changelist(client, two["admin"], "iscg_post")


def test_every_model_admin_of_the_project_is_scoped():
    """A new ModelAdmin must go through visible_to (VisibleToAdminMixin), define its own
    département scope (get_queryset), or be a national reference list."""
    unscoped = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS or model._meta.label in NATIONAL_REFERENCE:
            continue
        own_scope = "get_queryset" in type(model_admin).__dict__
        if not (isinstance(model_admin, VisibleToAdminMixin) or own_scope):
            unscoped.append(model._meta.label)
        # Forms with foreign keys offer scoped choices (Department and AccessLog have none).
        no_choices = model._meta.label in ("iscg.Department", "iscg.AccessLog")
        if not isinstance(model_admin, ScopedChoicesMixin) and not no_choices:
            unscoped.append(f"{model._meta.label} (choices)")
        for inline in model_admin.inlines:
            if any(
                f.is_relation and f.related_model in (Department, User)
                for f in inline.model._meta.get_fields()
                if getattr(f, "concrete", False)
            ) and not issubclass(inline, ScopedChoicesMixin):
                unscoped.append(f"{inline.__name__} (inline choices)")
    assert unscoped == []
