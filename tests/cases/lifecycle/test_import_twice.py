"""A file imported once: the same content again is refused, in French, on the field.

Reproduced before: importing the same activity file twice was accepted with no warning
and doubled every figure of the bilans.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.lifecycle.imports import analysis, services
from cases.models import Beneficiary, ImportBatch, ImportStatus
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload

CONTENT = csv_bytes(ACTION_HEADER, [action_row()])


def _imported(worker, post):
    batch, _ = services.import_preview(
        post=post, uploaded_file=upload("activite.csv", CONTENT), acting_user=worker
    )
    return services.import_commit(batch=batch, acting_user=worker)


def _text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


def test_the_same_file_uploaded_again_is_refused_on_the_field(client):
    worker, _, _, post = _world()
    first = _imported(worker, post)
    people = Beneficiary.objects.count()
    client.force_login(worker)
    # Another name, the same content: the name is not what is compared.
    response = client.post(
        reverse("lifecycle:import_start"),
        {"post": post.pk, "file": upload("copie.csv", CONTENT)},
    )
    text = _text(response)
    assert "Ce fichier a déjà été importé pour ce poste le" in text
    assert f"(import n° {first.pk})" in text
    assert ImportBatch.objects.count() == 1 and Beneficiary.objects.count() == people


def test_once_undone_the_file_may_be_imported_again(client):
    worker, _, _, post = _world()
    first = _imported(worker, post)
    services.import_undo(batch=first, acting_user=worker)
    again = _imported(worker, post)
    assert again.status == ImportStatus.DONE


def test_two_previews_of_one_file_are_not_both_confirmed():
    worker, _, _, post = _world()
    one, _ = services.import_preview(
        post=post, uploaded_file=upload("a.csv", CONTENT), acting_user=worker
    )
    two, _ = services.import_preview(
        post=post, uploaded_file=upload("b.csv", CONTENT), acting_user=worker
    )
    analysis.import_confirm(batch=one, acting_user=worker)
    with pytest.raises(ValidationError, match="déjà été importé"):
        analysis.import_confirm(batch=two, acting_user=worker)


def test_another_post_may_import_the_same_file():
    worker, _, _, post = _world()
    _imported(worker, post)
    other_worker, _, _, other_post = _world()
    assert _imported(other_worker, other_post).status == ImportStatus.DONE


def test_the_command_path_refuses_it_too():
    worker, _, _, post = _world()
    services.import_file(post=post, content=CONTENT, filename="a.csv", acting_user=worker)
    with pytest.raises(ValidationError, match="déjà été importé"):
        services.import_file(post=post, content=CONTENT, filename="a.csv", acting_user=worker)
