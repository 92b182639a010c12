"""The access log: recorded with the read, for refusals and logins, never with case content."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from iscg.audit import AuditedObjectMixin, access_log_record, audited
from iscg.models import AccessLog
from tests.cases.factories import ActionFactory, BeneficiaryFactory, CaseFactory
from tests.iscg.factories import PASSWORD, DepartmentFactory, UserFactory


@pytest.fixture
def worker_and_file():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    beneficiary = BeneficiaryFactory(post=post, created_by=worker, last_name="Secretnom")
    case = CaseFactory(beneficiary=beneficiary, created_by=worker)
    action = ActionFactory(case=case, author=worker, confidential_note="Note tres secrete")
    return worker, beneficiary, case, action


def _all_text(row: AccessLog) -> str:
    return " ".join(str(getattr(row, f.attname)) for f in AccessLog._meta.concrete_fields)


def test_record_designates_the_object_without_its_content(worker_and_file, rf):
    worker, beneficiary, _, _ = worker_and_file
    request = rf.get("/dossier/1/?q=Secretnom")
    request.user = worker
    row = access_log_record(user=worker, action="view", obj=beneficiary, request=request)
    assert row.content_type == ContentType.objects.get_for_model(beneficiary)
    assert row.object_id == str(beneficiary.pk)
    assert row.object_label == f"bénéficiaire n° {beneficiary.pk}"
    assert row.path == "/dossier/1/"
    assert row.ip_address == "127.0.0.1"
    assert "Secretnom".lower() not in _all_text(row).lower()


def test_unknown_actions_are_refused(worker_and_file):
    with pytest.raises(ValueError):
        access_log_record(user=worker_and_file[0], action="peek")


def test_the_decorator_writes_the_row_in_the_transaction_of_the_read(worker_and_file, rf):
    worker, beneficiary, _, _ = worker_and_file
    seen = {}

    @audited
    def view(request):
        seen["atomic"] = transaction.get_connection().in_atomic_block
        request.audit = ("view", beneficiary)
        return HttpResponse("ok")

    request = rf.get("/")
    request.user = worker
    assert view(request).status_code == 200
    assert seen["atomic"]
    assert AccessLog.objects.filter(user=worker, action="view", object_id=beneficiary.pk).exists()


def test_if_the_row_cannot_be_written_nothing_is_served(worker_and_file, rf):
    worker, beneficiary, _, _ = worker_and_file

    @audited
    def view(request):
        request.audit = ("not-an-action", beneficiary)
        return HttpResponse("secret")

    request = rf.get("/")
    request.user = worker
    with pytest.raises(ValueError):
        view(request)


def test_the_mixin_logs_the_object_read_through_the_view(worker_and_file, rf):
    from django.views.generic import DetailView

    from cases.models import Case

    worker, _, case, _ = worker_and_file

    class CaseView(AuditedObjectMixin, DetailView):
        def get_queryset(self):
            return Case.objects.visible_to(self.request.user)

        def render_to_response(self, context, **kwargs):
            return HttpResponse("ok")

    request = rf.get("/")
    request.user = worker
    assert CaseView.as_view()(request, pk=case.pk).status_code == 200
    assert AccessLog.objects.filter(action="view", object_id=str(case.pk)).count() == 1
    other = UserFactory(worker=True)
    request.user = other
    with pytest.raises(Http404):
        CaseView.as_view()(request, pk=case.pk)
    assert AccessLog.objects.filter(action="view", object_id=str(case.pk)).count() == 1


def test_history_view_is_logged(client, worker_and_file):
    worker, _, _, action = worker_and_file
    client.force_login(worker)
    url = reverse("history", args=["cases", "action", action.pk])
    assert client.get(url).status_code == 200
    row = AccessLog.objects.get(action="history_view")
    assert row.user == worker
    assert row.object_label == f"acte n° {action.pk}"


def test_refused_accesses_are_logged_without_content(client, worker_and_file):
    _, _, _, action = worker_and_file
    intruder = UserFactory(unit_agent=True)
    client.force_login(intruder)
    url = reverse("history", args=["cases", "action", action.pk])
    assert client.get(url).status_code == 404
    row = AccessLog.objects.get(action="access_refused")
    assert row.user == intruder
    assert row.status_code == 404
    assert row.path == url
    assert row.detail == "history"
    admin_user = UserFactory(admin=True)
    client.force_login(admin_user)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert AccessLog.objects.filter(action="access_refused", status_code=403).exists()


def test_failed_and_successful_logins_are_logged(client):
    user = UserFactory(email="journal@example.gouv.fr")
    client.post(reverse("login"), {"username": user.email, "password": "faux-mot-de-passe"})
    failed = AccessLog.objects.get(action="login_failed")
    assert failed.username == user.email
    assert failed.user is None
    assert "faux" not in _all_text(failed)
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert AccessLog.objects.filter(action="login", user=user).exists()
    client.post(reverse("logout"))
    assert AccessLog.objects.filter(action="logout", user=user).exists()


def test_admin_answers_who_opened_file_x_and_what_user_y_opened(client, worker_and_file):
    worker, beneficiary, case, _ = worker_and_file
    colleague = UserFactory(worker=True)
    access_log_record(user=worker, action="view", obj=beneficiary)
    access_log_record(user=colleague, action="view", obj=case)
    access_log_record(user=worker, action="export", obj=case)
    admin_user = UserFactory(admin=True)
    client.force_login(admin_user)
    url = reverse("access_log")
    page = client.get(url, {"object_id": beneficiary.pk})
    assert page.status_code == 200
    assert {row.object_id for row in page.context["page_obj"]} == {str(beneficiary.pk)}
    page = client.get(url, {"person": worker.email})
    assert {row.action for row in page.context["page_obj"]} >= {"view", "export"}
    assert all(row.user == worker for row in page.context["page_obj"])
    page = client.get(url, {"action": "export", "since": "2020-01-01"})
    assert [row.action for row in page.context["page_obj"]] == ["export"]
    assert "Journal des accès" in page.content.decode()
    # Bad input is explained on its field, nothing typed is lost.
    page = client.get(url, {"since": "pas une date", "person": worker.email})
    assert page.status_code == 200
    assert "Saisissez une date valide" in page.content.decode()
    assert worker.email in page.content.decode()


def test_the_access_log_is_scoped_to_the_administrators_departements(client):
    ain, rhone = DepartmentFactory(code="01"), DepartmentFactory(code="69")
    admin_user = UserFactory(admin=True, department=ain)
    ain_worker = UserFactory(worker=True, department=ain, email="ain@example.gouv.fr")
    rhone_worker = UserFactory(worker=True, department=rhone, email="rhone@example.gouv.fr")
    access_log_record(user=ain_worker, action="view", obj=ain_worker)
    access_log_record(user=rhone_worker, action="view", obj=rhone_worker)
    access_log_record(user=None, action="login_failed", username="ain@example.gouv.fr")
    access_log_record(user=None, action="login_failed", username="rhone@example.gouv.fr")
    client.force_login(admin_user)
    rows = list(client.get(reverse("access_log")).context["page_obj"])
    assert {(r.action, r.username) for r in rows} >= {
        ("view", "ain@example.gouv.fr"),
        ("login_failed", "ain@example.gouv.fr"),
    }
    assert not [r for r in rows if "rhone" in r.username]


def test_only_the_admin_role_reads_the_access_log(client):
    for role in ("worker", "unit_lead", "prefecture", "employer_manager"):
        client.force_login(UserFactory(**{role: True}))
        assert client.get(reverse("access_log")).status_code == 403, role
        assert client.get(reverse("admin:iscg_accesslog_changelist")).status_code == 403, role


def test_request_factory_without_user_is_anonymous():
    request = RequestFactory().get("/")
    row = access_log_record(user=None, action="access_refused", request=request)
    assert row.user is None and row.username == ""


def test_the_access_log_works_in_the_demo(client):
    from django.core.management import call_command

    from iscg.demo import DEMO_PASSWORD

    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
    client.post(
        reverse("login"), {"username": "policier@demo.iscg.fr", "password": "mauvais-essai"}
    )
    response = client.post(
        reverse("login"), {"username": "admin@demo.iscg.fr", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert "Journal des accès" in home
    page = client.get(reverse("access_log"), {"action": "login_failed"})
    assert page.status_code == 200
    assert "policier@demo.iscg.fr" in page.content.decode()
