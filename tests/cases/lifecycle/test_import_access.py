"""An import's preview, confirmation and undo belong to its uploader and to the post's
workers; only the uploader reads the cells as typed, and the register names "import n° X".

Reproduced on the demo: the employer manager opened a worker's preview, confirmed and
undid it, and read « Marie-Victime DUPONT » quoted in an error and the file's name.
"""

from django.urls import reverse

from cases.lifecycle.imports import services
from cases.models import DataProtectionEvent, ImportBatch, ImportStatus
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload
from tests.iscg.factories import CommuneFactory, UserFactory

SECRET = "Marie-Victime DUPONT"
FILE_NAME = "suivi-de-Mme-Secretnom.csv"


def _world():
    worker = UserFactory(worker=True)
    post = worker.holdings.get().post
    department = post.employer.department
    CommuneFactory(code="01053", name="Bourg-en-Bresse", department=department)
    colleague = UserFactory(worker=True, post=post, department=department)
    manager = UserFactory(employer_manager=True, employer=post.employer, department=department)
    return worker, colleague, manager, post


def _preview(worker, post, rows):
    batch, _ = services.import_preview(
        post=post,
        uploaded_file=upload(FILE_NAME, csv_bytes(ACTION_HEADER, rows)),
        acting_user=worker,
    )
    return batch


def test_the_employer_manager_cannot_open_confirm_or_undo_a_workers_import(client):
    worker, _, manager, post = _world()
    batch = _preview(worker, post, [action_row()])
    client.force_login(manager)
    assert client.get(reverse("lifecycle:import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("lifecycle:import_confirm", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert FILE_NAME not in client.get(reverse("lifecycle:import_start")).content.decode()
    services.import_commit(batch=batch, acting_user=worker)
    assert client.post(reverse("lifecycle:import_undo", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE


def test_the_posts_other_worker_handles_it_without_reading_the_cells(client):
    worker, colleague, _, post = _world()
    batch = _preview(worker, post, [action_row(), action_row(**{"Sexe": SECRET})])
    client.force_login(colleague)
    page = client.get(reverse("lifecycle:import_preview", args=[batch.pk])).content.decode()
    assert "Sexe : la valeur saisie n&#x27;est pas une valeur reconnue." in page
    assert "<td>3</td>" in page  # the line
    assert "DUPONT" not in page and "Secretnom" not in page
    start = client.get(reverse("lifecycle:import_start")).content.decode()
    assert f"Import n° {batch.pk}" in start and "Secretnom" not in start
    # The uploader reads what they typed.
    client.force_login(worker)
    page = client.get(reverse("lifecycle:import_preview", args=[batch.pk])).content.decode()
    assert "Sexe : « Marie-Victime DUPONT » n&#x27;est pas une valeur reconnue." in page
    assert FILE_NAME in page


def test_the_posts_other_worker_may_confirm_and_undo(client, django_capture_on_commit_callbacks):
    worker, colleague, _, post = _world()
    batch = _preview(worker, post, [action_row()])
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lifecycle:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    client.post(reverse("lifecycle:import_undo", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UNDONE


def test_the_register_names_the_import_by_its_number(client):
    worker, _, _, post = _world()
    batch = _preview(worker, post, [action_row()])
    services.import_commit(batch=batch, acting_user=worker)
    services.import_undo(batch=ImportBatch.objects.get(pk=batch.pk), acting_user=worker)
    events = DataProtectionEvent.objects.filter(object_id=batch.pk)
    assert events.count() == 2
    for event in events:
        assert f"n° {batch.pk}" in event.reason and "Secretnom" not in str(event.details)
    assert str(batch) == f"Import n° {batch.pk}"
    admin = UserFactory(admin=True, department=post.employer.department)
    client.force_login(admin)
    page = client.get(reverse("lifecycle:register")).content.decode()
    assert f"n° {batch.pk}" in page and "Secretnom" not in page
