import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from iscg import access, services
from iscg.enums import HoldingKind, Role, UnitKind
from iscg.grants import sync_all
from iscg.models import AccountSession as Session
from iscg.models import Post, PostUserObjectPermission, Unit
from tests.iscg.factories import DepartmentFactory, PostFactory, UnitFactory, UserFactory


def _post_ids(user):
    access.clear_cache(user)
    return set(access.worked_post_ids(user))


def test_holding_a_post_grants_its_files_and_ending_it_withdraws_them():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    assert _post_ids(worker) == {post.pk}
    assert list(Post.objects.visible_to(worker)) == [post]

    services.post_holding_end(
        holding=worker.holdings.get(), end=datetime.date(2021, 1, 1), acting_user=None
    )
    assert _post_ids(worker) == set()


def test_a_stand_in_reaches_the_post_only_during_its_period():
    titular = UserFactory(worker=True)
    post = titular.holdings.get().post
    stand_in = UserFactory(worker=True, post=PostFactory(employer=post.employer))
    with time_machine.travel(datetime.date(2026, 3, 1)):
        services.post_holding_start(
            post=post,
            worker=stand_in,
            kind=HoldingKind.STAND_IN,
            start=datetime.date(2026, 3, 10),
            end=datetime.date(2026, 3, 20),
            acting_user=None,
        )
        assert post.pk not in _post_ids(stand_in)
    with time_machine.travel(datetime.date(2026, 3, 15)):
        sync_all()
        assert post.pk in _post_ids(stand_in)
    with time_machine.travel(datetime.date(2026, 3, 21)):
        sync_all()
        assert post.pk not in _post_ids(stand_in)


def test_only_a_worker_can_hold_a_post():
    agent = UserFactory(unit_agent=True)
    with pytest.raises(Exception, match="intervenant"):
        services.post_holding_start(
            post=PostFactory(), worker=agent, start=datetime.date(2026, 1, 1), acting_user=None
        )


def test_a_unit_lead_follows_every_unit_below_theirs():
    department = DepartmentFactory()
    company = UnitFactory(department=department, kind=UnitKind.COMPAGNIE, name="Compagnie")
    brigade = UnitFactory(department=department, parent=company)
    other = UnitFactory(department=department)
    lead = UserFactory(unit_lead=True, unit=company, department=department)
    agent = UserFactory(unit_agent=True, unit=brigade, department=department)
    assert set(access.followed_unit_ids(lead)) == {company.pk, brigade.pk}
    assert set(access.followed_unit_ids(agent)) == {brigade.pk}
    assert other.pk not in set(
        Unit.objects.filter(pk__in=access.followed_unit_ids(lead)).values_list("pk", flat=True)
    )


def test_role_groups_follow_memberships_and_only_superusers_are_staff():
    admin = UserFactory(admin=True)
    worker = UserFactory(worker=True)
    # Django's admin site is the technical operator's: no role makes an account staff.
    assert not admin.is_staff and not worker.is_staff
    assert admin.groups.filter(name="Rôle : Administrateur départemental").exists()
    assert admin.has_perm("iscg.change_unit")
    assert not worker.has_perm("iscg.change_unit")


def test_deactivating_a_user_ends_their_sessions_and_grants(client):
    worker = UserFactory(worker=True)
    client.force_login(worker)
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.filter(user_id=worker.pk).count() == 1
    services.user_deactivate(user=worker, acting_user=None)
    assert not Session.objects.exists()
    assert client.get(reverse("home")).status_code == 302
    assert not PostUserObjectPermission.objects.filter(user=worker).exists()


def test_deactivation_also_applies_when_done_directly_in_the_database(client):
    worker = UserFactory(worker=True)
    client.force_login(worker)
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)
    assert client.get(reverse("home")).status_code == 302


def test_rebuild_permissions_is_dry_by_default_and_repairs_with_wet_run(capsys):
    worker = UserFactory(worker=True)
    PostUserObjectPermission.objects.filter(user=worker).delete()
    stray_post = PostFactory()
    PostUserObjectPermission.objects.create(
        user=worker,
        content_object=stray_post,
        permission=PostUserObjectPermission.objects.model._meta.get_field(
            "permission"
        ).related_model.objects.get(codename="work_on_post"),
    )
    call_command("rebuild_permissions")
    out = capsys.readouterr().out
    assert "+ iscg.PostUserObjectPermission.work_on_post" in out
    assert "- iscg.PostUserObjectPermission.work_on_post" in out
    assert "--wet-run" in out
    # Dry: the stray grant stays in the table (it opens nothing: no holding runs today).
    granted = PostUserObjectPermission.objects.filter(user=worker)
    assert set(granted.values_list("content_object_id", flat=True)) == {stray_post.pk}
    assert _post_ids(worker) == set()

    call_command("rebuild_permissions", "--wet-run")
    assert _post_ids(worker) == {worker.holdings.get().post_id}
    call_command("rebuild_permissions")
    assert "Aucune différence" in capsys.readouterr().out


def test_membership_requires_its_target():
    user = UserFactory()
    with pytest.raises(Exception, match="unité"):
        services.membership_create(
            user=user, role=Role.UNIT_AGENT, department=DepartmentFactory(), acting_user=None
        )


def test_grants_are_read_once_per_user_object_through_lazy_wrappers():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.functional import SimpleLazyObject

    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    # request.user: the auth middleware's lazy user, wrapped again by django-otp.
    wrapped = SimpleLazyObject(lambda: SimpleLazyObject(lambda: worker))
    with CaptureQueriesContext(connection) as context:
        assert access.worked_post_ids(wrapped) == [post.pk]
        assert access.has_role(wrapped, Role.WORKER)
        assert access.worked_post_ids(worker) == [post.pk]
        assert worker.has_role(Role.WORKER)
    assert len(context.captured_queries) == 2  # the grants, the memberships
    # Querysets receive the ids as a list: no subquery on the grant table.
    with CaptureQueriesContext(connection) as context:
        list(Post.objects.filter(pk__in=access.worked_post_ids(worker)))
    assert "objectpermission" not in context.captured_queries[0]["sql"]
    access.clear_cache(wrapped)
    services.post_holding_end(
        holding=worker.holdings.get(), end=datetime.date(2021, 1, 1), acting_user=None
    )
    assert access.worked_post_ids(worker) == []
