import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conventions import services
from conventions.models import (
    Amendment,
    Convention,
    ConventionDocument,
    FundingLine,
    Payment,
)
from iscg.enums import FunderKind
from iscg.models import AccessLog
from tests.conventions.factories import make_convention, make_line
from tests.iscg.factories import (
    DepartmentFactory,
    EmployerFactory,
    FunderFactory,
    PostFactory,
    UnitFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="signee.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world():
    ain = DepartmentFactory(code="01")
    rhone = DepartmentFactory(code="69")
    employer = EmployerFactory(department=ain)
    post = PostFactory(employer=employer)
    state = FunderFactory(department=ain, kind=FunderKind.FIPD, name="État – FIPD")
    caf = FunderFactory(department=ain, kind=FunderKind.CAF, name="CAF de l'Ain")
    other_funder = FunderFactory(department=ain, name="Commune voisine")
    convention = make_convention(employer=employer, funders=[state, caf], posts=[post])
    line = make_line(convention, state, requested="25000", granted="24000")
    services.payment_record(
        funding_line=line,
        date=datetime.date(2024, 4, 2),
        amount=Decimal("12000"),
        acting_user=None,
    )
    make_line(convention, caf, requested="20000", granted="20000")
    other_convention = make_convention(
        employer=EmployerFactory(department=ain), funders=[other_funder], title="Autre convention"
    )
    document = services.document_add(
        document=ConventionDocument(convention=convention, title="Convention signée", file=pdf()),
        acting_user=None,
    )
    amendment = services.amendment_add(
        amendment=Amendment(
            convention=convention,
            number=1,
            date=datetime.date(2025, 3, 1),
            summary="Ajout d'une permanence",
            document=pdf("avenant.pdf"),
        ),
        acting_user=None,
    )
    users = {
        "worker": UserFactory(worker=True, post=post, department=ain),
        "unit_agent": UserFactory(unit_agent=True, unit=UnitFactory(department=ain)),
        "unit_lead": UserFactory(unit_lead=True, unit=UnitFactory(department=ain)),
        "employer_manager": UserFactory(employer_manager=True, employer=employer, department=ain),
        "other_employer_manager": UserFactory(employer_manager=True, department=ain),
        "funder": UserFactory(funder_user=True, funder=caf, department=ain),
        "other_funder": UserFactory(funder_user=True, funder=other_funder, department=ain),
        "prefecture": UserFactory(prefecture=True, department=ain),
        "other_prefecture": UserFactory(prefecture=True, department=rhone),
        "admin": UserFactory(admin=True, department=ain),
    }
    return {
        "convention": convention,
        "other": other_convention,
        "line": line,
        "document": document,
        "amendment": amendment,
        "users": users,
        "caf": caf,
        "state": state,
        "post": post,
    }


def read_urls(w):
    pk = w["convention"].pk
    return [
        reverse("conventions:detail", args=[pk]),
        reverse("conventions:plan_export", args=[pk]),
        reverse("conventions:document_download", args=[pk, w["document"].pk]),
        reverse("conventions:amendment_document", args=[pk, w["amendment"].pk]),
    ]


def edit_urls(w):
    pk, line = w["convention"].pk, w["line"].pk
    return [
        reverse("conventions:edit", args=[pk]),
        reverse("conventions:party_add", args=[pk]),
        reverse("conventions:post_add", args=[pk]),
        reverse("conventions:budget_set", args=[pk]),
        reverse("conventions:funding_add", args=[pk]),
        reverse("conventions:funding_edit", args=[pk, line]),
        reverse("conventions:payment_add", args=[pk, line]),
        reverse("conventions:amendment_add", args=[pk]),
        reverse("conventions:document_add", args=[pk]),
    ]


GLOBAL_READ = [reverse("conventions:list")]
GLOBAL_EDIT = [
    reverse("conventions:create"),
    reverse("conventions:dashboard"),
    reverse("conventions:dashboard_export"),
]

# role -> (global read, object read, global edit, object edit, delete)
MATRIX = {
    "worker": (403, 403, 403, 403, 403),
    "unit_agent": (403, 403, 403, 403, 403),
    "unit_lead": (403, 403, 403, 403, 403),
    "employer_manager": (200, 200, 403, 403, 403),
    "other_employer_manager": (200, 404, 403, 403, 403),
    "funder": (200, 200, 403, 403, 403),
    "other_funder": (200, 404, 403, 403, 403),
    "prefecture": (200, 200, 200, 200, 302),
    "other_prefecture": (200, 404, 200, 404, 404),
    "admin": (200, 200, 200, 200, 302),
}


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(client, world, role):
    expected = dict(zip(["gr", "or", "ge", "oe", "del"], MATRIX[role], strict=True))
    client.force_login(world["users"][role])
    for url in GLOBAL_READ:
        assert client.get(url).status_code == expected["gr"], url
    for url in read_urls(world):
        assert client.get(url).status_code == expected["or"], url
    for url in GLOBAL_EDIT:
        assert client.get(url).status_code == expected["ge"], url
    for url in edit_urls(world):
        assert client.get(url).status_code == expected["oe"], url
    line = FundingLine.objects.get(convention=world["convention"], funder=world["caf"])
    delete = reverse("conventions:item_delete", args=[world["convention"].pk, "funding", line.pk])
    assert client.post(delete).status_code == expected["del"]
    assert FundingLine.objects.filter(pk=line.pk).exists() == (expected["del"] != 302)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("conventions:detail", args=[world["convention"].pk]))
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_list_shows_only_visible_conventions_and_filters(client, world):
    client.force_login(world["users"]["funder"])
    content = client.get(reverse("conventions:list")).content.decode()
    assert world["convention"].title in content
    assert "Autre convention" not in content
    client.force_login(world["users"]["prefecture"])
    url = reverse("conventions:list")
    assert "Autre convention" in client.get(url).content.decode()
    filtered = client.get(url, {"funder": world["caf"].pk}).content.decode()
    assert world["convention"].title in filtered and "Autre convention" not in filtered
    assert "Autre convention" not in client.get(url, {"year": 2030}).content.decode()
    assert "Autre convention" in client.get(url, {"year": 2025}).content.decode()
    assert "Autre convention" not in client.get(url, {"status": "expired"}).content.decode()


def test_detail_shows_the_financing_plan(client, world):
    client.force_login(world["users"]["funder"])
    content = client.get(reverse("conventions:detail", args=[world["convention"].pk])).content
    content = content.decode()
    assert "Plan de financement" in content
    assert "44\xa0000,00 €" in content  # granted in total
    assert "12\xa0000,00 €" in content  # paid
    assert "54,5 %" in content  # 24 000 / 44 000 from the State
    assert "Ajouter une partie" not in content  # a funder reads only


def test_document_download_is_a_pdf_attachment(client, world):
    client.force_login(world["users"]["employer_manager"])
    response = client.get(read_urls(world)[2])
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_upload_rejects_a_file_that_is_not_a_pdf(client, world):
    client.force_login(world["users"]["admin"])
    url = reverse("conventions:document_add", args=[world["convention"].pk])
    response = client.post(url, {"title": "Faux PDF", "file": pdf("faux.pdf", b"MZ\x90\x00")})
    assert response.status_code == 200
    assert "Le fichier n&#x27;est pas un PDF valide." in response.content.decode()
    assert 'value="Faux PDF"' in response.content.decode()
    response = client.post(url, {"title": "Texte", "file": pdf("note.txt", PDF)})
    assert "extension .pdf" in response.content.decode()
    response = client.post(url, {"title": "Vraie", "file": pdf()})
    assert response.status_code == 302
    assert ConventionDocument.objects.filter(title="Vraie").exists()


def test_payment_over_granted_keeps_the_input(client, world):
    client.force_login(world["users"]["prefecture"])
    url = reverse("conventions:payment_add", args=[world["convention"].pk, world["line"].pk])
    response = client.post(url, {"date": "2024-09-01", "amount": "12000.01", "reference": "V2"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "au-delà du montant accordé" in content
    assert 'value="12000.01"' in content and 'value="V2"' in content
    response = client.post(url, {"date": "2024-09-01", "amount": "12000", "reference": "V2"})
    assert response.status_code == 302
    assert Payment.objects.filter(funding_line=world["line"]).count() == 2


def test_admin_creates_a_convention(client, world):
    client.force_login(world["users"]["admin"])
    employer = world["convention"].employer
    data = {
        "kind": "annual",
        "title": "Convention annuelle 2027",
        "reference": "",
        "employer": employer.pk,
        "start": "2027-01-01",
        "end": "2026-12-31",
        "status": "draft",
        "notice_months": "3",
        "tacit_renewal": "non",
        "notes": "",
    }
    response = client.post(reverse("conventions:create"), data)
    assert response.status_code == 200
    assert "La date de fin précède la date de début." in response.content.decode()
    assert 'value="Convention annuelle 2027"' in response.content.decode()
    data["end"] = "2027-12-31"
    response = client.post(reverse("conventions:create"), data)
    convention = Convention.objects.get(title="Convention annuelle 2027")
    assert response["Location"] == reverse("conventions:detail", args=[convention.pk])
    assert convention.notice_deadline == datetime.date(2027, 9, 30)
    manager = world["users"]["employer_manager"]
    assert Convention.objects.visible_to(manager).filter(pk=convention.pk).exists()


def test_prefecture_cannot_create_for_another_department(client, world):
    client.force_login(world["users"]["other_prefecture"])
    response = client.post(
        reverse("conventions:create"),
        {
            "kind": "annual",
            "title": "Intrusion",
            "employer": world["convention"].employer.pk,
            "start": "2027-01-01",
            "end": "2027-12-31",
            "status": "draft",
            "notice_months": "3",
            "tacit_renewal": "non",
        },
    )
    assert response.status_code == 200
    assert not Convention.objects.filter(title="Intrusion").exists()


def test_plan_export_content(client, world):
    client.force_login(world["users"]["funder"])
    response = client.get(reverse("conventions:plan_export", args=[world["convention"].pk]))
    book = load_workbook(BytesIO(response.content))
    sheet = book["Plan de financement"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] is not None]
    assert (2024, "État – FIPD", 25000, 24000, 12000, 12000) in rows
    assert ("Total", None, 45000, 44000, 12000, 32000) in rows
    assert "Budget" in book.sheetnames


def test_dashboard_and_export(client, world):
    client.force_login(world["users"]["prefecture"])
    content = client.get(reverse("conventions:dashboard")).content.decode()
    assert "CAF de l&#x27;Ain" in content
    assert "54,5 %" in content
    response = client.get(reverse("conventions:dashboard_export"))
    book = load_workbook(BytesIO(response.content))
    rows = list(book["Financements"].iter_rows(values_only=True))
    assert (2024, "CAF de l'Ain", 20000, 0, 20000, "non") in rows
    assert (2024, "État – FIPD", 24000, 12000, 12000, "oui") in rows
    summary = list(book["Synthèse"].iter_rows(values_only=True))
    assert summary[1][:4] == (2024, 44000, 24000, 54.5)
    client.force_login(world["users"]["other_prefecture"])
    content = client.get(reverse("conventions:dashboard")).content.decode()
    assert "CAF de l&#x27;Ain" not in content


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_conventions(client, world):
    client.force_login(world["users"]["prefecture"])
    convention = world["convention"]
    urls = [
        reverse("conventions:list"),
        reverse("conventions:dashboard"),
        reverse("conventions:detail", args=[convention.pk]),
    ]
    before = [_queries(client, url) for url in urls]
    employer = convention.employer
    for index in range(5):
        # Later and later conventions: the dashboard gains a year with each one.
        other = make_convention(
            employer=employer,
            funders=[world["caf"]],
            title=f"Convention {index}",
            posts=[PostFactory(employer=employer)],
            start=datetime.date(2027 + index, 1, 1),
            end=datetime.date(2029 + index, 12, 31),
        )
        make_line(other, world["state"], year=2027 + index, requested="1000", granted="1000")
    town = FunderFactory(department=convention.employer.department, name="Commune d'accueil")
    for year in convention.years:
        line = make_line(convention, town, year=year, requested="10", granted="10")
        services.payment_record(
            funding_line=line, date=datetime.date(year, 5, 1), amount=Decimal("5"), acting_user=None
        )
    after = [_queries(client, url) for url in urls]
    assert after == before
    assert max(after) <= 15


@pytest.mark.parametrize(
    ("url_name", "action", "target"),
    [
        ("plan_export", "export", "convention"),
        ("document_download", "pdf_download", "document"),
        ("amendment_document", "pdf_download", "amendment"),
    ],
)
def test_exports_and_downloads_write_the_access_log(client, world, url_name, action, target):
    pk = world["convention"].pk
    obj = world[target]
    args = [pk] if target == "convention" else [pk, obj.pk]
    user = world["users"]["funder"]
    client.force_login(user)
    url = reverse(f"conventions:{url_name}", args=args)
    assert client.get(url).status_code == 200
    row = AccessLog.objects.get(action=action)
    assert row.user == user and row.path == url
    assert (row.content_type.model, row.object_id) == (obj._meta.model_name, str(obj.pk))
    assert row.object_label == f"{obj._meta.verbose_name} n° {obj.pk}"
    # Outside the reader's conventions: 404, no download row.
    client.force_login(world["users"]["other_funder"])
    assert client.get(url).status_code == 404
    assert AccessLog.objects.filter(action=action).count() == 1


def test_the_dashboard_export_is_logged(client, world):
    client.force_login(world["users"]["prefecture"])
    assert client.get(reverse("conventions:dashboard_export")).status_code == 200
    row = AccessLog.objects.get(action="export")
    assert row.user == world["users"]["prefecture"]
    assert row.detail == "tableau des financements" and row.object_id == ""


def test_the_detail_links_to_its_history(client, world):
    client.force_login(world["users"]["funder"])
    pk = world["convention"].pk
    page = client.get(reverse("conventions:detail", args=[pk])).content.decode()
    url = reverse("history", args=["conventions", "convention", pk])
    assert url in page
    assert client.get(url).status_code == 200
