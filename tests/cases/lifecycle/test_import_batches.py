"""An import batch after the preview: undone, its templates, who may import, the
command, previews purged, imported people found by the search."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cases.lifecycle.imports import services
from cases.models import (
    Action,
    AnonymousContact,
    Beneficiary,
    Case,
    DataProtectionAction,
    DataProtectionEvent,
    ImportBatch,
    ImportStatus,
    Referral,
)
from tests.cases.factories import ActionFactory
from tests.cases.lifecycle.test_import import _valid_rows, world  # noqa: F401 - fixture
from tests.cases.lifecycle_helpers import (
    ACTION_HEADER,
    action_row,
    csv_bytes,
    upload,
)
from tests.iscg.factories import UserFactory


def test_undo_removes_the_batch_and_its_history(client, world):  # noqa: F811
    batch, _ = services.import_preview(
        post=world["post"],
        uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, _valid_rows())),
        acting_user=world["worker"],
    )
    services.import_commit(batch=batch, acting_user=world["worker"])
    kept = ActionFactory(case__beneficiary__post=world["post"])  # data outside the batch
    client.force_login(world["worker"])
    client.post(reverse("lifecycle:import_undo", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UNDONE and batch.undone_by == world["worker"]
    for model in (Beneficiary, Case, Action, Referral, AnonymousContact):
        assert not model.objects.filter(import_batch=batch).exists()
        assert not model.history.filter(import_batch_id=batch.pk).exists()
    assert Action.objects.filter(pk=kept.pk).exists()
    assert DataProtectionEvent.objects.filter(action=DataProtectionAction.IMPORT_UNDO).exists()


def test_undo_is_refused_once_work_was_added_to_an_imported_file(world):  # noqa: F811
    batch, _ = services.import_preview(
        post=world["post"],
        uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, _valid_rows())),
        acting_user=world["worker"],
    )
    services.import_commit(batch=batch, acting_user=world["worker"])
    ActionFactory(case=Case.objects.filter(import_batch=batch).first())
    with pytest.raises(Exception, match="ne peut plus être annulé"):
        services.import_undo(batch=batch, acting_user=world["worker"])
    assert Beneficiary.objects.filter(import_batch=batch).count() == 2


def test_templates_download_and_round_trip(client, world):  # noqa: F811
    client.force_login(world["worker"])
    response = client.get(reverse("lifecycle:import_template", args=["actes", "xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(__import__("io").BytesIO(response.content))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert "Date de l'acte" in header and "Code commune (INSEE)" in header
    assert workbook.sheetnames == ["Activité", "Mode d'emploi"]
    # The template's example row imports as is.
    parsed = services.parse_content(response.content, "modele.xlsx", post=world["post"])
    assert parsed.errors == [], parsed.errors
    csv_template = client.get(reverse("lifecycle:import_template", args=["personnes", "csv"]))
    assert "Nombre : Entretien physique" in csv_template.content.decode("utf-8-sig")
    parsed = services.parse_content(csv_template.content, "modele.csv", post=world["post"])
    assert parsed.errors == [], parsed.errors


def test_employer_manager_imports_for_a_post_of_their_employer(
    client,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    manager = UserFactory(employer_manager=True, employer=world["post"].employer)
    client.force_login(manager)
    assert client.get(reverse("lifecycle:import_start")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("lifecycle:import_start"),
            {
                "post": world["post"].pk,
                "file": upload("a.csv", csv_bytes(ACTION_HEADER, _valid_rows())),
            },
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lifecycle:import_confirm", args=[batch.pk]))
    assert Beneficiary.objects.filter(import_batch=batch).count() == 2
    # The manager still reads no nominative data.
    assert not Beneficiary.objects.visible_to(manager).exists()


def test_others_cannot_import(client, world):  # noqa: F811
    batch, _ = services.import_preview(
        post=world["post"],
        uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, _valid_rows())),
        acting_user=world["worker"],
    )
    for role in ("unit_agent", "unit_lead", "prefecture", "funder_user", "admin"):
        client.force_login(UserFactory(**{role: True}))
        assert client.get(reverse("lifecycle:import_start")).status_code == 403
        assert client.get(reverse("lifecycle:import_preview", args=[batch.pk])).status_code == 403
    other_worker = UserFactory(worker=True)
    client.force_login(other_worker)
    assert client.get(reverse("lifecycle:import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("lifecycle:import_confirm", args=[batch.pk])).status_code == 404
    response = client.post(
        reverse("lifecycle:import_start"),
        {
            "post": world["post"].pk,
            "file": upload("a.csv", csv_bytes(ACTION_HEADER, _valid_rows())),
        },
    )
    assert response.status_code == 200  # the post is not among their choices
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert ImportBatch.objects.count() == 1


def test_the_command_is_dry_by_default(world, tmp_path):  # noqa: F811
    path = tmp_path / "activite.csv"
    path.write_bytes(csv_bytes(ACTION_HEADER, _valid_rows()))
    call_command("import_activity", "--post", world["post"].pk, "--file", str(path))
    assert not Beneficiary.objects.exists() and not ImportBatch.objects.exists()
    call_command("import_activity", "--post", world["post"].pk, "--file", str(path), "--wet-run")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.DONE and batch.created_by == world["worker"]
    assert Beneficiary.objects.filter(import_batch=batch).count() == 2


def test_previews_never_confirmed_are_purged_with_their_file(world):  # noqa: F811
    import datetime

    import time_machine
    from django.core.files.storage import default_storage

    from cases.lifecycle.services.retention import apply_retention

    batch, _ = services.import_preview(
        post=world["post"],
        uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, _valid_rows())),
        acting_user=world["worker"],
    )
    name = batch.file.name
    assert default_storage.exists(name)
    assert apply_retention(dry_run=False).purged_import_previews == 0
    with time_machine.travel(batch.created_at + datetime.timedelta(hours=25), tick=False):
        assert apply_retention(dry_run=False).purged_import_previews == 1
    assert not ImportBatch.objects.exists()
    assert not default_storage.exists(name)


def test_imported_people_are_found_by_the_same_search_as_people_typed_in(world):  # noqa: F811
    """An import writes the search key with the service's own rule (accents, hyphens)."""
    from cases.files.selectors import beneficiary_search

    rows = [action_row(**{"Nom": "DUPONT-LEFÈVRE", "Prénom": "Marie-Hélène"})]
    services.import_file(
        post=world["post"],
        content=csv_bytes(ACTION_HEADER, rows),
        filename="a.csv",
        acting_user=world["worker"],
    )
    found = beneficiary_search(world["worker"], "helene lefevre")
    assert [b.last_name for b in found] == ["DUPONT-LEFÈVRE"]
