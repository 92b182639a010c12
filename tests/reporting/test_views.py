"""Every URL of the bilans, for every role: 200 / 403 (role) / 404 (outside scope)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from iscg.models import AccessLog
from reporting import services
from reporting.models import GenerationState, Report, ReportKind, ReportStatus
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy import MASKED
from tests.iscg.factories import (
    DepartmentFactory,
    FunderFactory,
    UserFactory,
)
from tests.reporting import dataset

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def world(monkeypatch):
    data = dataset.build()
    dep = data["department"]
    funder = FunderFactory(department=dep)
    monkeypatch.setattr(
        services.creation, "funder_ids_covering", lambda *, post_ids, start, end: {funder.pk}
    )
    users = {
        "worker": data["worker"],
        "other_worker": UserFactory(worker=True, department=dep),
        "unit_agent": UserFactory(unit_agent=True, unit=data["units"][0], department=dep),
        "unit_lead": UserFactory(unit_lead=True, unit=data["units"][0], department=dep),
        "manager": UserFactory(employer_manager=True, employer=data["employer"], department=dep),
        "other_manager": UserFactory(employer_manager=True, department=dep),
        "prefecture": UserFactory(prefecture=True, department=dep),
        "funder": UserFactory(funder_user=True, funder=funder, department=dep),
        "other_funder": UserFactory(funder_user=True, department=dep),
        "admin": UserFactory(admin=True, department=dep),
        "other_prefecture": UserFactory(prefecture=True, department=DepartmentFactory(code="69")),
    }
    report = services.report_create(
        kind=ReportKind.MONTHLY,
        period=Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
        scope=Scope.for_post(data["post"]),
        acting_user=data["worker"],
    )
    services.report_validate(report=report, acting_user=users["manager"])
    services.report_send(report=report, acting_user=users["manager"])
    # The real rendering is tested in test_reports.py; a stored file is enough here.
    report.pdf.save("bilan.pdf", ContentFile(b"%PDF-1.4 bilan de test"), save=False)
    report.generation_state = GenerationState.DONE
    report.save()
    draft = services.report_create(
        kind=ReportKind.QUARTERLY,
        period=Q1,
        scope=Scope.for_employer(data["employer"]),
        acting_user=users["manager"],
    )
    return data, users, report, draft


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"reporting:{name}", args=args))


def post(client, user, name, *args, data=None):
    client.force_login(user)
    return client.post(reverse(f"reporting:{name}", args=args), data or {})


def test_anonymous_is_sent_to_login(client, world):
    _, _, report, _ = world
    for name, args in (
        ("list", ()),
        ("dashboard", ()),
        ("detail", (report.pk,)),
        ("download", (report.pk,)),
    ):
        response = client.get(reverse(f"reporting:{name}", args=args))
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("worker", 200),
        ("manager", 200),
        ("prefecture", 200),
        ("funder", 200),
        ("unit_lead", 200),
        ("admin", 200),
        ("unit_agent", 403),
    ],
)
def test_list_by_role(client, world, role, expected):
    _, users, report, draft = world
    response = get(client, users[role], "list")
    assert response.status_code == expected
    if expected == 200:
        assert response.context["page_obj"].paginator.count >= 1


def test_list_contents_per_role(client, world):
    _, users, report, draft = world

    def listed(role):
        return {r.pk for r in get(client, users[role], "list").context["page_obj"]}

    assert listed("worker") == {report.pk}
    assert listed("manager") == {report.pk, draft.pk}
    # Drafts belong to their authors: the préfecture and the admin see what was sent.
    assert listed("prefecture") == {report.pk}
    assert listed("admin") == {report.pk}
    assert listed("funder") == {report.pk}
    assert listed("unit_lead") == {report.pk}  # monthly, sent, serving their unit
    assert listed("other_funder") == set()
    assert listed("other_manager") == set()
    assert listed("other_prefecture") == set()


@pytest.mark.parametrize(
    "role,expected",
    [
        ("worker", 200),
        ("manager", 200),
        ("prefecture", 200),
        ("funder", 200),
        ("unit_lead", 200),
        ("admin", 200),
        ("other_funder", 404),
        ("other_manager", 404),
        ("other_worker", 404),
        ("unit_agent", 404),
        ("other_prefecture", 404),
    ],
)
def test_detail_status_download_export_by_role(client, world, role, expected):
    _, users, report, _ = world
    for name, args in (
        ("detail", (report.pk,)),
        ("status", (report.pk,)),
        ("download", (report.pk,)),
        ("export", (report.pk, "csv")),
        ("export", (report.pk, "xlsx")),
    ):
        response = get(client, users[role], name, *args)
        assert response.status_code == expected, (name, response.status_code)


def test_download_is_logged_and_a_pdf(client, world):
    _, users, report, _ = world
    response = get(client, users["prefecture"], "download", report.pk)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    row = AccessLog.objects.get(action="pdf_download")
    assert row.user == users["prefecture"]
    assert (row.content_type.model, row.object_id) == ("report", str(report.pk))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_logged(client, world, fmt):
    _, users, report, _ = world
    assert get(client, users["funder"], "export", report.pk, fmt).status_code == 200
    row = AccessLog.objects.get(action="export")
    assert row.user == users["funder"]
    assert row.object_label == f"bilan n° {report.pk}"
    assert row.path == reverse("reporting:export", args=[report.pk, fmt])
    # A PDF that is not ready is a 404: nothing was read, nothing is logged as read.
    _, _, _, draft = world
    get(client, users["manager"], "download", draft.pk)
    assert not AccessLog.objects.filter(action="pdf_download").exists()


def test_pdf_not_ready_is_404_and_status_polls(client, world):
    _, users, _, draft = world
    assert draft.generation_state == GenerationState.PENDING
    assert get(client, users["manager"], "download", draft.pk).status_code == 404
    response = get(client, users["manager"], "status", draft.pk)
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_masking_for_non_workers_in_pages_and_exports(client, world):
    _, users, report, _ = world
    worker_csv = get(client, users["worker"], "export", report.pk, "csv").content.decode(
        "utf-8-sig"
    )
    prefecture_csv = get(client, users["prefecture"], "export", report.pk, "csv").content.decode(
        "utf-8-sig"
    )

    def cells(text):
        return {cell for line in text.splitlines() for cell in line.split(";")}

    assert MASKED not in cells(worker_csv)
    assert MASKED in cells(prefecture_csv)
    assert "QUASIMODINE" not in prefecture_csv
    page = get(client, users["funder"], "detail", report.pk).content.decode()
    assert "Secret statistique appliqué" in page
    assert "QUASIMODINE" not in page


@pytest.mark.parametrize(
    "role,expected",
    [
        ("worker", 200),
        ("manager", 200),
        ("prefecture", 403),
        ("funder", 403),
        ("unit_lead", 403),
        ("unit_agent", 403),
        ("admin", 403),
    ],
)
def test_create_by_role(client, world, role, expected):
    _, users, _, _ = world
    assert get(client, users[role], "create").status_code == expected


def test_dashboard_masks_for_manager_not_for_worker(client, world):
    data, users, _, _ = world
    params = {
        "scope": f"post:{data['post'].pk}",
        "preset": "custom",
        "start": "2026-01-01",
        "end": "2026-03-31",
    }
    client.force_login(users["worker"])
    response = client.get(reverse("reporting:dashboard"), params)
    assert response.context["masked"] is False
    assert 'src="data:image/svg+xml;base64,' in response.content.decode()
    client.force_login(users["manager"])
    response = client.get(reverse("reporting:dashboard"), params)
    assert response.context["masked"] is True
    text = response.content.decode()
    assert "Statistiques en direct perturbées (secret statistique)" in text
    figures = response.context["figures"]
    assert figures["perturbed"] is True
    for table in figures["sections"][0]["tables"]:
        for row in table["rows"]:
            assert not {1, 2} & set(row["values"][:2]), (table["key"], row)
    # a post outside the manager's scope is not a valid choice
    other = {"scope": "post:999999", "preset": "quarter"}
    assert client.get(reverse("reporting:dashboard"), other).context["figures"] is None


def test_create_keeps_input_and_explains_errors(client, world):
    data, users, _, _ = world
    client.force_login(users["manager"])
    response = client.post(
        reverse("reporting:create"),
        {
            "kind": "annual",
            "scope": f"employer:{data['employer'].pk}",
            "preset": "custom",
            "start": "2026-03-01",
            "evaluation": "Mon texte",
        },
    )
    assert response.status_code == 200
    assert "Indiquez les deux dates de la période choisie." in response.content.decode()
    assert "Mon texte" in response.content.decode()


def test_create_by_worker(client, world, django_capture_on_commit_callbacks):
    data, users, _, _ = world
    client.force_login(users["worker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:create"),
            {
                "kind": "on_demand",
                "scope": f"post:{data['post'].pk}",
                "preset": "custom",
                "start": "2026-01-01",
                "end": "2026-03-31",
                "evaluation": "Bonne année.",
            },
        )
    report = Report.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:detail", args=[report.pk]
    )
    assert report.worker_evaluation == "Bonne année."
    assert report.generation_state == GenerationState.DONE
    # the worker may not create on another employer's scope
    response = client.post(
        reverse("reporting:create"),
        {"kind": "annual", "scope": f"employer:{data['employer'].pk}", "preset": "year"},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_manager_actions_and_roles(client, world):
    _, users, _, draft = world
    # An employer draft is not theirs to see (the préfecture and the admin see sent bilans).
    for role in ("prefecture", "admin", "worker", "funder"):
        assert post(client, users[role], "validate", draft.pk).status_code == 404
    assert post(client, users["other_manager"], "validate", draft.pk).status_code == 404
    assert (
        post(
            client,
            users["manager"],
            "evaluation",
            draft.pk,
            "employer",
            data={"employer-text": "Bilan positif."},
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            users["prefecture"],
            "evaluation",
            draft.pk,
            "employer",
            data={"employer-text": "x"},
        ).status_code
        == 404
    )
    assert post(client, users["manager"], "validate", draft.pk).status_code == 302
    assert post(client, users["manager"], "send", draft.pk).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SENT and draft.employer_evaluation == "Bilan positif."
    assert get(client, users["funder"], "detail", draft.pk).status_code == 200
    response = post(client, users["manager"], "regenerate", draft.pk)
    new = Report.objects.get(previous_version=draft)
    assert response["Location"] == reverse("reporting:detail", args=[new.pk])
    assert post(client, users["prefecture"], "regenerate", new.pk).status_code == 404  # draft
    assert post(client, users["prefecture"], "regenerate", draft.pk).status_code == 403  # sent
    # A GET asks for confirmation and changes nothing.
    assert get(client, users["manager"], "validate", new.pk).status_code == 200
    new.refresh_from_db()
    assert new.status == ReportStatus.DRAFT


def test_worker_writes_only_their_part(client, world):
    data, users, report, _ = world
    fresh = services.report_create(
        kind=ReportKind.ON_DEMAND,
        period=Q1,
        scope=Scope.for_post(data["post"]),
        acting_user=users["worker"],
    )
    assert (
        post(
            client, users["worker"], "evaluation", fresh.pk, "worker", data={"worker-text": "Vu."}
        ).status_code
        == 302
    )
    assert (
        post(
            client, users["worker"], "evaluation", fresh.pk, "employer", data={"employer-text": "x"}
        ).status_code
        == 403
    )
    fresh.refresh_from_db()
    assert fresh.worker_evaluation == "Vu." and fresh.employer_evaluation == ""
    # a sent bilan no longer changes
    post(
        client,
        users["worker"],
        "evaluation",
        report.pk,
        "worker",
        data={"worker-text": "Trop tard"},
    )
    report.refresh_from_db()
    assert report.worker_evaluation == ""


def test_methodology_for_every_signed_in_user(client, world):
    _, users, _, _ = world
    for user in users.values():
        response = get(client, user, "methodology")
        assert response.status_code == 200
        assert "Secret statistique" in response.content.decode()


def test_home_blocks_and_menu(client, world):
    _, users, report, _ = world
    client.force_login(users["prefecture"])
    page = client.get("/").content.decode()
    assert "Bilans d'activité" in page and reverse("reporting:list") in page
    client.force_login(users["unit_agent"])
    page = client.get("/").content.decode()
    assert reverse("reporting:list") not in page
