"""Auto-saisine: bulk entry and CSV/XLSX import of the weekly activity summary."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from cases.auto_referral_import import COLUMN_NAMES
from cases.enums import ReferralOrigin
from cases.models import Notification, Referral
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


def test_a_valid_csv_is_imported_as_indirect_referrals(client, world):
    client.force_login(world["worker"])
    response = client.post(
        reverse("referrals:auto_upload"),
        {"file": _csv([_line(world), _line(world, anonyme="oui", nom="", prenom="")])},
    )
    assert response.status_code == 302
    referrals = Referral.objects.order_by("pk")
    assert referrals.count() == 2
    first = referrals[0]
    assert first.origin == ReferralOrigin.FSI_INDIRECT
    assert first.source_unit == world["brigade"] and first.post == world["post"]
    assert first.person_commune == world["commune"]
    assert first.procedure_kind == "complaint" and first.consent_to_contact
    assert referrals[1].person_is_anonymous
    assert not Notification.objects.exists()


def test_xlsx_import(client, world):
    client.force_login(world["worker"])
    client.post(reverse("referrals:auto_upload"), {"file": _xlsx([_line(world)])})
    assert Referral.objects.get().person_last_name == "Lefebvre"


def test_any_invalid_line_blocks_everything_with_a_french_report(client, world):
    client.force_login(world["worker"])
    lines = [
        _line(world),
        _line(world, unite="Brigade de Nulle-Part"),
        _line(world, problematique="Problème inventé"),
        _line(world, date="31/02/2026"),
        _line(world, consentement=""),
    ]
    response = client.post(reverse("referrals:auto_upload"), {"file": _csv(lines)})
    html = response.content.decode()
    assert not Referral.objects.exists()
    assert "4 lignes en erreur sur 5" in html
    assert "Unité inconnue ou non servie par votre poste." in html
    assert "Problématique inconnue" in html
    assert "Date impossible ou mal écrite" in html
    assert "Consentement manquant : indiquez oui ou non." in html
    report = {item["line"]: item["errors"] for item in response.context["report"]}
    assert sorted(report) == [3, 4, 5, 6]
    # The user chooses to import only the valid line.
    assert "Importer uniquement les 1 ligne valide" in html
    payload = response.context["payload"]
    client.post(reverse("referrals:auto_upload"), {"step": "valid_only", "payload": payload})
    assert Referral.objects.get().person_last_name == "Lefebvre"


def test_a_tampered_payload_is_refused(client, world):
    client.force_login(world["worker"])
    client.post(reverse("referrals:auto_upload"), {"step": "valid_only", "payload": "abc:def"})
    assert not Referral.objects.exists()


def test_a_unit_not_served_by_the_worker_is_unknown(client, world):
    client.force_login(world["other_worker"])
    response = client.post(reverse("referrals:auto_upload"), {"file": _csv([_line(world)])})
    assert "Unité inconnue ou non servie par votre poste." in response.content.decode()
    assert not Referral.objects.exists()


def test_missing_columns_and_wrong_format(client, world):
    client.force_login(world["worker"])
    bad = SimpleUploadedFile("resume.csv", b"nom;prenom\nA;B\n")
    html = client.post(reverse("referrals:auto_upload"), {"file": bad}).content.decode()
    assert "Colonnes manquantes : date, unite, problematique, consentement." in html
    pdf = SimpleUploadedFile("resume.pdf", b"%PDF")
    html = client.post(reverse("referrals:auto_upload"), {"file": pdf}).content.decode()
    assert "Déposez un fichier .csv ou .xlsx" in html


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
