"""Undoing an import never discards what was changed since on the imported files.

Reproduced before: undo deleted imported people even after a worker had corrected them,
silently discarding the corrections.
"""

import pytest
from django.core.exceptions import ValidationError

from cases.files.services.actions import action_withdraw
from cases.files.services.beneficiaries import beneficiary_update
from cases.lifecycle.imports import services
from cases.models import Action, Beneficiary, ImportStatus
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload


def _imported(worker, post):
    batch, _ = services.import_preview(
        post=post,
        uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, [action_row()])),
        acting_user=worker,
    )
    return services.import_commit(batch=batch, acting_user=worker)


def test_undo_is_refused_once_an_imported_person_was_corrected():
    worker, _, _, post = _world()
    batch = _imported(worker, post)
    person = Beneficiary.objects.get()
    beneficiary_update(beneficiary=person, acting_user=worker, last_name="DURAND-MARTIN")
    with pytest.raises(ValidationError) as error:
        services.import_undo(batch=batch, acting_user=worker)
    assert "des fiches importées ont été modifié(e)s depuis l'import" in str(error.value)
    person.refresh_from_db()
    assert person.last_name == "DURAND-MARTIN"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE


def test_undo_is_refused_once_an_imported_acte_was_withdrawn():
    worker, _, _, post = _world()
    batch = _imported(worker, post)
    action_withdraw(action=Action.objects.get(), acting_user=worker, reason="Doublon")
    with pytest.raises(ValidationError, match="des actes importés"):
        services.import_undo(batch=batch, acting_user=worker)


def test_an_untouched_import_is_undone():
    worker, _, _, post = _world()
    batch = _imported(worker, post)
    assert services.import_undo(batch=batch, acting_user=worker).status == ImportStatus.UNDONE
    assert not Beneficiary.objects.exists()
