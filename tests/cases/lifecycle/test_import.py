"""Import of past activity: preview, errors by line, all-or-nothing, undo, command."""

import time

import pytest
from django.urls import reverse

from cases.lifecycle.imports import services
from cases.models import (
    Action,
    Beneficiary,
    Case,
    DataProtectionAction,
    DataProtectionEvent,
    ImportBatch,
    ImportStatus,
    Referral,
)
from tests.cases.lifecycle_helpers import (
    ACTION_HEADER,
    action_row,
    csv_bytes,
    upload,
    xlsx_bytes,
)
from tests.iscg.factories import CommuneFactory, UnitFactory, UserFactory


@pytest.fixture
def world():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    CommuneFactory(code="01053", name="Bourg-en-Bresse", department=post.employer.department)
    unit = UnitFactory(name="Brigade de Montrevel", department=post.employer.department)
    return {"worker": worker, "post": post, "unit": unit}


def _valid_rows():
    return [
        action_row(),
        action_row(**{"Date de l'acte": "20/03/2025", "Type d'acte": "entretien-telephonique"}),
        action_row(
            **{
                "Nom": "",
                "Prénom": "",
                "Identifiant de la personne": "A7",
                "Sexe": "M",
                "Année de naissance": "",
                "Tranche d'âge": "25-34",
                "Profil": "Mis en cause",
                "Unité à l'origine": "Brigade de Montrevel",
                "Origine de la saisine": "",
                "Date d'ouverture": "",
                "Date de l'acte": "05/01/2024",
                "Date de clôture": "30/06/2024",
                "Motif de clôture": "Objectifs de l'accompagnement atteints",
            }
        ),
    ]


def test_a_valid_csv_is_previewed_then_imported_in_full(world):
    content = csv_bytes(ACTION_HEADER, _valid_rows())
    batch, parsed = services.import_preview(
        post=world["post"],
        uploaded_file=upload("activite.csv", content),
        acting_user=world["worker"],
    )
    assert parsed.errors == []
    assert batch.status == ImportStatus.PREVIEW
    assert batch.counts == {
        "beneficiaries": 2,
        "existing_beneficiaries": 0,
        "cases": 2,
        "referrals": 2,
        "actions": 3,
        "orientations": 0,
        "anonymous_contacts": 0,
    }
    # Nothing is written before the confirmation.
    assert not Beneficiary.objects.exists() and not Action.objects.exists()

    services.import_commit(batch=batch, acting_user=world["worker"])

    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert not batch.file
    lea = Beneficiary.objects.get(last_name="DURAND")
    assert lea.import_batch == batch
    assert lea.birth_year == 1985 and lea.commune.code == "01053"
    assert lea.known_to_department == "yes" and lea.family_situation == "single_parent"
    case = lea.cases.get()
    assert case.opened_on.isoformat() == "2025-03-01" and case.import_batch == batch
    assert sorted(a.kind.code for a in case.actions.all()) == [
        "entretien-physique",
        "entretien-telephonique",
    ]
    assert {a.post_id for a in case.actions.all()} == {case.post_id}
    anonymous = Beneficiary.objects.get(last_name="")
    assert anonymous.age_band == "25-34" and anonymous.profile == "suspect"
    anon_case = anonymous.cases.get()
    assert anon_case.opened_on.isoformat() == "2024-01-05"  # the first acte
    assert anon_case.closing_reason == "goals_met"
    referral = Referral.objects.get(beneficiary=anonymous)
    assert referral.source_unit == world["unit"] and referral.origin == "fsi_direct"
    assert referral.status == "closed" and referral.import_batch == batch
    assert set(Beneficiary.objects.visible_to(world["worker"])) == {lea, anonymous}
    # History rows exist and carry the batch, so an undo can remove them.
    assert Beneficiary.history.filter(import_batch_id=batch.pk).count() == 2
    event = DataProtectionEvent.objects.get(action=DataProtectionAction.IMPORT)
    assert event.actor == world["worker"] and event.details["actions"] == 3


def test_a_valid_xlsx_through_the_pages(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["worker"])
    page = client.get(reverse("lifecycle:import_start"))
    assert page.status_code == 200
    assert "Importer l'activité" in page.content.decode()
    # The request stores the file; a worker reads it once the request has committed.
    with django_capture_on_commit_callbacks() as analyses:
        response = client.post(
            reverse("lifecycle:import_start"),
            {
                "post": world["post"].pk,
                "file": upload("activite.xlsx", xlsx_bytes(ACTION_HEADER, _valid_rows())),
            },
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "analysing"
    assert response["Location"] == reverse("lifecycle:import_preview", args=[batch.pk])
    waiting = client.get(response["Location"]).content.decode()
    assert "Analyse du fichier en cours" in waiting and 'hx-trigger="every 2s"' in waiting
    assert "Confirmer l'import" not in waiting
    for analyse in analyses:
        analyse()
    preview = client.get(response["Location"]).content.decode()
    assert "Confirmer l'import" in preview and 'hx-trigger="every 2s"' not in preview
    assert "DURAND" not in preview  # the preview shows no names
    assert not Beneficiary.objects.exists()
    with django_capture_on_commit_callbacks() as imports:
        client.post(reverse("lifecycle:import_confirm", args=[batch.pk]))
    importing = client.get(response["Location"]).content.decode()
    assert "Import en cours" in importing and not Beneficiary.objects.exists()
    for run in imports:
        run()
    assert Beneficiary.objects.count() == 2 and Action.objects.count() == 3
    done = client.get(reverse("lifecycle:import_preview", args=[batch.pk])).content.decode()
    assert "Import effectué" in done and "Annuler cet import" in done


def test_a_latin1_csv_with_commas_and_codes_is_read(world):
    rows = [
        action_row(
            **{
                "Nom": "Hélène",
                "Sexe": "F",
                "Profil": "victim",
                "Problématique principale": "violences-conjugales",
                "Situation familiale": "single",
                "Code commune (INSEE)": "1053",
            }
        )
    ]
    content = csv_bytes(ACTION_HEADER, rows, delimiter=",", encoding="latin-1")
    parsed = services.parse_content(content, "activite.csv", post=world["post"])
    assert parsed.errors == []
    assert parsed.people[0].fields["last_name"] == "Hélène"
    assert parsed.people[0].fields["commune_id"] is not None


def test_the_per_person_template_spreads_the_counted_actes(world):
    header = [
        "Nom",
        "Profil",
        "Problématique principale",
        "Date d'ouverture",
        "Date de clôture",
        "Motif de clôture",
        "Nombre : Entretien physique",
        "Nombre : entretien-telephonique",
    ]
    rows = [
        [
            "MARTIN",
            "Victime",
            "Logement, hébergement",
            "01/01/2024",
            "31/12/2024",
            "Autre motif",
            3,
            2,
        ],
        ["", "En détresse ou difficulté sociale", "precarite", "15/06/2024", "", "", 1, 0],
    ]
    batch, parsed = services.import_preview(
        post=world["post"],
        uploaded_file=upload("personnes.xlsx", xlsx_bytes(header, rows)),
        acting_user=world["worker"],
    )
    assert parsed.errors == [] and batch.template == "personnes"
    services.import_commit(batch=batch, acting_user=world["worker"])
    martin = Case.objects.get(beneficiary__last_name="MARTIN")
    dates = sorted(a.occurred_at.date().isoformat() for a in martin.actions.all())
    assert len(dates) == 5 and dates[0] == "2024-01-01" and dates[-1] == "2024-12-31"
    assert martin.actions.filter(kind__code="entretien-telephonique").count() == 2
    assert Action.objects.count() == 6


def test_a_file_with_errors_writes_nothing_and_reports_every_line(
    client, world, django_capture_on_commit_callbacks
):
    rows = [
        action_row(),  # line 2: fine
        action_row(**{"Code commune (INSEE)": "99999"}),  # line 3
        action_row(**{"Problématique principale": "Chagrin d'amour"}),  # line 4
        action_row(**{"Date de l'acte": "31/02/2025"}),  # line 5
        action_row(**{"Date de clôture": "01/01/2025", "Motif de clôture": "Autre motif"}),  # 6
        action_row(**{"Profil": "Touriste", "Sexe": "Z"}),  # line 7
        action_row(**{"Date de l'acte": "01/01/2099"}),  # line 8
        action_row(**{"Unité à l'origine": "Brigade inconnue"}),  # line 9
    ]
    client.force_login(world["worker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("lifecycle:import_start"),
            {
                "post": world["post"].pk,
                "file": upload("erreurs.csv", csv_bytes(ACTION_HEADER, rows)),
            },
        )
    page = client.get(response["Location"]).content.decode()
    batch = ImportBatch.objects.get()
    _, parsed = batch, services.batch_parsed(batch)
    lines = {error.line for error in parsed.errors}
    assert lines == {3, 4, 5, 6, 7, 8, 9}
    messages = " ".join(error.message for error in parsed.errors)
    assert "« 99999 » ne correspond à aucune commune" in messages
    assert "« Chagrin d'amour » ne figure pas dans la liste" in messages
    assert "« 31/02/2025 » n'est pas une date valide" in messages
    assert "précède la date d'ouverture" in messages
    assert "Profil : « Touriste » n'est pas une valeur reconnue" in messages
    assert "Sexe : « Z »" in messages
    assert "est dans le futur" in messages
    assert "« Brigade inconnue » n'est pas une unité du département" in messages
    assert "rien ne sera importé" in page
    assert "Confirmer l'import" not in page
    for line in lines:
        assert f"<td>{line}</td>" in page
    # Confirming anyway is refused, and nothing is written.
    client.post(reverse("lifecycle:import_confirm", args=[batch.pk]))
    assert not Beneficiary.objects.exists()
    assert not Case.objects.exists() and not Action.objects.exists()
    assert not Referral.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW


def test_a_missing_required_column_is_reported_on_line_1(world):
    header = [h for h in ACTION_HEADER if h != "Profil"]
    rows = [[c for h, c in zip(ACTION_HEADER, action_row(), strict=True) if h != "Profil"]]
    parsed = services.parse_content(csv_bytes(header, rows), "a.csv", post=world["post"])
    assert [(e.line, e.message) for e in parsed.errors] == [
        (1, "Colonne(s) obligatoire(s) absente(s) : « Profil »")
    ]


def test_an_unreadable_file_gets_a_french_message(world):
    parsed = services.parse_content(b"not a zip", "a.xlsx", post=world["post"])
    assert parsed.errors[0][1].startswith("Ce fichier Excel ne peut pas être lu")


def test_ten_thousand_rows_in_under_a_minute(world):
    rows = []
    for i in range(10_000):
        person = i // 4
        rows.append(
            action_row(
                **{
                    "Identifiant de la personne": f"P{person}",
                    "Nom": f"NOM{person}",
                    "Date de l'acte": f"{i % 28 + 1:02d}/{i % 12 + 1:02d}/2024",
                    "Date d'ouverture": "01/01/2024",
                }
            )
        )
    content = csv_bytes(ACTION_HEADER, rows)
    start = time.monotonic()
    batch, parsed = services.import_preview(
        post=world["post"], uploaded_file=upload("gros.csv", content), acting_user=world["worker"]
    )
    assert parsed.errors == []
    services.import_commit(batch=batch, acting_user=world["worker"])
    elapsed = time.monotonic() - start
    assert Action.objects.filter(import_batch=batch).count() == 10_000
    assert Beneficiary.objects.filter(import_batch=batch).count() == 2_500
    assert elapsed < 60, f"{elapsed:.1f} s"
