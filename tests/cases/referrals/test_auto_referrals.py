"""Auto-saisine: bulk entry and CSV/XLSX import of the weekly activity summary."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import Workbook, load_workbook

from cases import tasks
from cases.enums import ReferralOrigin
from cases.lifecycle.services.retention import purge_import_previews
from cases.models import Notification, Referral, SummaryStatus, WeeklySummaryUpload
from cases.referrals import auto_import as importer
from cases.referrals.auto_import import COLUMN_NAMES
from cases.referrals.services import weekly_summaries
from tests.cases.factories import problem
from tests.cases.referral_world import world_fixture  # noqa: F401


def _line(world, **changes):
    today = timezone.localdate().strftime("%d/%m/%Y")
    row = {
        "date": today,
        "unite": world["brigade"].name,
        "anonyme": "non",
        "nom": "Lefebvre",
        "prenom": "Claire",
        "telephone": "0611223344",
        "sexe": "F",
        "age": "40",
        "annee_naissance": "",
        "commune": "01400",
        "circonstance": "intervention",
        "problematique": problem().label,
        "procedure": "plainte",
        "reference_procedure": "2026/42",
        "consentement": "oui",
        "urgence": "normale",
        "contexte": "",
    }
    row.update(changes)
    return [row[c] for c in COLUMN_NAMES]


def _csv(lines) -> SimpleUploadedFile:
    text = "\n".join(";".join(line) for line in [COLUMN_NAMES, *lines])
    return SimpleUploadedFile("resume.csv", text.encode("utf-8"), content_type="text/csv")


def _xlsx(lines) -> SimpleUploadedFile:
    workbook = Workbook()
    for line in [COLUMN_NAMES, *lines]:
        workbook.active.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("resume.xlsx", out.getvalue())


@pytest.fixture
def post_file(client, django_capture_on_commit_callbacks):
    """Uploads a file as a browser would and lets the worker read it: the upload."""

    def post(file):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("referrals:auto_upload"), {"file": file})
        if response.status_code != 302:
            return response
        return WeeklySummaryUpload.objects.latest("pk")

    return post


def _confirm(client, upload):
    return client.post(reverse("referrals:auto_upload_detail", args=[upload.pk]), follow=True)


def test_a_valid_csv_is_imported_as_indirect_referrals(client, world, post_file):
    client.force_login(world["worker"])
    upload = post_file(_csv([_line(world), _line(world, anonyme="oui", nom="", prenom="")]))
    assert not Referral.objects.exists()  # nothing before the worker's confirmation
    page = client.get(reverse("referrals:auto_upload_detail", args=[upload.pk]))
    assert "2 lignes à enregistrer sur 2" in " ".join(page.content.decode().split())
    _confirm(client, upload)
    referrals = Referral.objects.order_by("pk")
    assert referrals.count() == 2
    first = referrals[0]
    assert first.origin == ReferralOrigin.FSI_INDIRECT
    assert first.source_unit == world["brigade"] and first.post == world["post"]
    assert first.person_commune == world["commune"]
    assert first.procedure_kind == "complaint" and first.consent_to_contact
    assert referrals[1].person_is_anonymous
    assert not Notification.objects.exists()
    upload.refresh_from_db()
    assert upload.status == SummaryStatus.DONE and upload.rows == []
    assert upload.created_numbers == [r.number for r in referrals]


def test_xlsx_import(client, world, post_file):
    client.force_login(world["worker"])
    _confirm(client, post_file(_xlsx([_line(world)])))
    assert Referral.objects.get().person_last_name == "Lefebvre"


def test_the_file_is_read_by_a_worker_not_in_the_request(client, world, monkeypatch):
    """Reproduced before: the summary was read and checked in the web request."""

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read in the web request")

    monkeypatch.setattr(importer, "read_rows", no_reading)
    client.force_login(world["worker"])
    response = client.post(reverse("referrals:auto_upload"), {"file": _csv([_line(world)])})
    upload = WeeklySummaryUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:auto_upload_detail", args=[upload.pk])
    assert upload.status == SummaryStatus.ANALYSING and upload.file
    page = client.get(response["Location"]).content.decode()
    assert "Vérification du fichier en cours" in page and 'hx-trigger="every 2s"' in page
    monkeypatch.undo()
    tasks.analyse_weekly_summary(upload.pk)
    upload.refresh_from_db()
    assert upload.status == SummaryStatus.PREVIEW and upload.report["importable"] == 1
    assert not upload.file  # the lines wait in the upload; the file is gone


def test_invalid_lines_are_reported_in_french_and_only_valid_ones_recorded(
    client, world, post_file
):
    client.force_login(world["worker"])
    lines = [
        _line(world),
        _line(world, unite="Brigade de Nulle-Part"),
        _line(world, problematique="Problème inventé"),
        _line(world, date="31/02/2026"),
        _line(world, consentement=""),
    ]
    upload = post_file(_csv(lines))
    html = client.get(reverse("referrals:auto_upload_detail", args=[upload.pk])).content.decode()
    assert not Referral.objects.exists()
    assert "4 lignes en erreur sur 5" in html
    assert "Unité inconnue ou non servie par votre poste." in html
    assert "Problématique inconnue" in html
    assert "Date impossible ou mal écrite" in html
    assert "Consentement manquant : indiquez oui ou non." in html
    assert sorted(item["line"] for item in upload.report["errors"]) == [3, 4, 5, 6]
    assert "Enregistrer 1 auto-saisine" in html
    _confirm(client, upload)
    assert Referral.objects.get().person_last_name == "Lefebvre"


def test_a_file_uploaded_twice_creates_its_saisines_once(client, world, post_file):
    """Reproduced before: the same weekly summary uploaded twice created its saisines twice."""
    client.force_login(world["worker"])
    lines = [
        _line(world),
        _line(world, nom="Moreau", reference_procedure="2026/43"),
        _line(world, nom="Petit", reference_procedure=""),
        _line(world, nom="Petit", reference_procedure="", telephone="0700000000"),
    ]
    first = post_file(_csv(lines))
    assert first.report["duplicates"] == [
        {"line": 5, "reason": "en double dans le fichier (ligne 4)"}
    ]
    page = client.get(reverse("referrals:auto_upload_detail", args=[first.pk]))
    assert "1 ligne déjà présente : elle ne sera pas enregistrée une seconde fois." in " ".join(
        page.content.decode().split()
    )
    _confirm(client, first)
    assert Referral.objects.count() == 3
    second = post_file(_xlsx(lines))
    numbers = dict(Referral.objects.values_list("procedure_reference", "number"))
    assert second.report["importable"] == 0
    assert [d["reason"] for d in second.report["duplicates"]][:2] == [
        f"déjà enregistrée ({numbers['2026/42']})",
        f"déjà enregistrée ({numbers['2026/43']})",
    ]
    html = _confirm(client, second).content.decode()
    assert "Aucune ligne à importer" in html
    assert Referral.objects.count() == 3


def test_a_replayed_confirmation_records_nothing_twice(client, world, post_file):
    client.force_login(world["worker"])
    upload = post_file(_csv([_line(world)]))
    _confirm(client, upload)
    html = _confirm(client, upload).content.decode()
    assert Referral.objects.count() == 1
    assert "Ce fichier a déjà été importé" in html


def test_only_the_uploader_reads_or_confirms_the_upload(client, world, post_file):
    client.force_login(world["worker"])
    upload = post_file(_csv([_line(world)]))
    client.force_login(world["other_worker"])
    url = reverse("referrals:auto_upload_detail", args=[upload.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Referral.objects.exists()


def test_a_unit_not_served_by_the_worker_is_unknown(client, world, post_file):
    client.force_login(world["other_worker"])
    upload = post_file(_csv([_line(world)]))
    html = client.get(reverse("referrals:auto_upload_detail", args=[upload.pk])).content.decode()
    assert "Unité inconnue ou non servie par votre poste." in html
    assert not Referral.objects.exists()


def test_missing_columns_and_wrong_format(client, world, post_file):
    client.force_login(world["worker"])
    upload = post_file(SimpleUploadedFile("resume.csv", b"nom;prenom\nA;B\n"))
    html = client.get(reverse("referrals:auto_upload_detail", args=[upload.pk])).content.decode()
    assert "Colonnes manquantes : date, unite, problematique, consentement." in html
    assert upload.status == SummaryStatus.FAILED
    html = post_file(SimpleUploadedFile("resume.pdf", b"%PDF")).content.decode()
    assert "Déposez un fichier .csv ou .xlsx" in html


def test_an_upload_left_unread_is_resumed_then_given_up(client, world, monkeypatch):
    client.force_login(world["worker"])
    monkeypatch.setattr(tasks.analyse_weekly_summary, "apply_async", _refuse)
    client.post(reverse("referrals:auto_upload"), {"file": _csv([_line(world)])})
    upload = WeeklySummaryUpload.objects.get()
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert weekly_summaries.resume_stuck_summaries(now=later) == 0  # broker still down
    for _attempt in range(weekly_summaries.MAX_ATTEMPTS - 1):
        weekly_summaries.resume_stuck_summaries(now=later)
    weekly_summaries.resume_stuck_summaries(now=later)
    upload.refresh_from_db()
    assert upload.status == SummaryStatus.FAILED and not upload.file
    html = client.get(reverse("referrals:auto_upload_detail", args=[upload.pk])).content.decode()
    assert "L&#x27;analyse du fichier n&#x27;a pas abouti" in html


def _refuse(*args, **kwargs):
    raise OperationalError("Connection refused")


def test_uploads_are_purged_after_a_day(client, world, post_file):
    client.force_login(world["worker"])
    post_file(_csv([_line(world)]))
    assert purge_import_previews() == 0
    tomorrow = timezone.now() + datetime.timedelta(hours=25)
    assert purge_import_previews(now=tomorrow) == 1
    assert not WeeklySummaryUpload.objects.exists()


def test_templates_are_downloadable(client, world):
    client.force_login(world["worker"])
    csv_response = client.get(reverse("referrals:auto_template"))
    assert csv_response.content.decode("utf-8-sig").splitlines()[0] == ";".join(COLUMN_NAMES)
    xlsx = client.get(reverse("referrals:auto_template"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == COLUMN_NAMES


def _bulk(world, rows):
    data = {
        "lignes-TOTAL_FORMS": str(len(rows)),
        "lignes-INITIAL_FORMS": "0",
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lignes-{index}-{key}"] = value
    return data


# What a browser sends for a row left untouched: the defaults of the selects.
EMPTY_ROW = {"person_sex": "U", "procedure_kind": "none", "urgency": "normal"}


def _bulk_row(world, **changes):
    row = {
        "received_on": timezone.localdate().isoformat(),
        "unit": world["brigade"].pk,
        "person_last_name": "Roux",
        "person_sex": "M",
        "main_problem": problem().pk,
        "procedure_kind": "none",
        "consent_to_contact": "no",
        "urgency": "normal",
    }
    row.update(changes)
    return row


def test_bulk_entry_saves_all_rows_or_none(client, world):
    client.force_login(world["worker"])
    url = reverse("referrals:auto_bulk")
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        _bulk(world, [_bulk_row(world), _bulk_row(world, person_last_name="", context="gardé")]),
    )
    html = response.content.decode()
    assert not Referral.objects.exists()
    assert "Indiquez le nom de la personne, ou cochez « Personne anonyme »." in html
    assert "gardé" in html and 'value="Roux"' in html
    response = client.post(
        url, _bulk(world, [_bulk_row(world), _bulk_row(world, person_last_name="Blanc"), EMPTY_ROW])
    )
    assert response.status_code == 302
    assert sorted(Referral.objects.values_list("person_last_name", flat=True)) == [
        "Blanc",
        "Roux",
    ]
    assert set(Referral.objects.values_list("origin", flat=True)) == {"fsi_indirect"}


def test_bulk_entry_with_nothing_filled(client, world):
    client.force_login(world["worker"])
    response = client.post(reverse("referrals:auto_bulk"), _bulk(world, [EMPTY_ROW, EMPTY_ROW]))
    assert "Remplissez au moins une ligne." in response.content.decode()


def test_a_row_can_be_added_keeping_what_was_typed(client, world):
    """Reproduced before: the screen had three rows and no way to add a fourth."""
    client.force_login(world["worker"])
    url = reverse("referrals:auto_bulk")
    assert "Ajouter une situation" in client.get(url).content.decode()
    rows = [_bulk_row(world, person_last_name=name, context=f"vu {name}") for name in "ABC"]
    data = _bulk(world, rows)
    data["add_row"] = "1"
    html = client.post(url, data).content.decode()
    assert not Referral.objects.exists()
    assert 'name="lignes-TOTAL_FORMS" value="4"' in html
    assert "Situation 4" in html
    assert all(f'value="{name}"' in html and f"vu {name}" in html for name in "ABC")
    assert "fr-error-text" not in html and "Rien n'a été enregistré" not in html
    rows.append(_bulk_row(world, person_last_name="D"))
    assert client.post(url, _bulk(world, rows)).status_code == 302
    assert Referral.objects.count() == 4


def test_rows_stop_at_thirty(client, world):
    client.force_login(world["worker"])
    data = _bulk(world, [EMPTY_ROW] * 29)
    data["add_row"] = "1"
    html = client.post(reverse("referrals:auto_bulk"), data).content.decode()
    assert 'name="lignes-TOTAL_FORMS" value="30"' in html
    assert "Ajouter une situation" not in html


def test_the_rows_share_one_read_of_the_units_and_problems(client, world):
    """Reproduced before: each row of the screen read the units and the problems again
    (17 queries for three rows on the departmental base, two more per row added); the
    rows now share the first row's read, and every row still offers them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["worker"])
    url = reverse("referrals:auto_bulk")

    def queries(rows: int) -> tuple[int, str]:
        data = _bulk(world, [EMPTY_ROW] * rows)
        data["add_row"] = "1"
        with CaptureQueriesContext(connection) as context:
            html = client.post(url, data).content.decode()
        return len(context.captured_queries), html

    client.get(url)
    two, _ = queries(2)
    twelve, html = queries(12)
    assert twelve == two
    from django.utils.html import escape

    assert html.count(f">{escape(str(world['brigade']))}</option>") == 13
