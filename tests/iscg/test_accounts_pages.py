"""The departmental administrator manages the accounts of her départements in the
application: search, invitation, roles, deactivation, second factor, four eyes."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from iscg import access, services
from iscg.enums import Role
from iscg.models import AccessLog, Membership, User
from tests.iscg.factories import DepartmentFactory, EmployerFactory, UserFactory


@pytest.fixture
def ain():
    ain = DepartmentFactory(code="01", name="Ain")
    rhone = DepartmentFactory(code="69", name="Rhône")
    return {
        "department": ain,
        "rhone": rhone,
        "admin": UserFactory(admin=True, department=ain, email="admin@demo.iscg.fr"),
        "worker": UserFactory(worker=True, department=ain, email="iscg@ain.fr"),
        "rhone_worker": UserFactory(worker=True, department=rhone, email="iscg@rhone.fr"),
        "employer": EmployerFactory(department=ain, name="Association de l'Ain"),
    }


def test_the_list_shows_and_searches_the_accounts_of_her_departements(client, ain):
    client.force_login(ain["admin"])
    url = reverse("administration:user_list")
    content = client.get(url).content.decode()
    assert "iscg@ain.fr" in content and "iscg@rhone.fr" not in content
    page = client.get(url, {"q": "rhone"})
    assert list(page.context["page_obj"]) == []
    page = client.get(url, {"role": "worker"})
    assert list(page.context["page_obj"]) == [ain["worker"]]
    detail = reverse("administration:user_detail", args=[ain["rhone_worker"].pk])
    assert client.get(detail).status_code == 404


def test_an_invitation_sends_a_single_use_link_and_no_password_is_ever_typed(client, ain):
    client.force_login(ain["admin"])
    url = reverse("administration:user_invite")
    form = client.get(url).content.decode()
    assert 'type="password"' not in form
    data = {"first_name": "Inès", "last_name": "Martin", "email": "Ines.Martin@Ain.fr"}
    response = client.post(url, data)
    user = User.objects.get(email="ines.martin@ain.fr")
    assert response.status_code == 302
    assert not user.has_usable_password()
    assert AccessLog.objects.filter(
        user=ain["admin"], action="account_invited", object_id=str(user.pk)
    ).exists()
    # The same address again: a French message on the field, what was typed is kept.
    response = client.post(url, {**data, "email": "ines.martin@ain.fr", "first_name": "Inès B"})
    content = response.content.decode()
    assert "Un compte existe déjà avec cette adresse électronique." in content
    assert 'value="Inès B"' in content
    client.logout()


def test_the_invitation_link_works_once(client, django_capture_on_commit_callbacks):
    ain = DepartmentFactory(code="01")
    admin_user = UserFactory(admin=True, department=ain)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("administration:user_invite"),
            {"first_name": "Inès", "last_name": "Martin", "email": "ines@ain.fr"},
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ines@ain.fr"]
    link = re.search(r"https?://\S+/compte/mot-de-passe/nouveau/\S+/", mail.outbox[0].body)[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    password = "Un-mot-de-passe-choisi-42"
    response = client.post(set_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert User.objects.get(email="ines@ain.fr").check_password(password)
    again = client.get("/" + path, follow=True).content.decode()
    assert "new_password1" not in again  # the link served once


def test_roles_are_given_in_her_departements_with_french_messages(client, ain):
    client.force_login(ain["admin"])
    target = UserFactory(email="nouvelle@ain.fr")
    url = reverse("administration:membership_add", args=[target.pk])
    dep = ain["department"].pk
    response = client.post(url, {"role": "worker", "department": dep})
    assert "Choisissez l&#x27;employeur de l&#x27;intervenant·e." in response.content.decode()
    rhone_employer = EmployerFactory(department=ain["rhone"])
    response = client.post(
        url, {"role": "worker", "department": dep, "employer": rhone_employer.pk}
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(
        url, {"role": "worker", "department": dep, "employer": ain["employer"].pk}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=target)
    assert membership.employer == ain["employer"]
    assert AccessLog.objects.filter(user=ain["admin"], action="role_granted").exists()
    end_url = reverse("administration:membership_end", args=[target.pk, membership.pk])
    response = client.post(end_url, {"end": "2000-01-01"})
    assert "La fin du rôle précède son début." not in response.content.decode()
    membership.refresh_from_db()
    assert str(membership.end) == "2000-01-01"
    access.clear_cache(target)
    assert not target.has_role("worker")


def test_four_eyes_nobody_gives_herself_a_role_or_changes_her_own_account(client, ain):
    admin_user = ain["admin"]
    client.force_login(admin_user)
    detail = client.get(reverse("administration:user_detail", args=[admin_user.pk]))
    assert "un autre administrateur ou l'exploitant technique" in detail.content.decode()
    response = client.post(
        reverse("administration:membership_add", args=[admin_user.pk]),
        {"role": "worker", "department": ain["department"].pk, "employer": ain["employer"].pk},
    )
    assert response.status_code == 200
    assert "vous attribuer vous-même" in response.content.decode()
    assert not admin_user.memberships.filter(role="worker").exists()
    response = client.post(
        reverse("administration:user_action", args=[admin_user.pk, "deactivate"]), follow=True
    )
    assert "vous attribuer vous-même" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    # A second administrator does it, and the access log says who.
    second = UserFactory(admin=True, department=ain["department"])
    client.force_login(second)
    client.post(
        reverse("administration:membership_add", args=[admin_user.pk]),
        {"role": "worker", "department": ain["department"].pk, "employer": ain["employer"].pk},
    )
    assert admin_user.memberships.filter(role="worker").exists()
    row = AccessLog.objects.get(action="role_granted", object_id=str(admin_user.pk))
    assert row.user == second


def test_deactivation_ends_sessions_at_the_next_request_and_reactivation(client, ain):
    worker = ain["worker"]
    worker_client = type(client)()
    worker_client.force_login(worker)
    assert worker_client.get(reverse("home")).status_code == 200
    client.force_login(ain["admin"])
    client.post(reverse("administration:user_action", args=[worker.pk, "deactivate"]))
    response = worker_client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.post(reverse("administration:user_action", args=[worker.pk, "reactivate"]))
    worker.refresh_from_db()
    assert worker.is_active
    actions = set(AccessLog.objects.filter(user=ain["admin"]).values_list("action", flat=True))
    assert {"account_deactivated", "account_reactivated"} <= actions


def test_second_factor_reset_is_logged_and_the_user_is_told(
    client, ain, django_capture_on_commit_callbacks
):
    worker = ain["worker"]
    TOTPDevice.objects.create(user=worker, name="téléphone", confirmed=True)
    client.force_login(ain["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("administration:user_action", args=[worker.pk, "otp_reset"]))
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert [m.to for m in mail.outbox] == [["iscg@ain.fr"]]
    assert "double authentification" in mail.outbox[0].subject
    row = AccessLog.objects.get(action="otp_reset")
    assert row.user == ain["admin"] and row.object_id == str(worker.pk)


def test_an_invitation_survives_an_smtp_failure_through_the_outbox(
    client, ain, django_capture_on_commit_callbacks
):
    """Reproduced before: the invitation was sent by send_mail after commit; with the SMTP
    server down it was lost (or the request failed) and nothing recorded it."""
    from unittest import mock

    from outbox.models import EmailStatus, OutgoingEmail
    from outbox.services import outbox_flush

    client.force_login(ain["admin"])
    smtp_down = mock.patch(
        "outbox.services.EmailMessage.send", side_effect=ConnectionRefusedError("SMTP down")
    )
    with smtp_down, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("administration:user_invite"),
            {"first_name": "Inès", "last_name": "Martin", "email": "ines@ain.fr"},
        )
    assert response.status_code == 302 and not mail.outbox
    email = OutgoingEmail.objects.get(recipient="ines@ain.fr")
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "SMTP down" in email.last_error
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=email.created_at)
    assert outbox_flush() == 1
    assert mail.outbox[0].to == ["ines@ain.fr"]
    assert "/compte/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_the_list_reads_the_roles_of_its_page_in_one_query(
    client, ain, django_assert_max_num_queries
):
    for index in range(30):
        UserFactory(worker=True, department=ain["department"], email=f"iscg{index}@ain.fr")
    client.force_login(ain["admin"])
    url = reverse("administration:user_list")
    client.get(url)
    with django_assert_max_num_queries(12):
        content = client.get(url).content.decode()
    assert content.count("Intervenant") >= 20  # each account's role, named


def test_an_account_without_a_role_is_every_administrators_until_its_first_one(client, ain):
    """An invited account is managed by every administrator until a role attaches it to a
    département; listed in name order among the département's accounts (two lists merged:
    iscg.selectors.administered_users_listed)."""
    rhone_admin = UserFactory(admin=True, department=ain["rhone"])
    invited = UserFactory(email="nouvelle@ain.fr", last_name="Aubert", first_name="Zoé")
    stale = User.objects.get(pk=invited.pk)  # read before the role, saved after it
    url = reverse("administration:user_list")
    for admin_user in (ain["admin"], rhone_admin):
        client.force_login(admin_user)
        listed = list(client.get(url).context["page_obj"])
        assert invited in listed
        assert listed == sorted(listed, key=lambda u: (u.last_name, u.first_name, u.email))
    services.membership_create(
        user=invited,
        role=Role.WORKER,
        department=ain["department"],
        employer=ain["employer"],
        acting_user=ain["admin"],
    )
    stale.first_name = "Zoé-Anne"
    stale.save()
    assert User.objects.get(pk=invited.pk).attached
    client.force_login(rhone_admin)
    assert invited not in client.get(url).context["page_obj"]
    assert client.get(reverse("administration:user_detail", args=[invited.pk])).status_code == 404
    client.force_login(ain["admin"])
    assert invited in client.get(url, {"q": "aubert"}).context["page_obj"]


def test_an_account_whose_role_was_saved_around_the_flag_stays_in_its_departement(client, ain):
    """A role saved without Membership.save (a process of the previous version during a
    deployment, a restored row) leaves the account's flag unset: the memberships
    themselves keep it out of another département's administrator's reach, and listed
    once in its own."""
    rhone_admin = UserFactory(admin=True, department=ain["rhone"])
    account = UserFactory(email="sans.drapeau@ain.fr", last_name="Aubert")
    Membership.objects.bulk_create(
        [
            Membership(
                user=account, role="worker", department=ain["department"], employer=ain["employer"]
            )
        ]
    )
    assert not User.objects.get(pk=account.pk).attached
    url = reverse("administration:user_list")
    client.force_login(rhone_admin)
    assert account not in client.get(url).context["page_obj"]
    assert client.get(reverse("administration:user_detail", args=[account.pk])).status_code == 404
    client.force_login(ain["admin"])
    assert list(client.get(url, {"q": "aubert"}).context["page_obj"]) == [account]
