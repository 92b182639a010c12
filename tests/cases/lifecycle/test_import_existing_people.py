"""A person of the file who is already in the post gets their file completed, not doubled.

Reproduced before: a person entered by hand was created a second time by an import (the
import matched people only within one file), and the bilans counted them twice.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases.lifecycle.imports import services
from cases.models import Action, Beneficiary, Case, Referral
from tests.cases.factories import ActionFactory, BeneficiaryFactory, CaseFactory
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload


def _import(worker, post, rows):
    batch, parsed = services.import_preview(
        post=post, uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, rows)), acting_user=worker
    )
    return batch, parsed


def _by_hand(worker, post, **fields):
    values = {"last_name": "Durand", "first_name": "Lea", "birth_year": 1985, **fields}
    return BeneficiaryFactory(post=post, created_by=worker, **values)


def test_the_same_person_typed_by_hand_is_completed_not_created_again(client):
    worker, _, _, post = _world()
    lea = _by_hand(worker, post)  # "Durand Lea" by hand, "DURAND Léa" in the file
    batch, parsed = _import(
        worker, post, [action_row(), action_row(**{"Date de l'acte": "12/03/2025"})]
    )
    assert parsed.is_valid, parsed.errors
    assert batch.counts["beneficiaries"] == 0
    assert batch.counts["existing_beneficiaries"] == 1
    client.force_login(worker)
    page = client.get(reverse("lifecycle:import_preview", args=[batch.pk])).content.decode()
    assert "personne déjà présente dans le poste" in page
    assert "bénéficiaires déjà présent·es (fiche complétée)" in page

    services.import_commit(batch=batch, acting_user=worker)
    assert list(Beneficiary.objects.values_list("pk", flat=True)) == [lea.pk]
    case = Case.objects.get()
    assert case.beneficiary_id == lea.pk and case.import_batch_id == batch.pk
    assert Action.objects.filter(case=case).count() == 2
    assert Referral.objects.get().beneficiary_id == lea.pk


def test_undoing_the_import_keeps_the_person_typed_by_hand():
    worker, _, _, post = _world()
    lea = _by_hand(worker, post)
    batch, _ = _import(worker, post, [action_row()])
    services.import_commit(batch=batch, acting_user=worker)
    batch.refresh_from_db()
    services.import_undo(batch=batch, acting_user=worker)
    assert list(Beneficiary.objects.values_list("pk", flat=True)) == [lea.pk]
    assert not Case.objects.exists() and not Action.objects.exists()


def test_a_case_opened_the_same_day_is_completed_and_its_recorded_actes_not_doubled():
    worker, _, _, post = _world()
    lea = _by_hand(worker, post)
    case = CaseFactory(beneficiary=lea, opened_on=datetime.date(2025, 3, 1), created_by=worker)
    recorded = ActionFactory(
        case=case,
        author=worker,
        occurred_at=timezone.make_aware(datetime.datetime(2025, 3, 10, 9, 0)),
    )
    rows = [
        action_row(**{"Type d'acte": recorded.kind.label}),  # 10/03/2025: already there
        action_row(**{"Type d'acte": recorded.kind.label, "Date de l'acte": "20/03/2025"}),
    ]
    batch, parsed = _import(worker, post, rows)
    assert parsed.is_valid, parsed.errors
    assert batch.counts["cases"] == 0 and batch.counts["actions"] == 1
    assert any("acte déjà enregistré dans ISCG" in w and "Ligne 2" in w for w in parsed.warnings)
    services.import_commit(batch=batch, acting_user=worker)
    assert Case.objects.get() == case
    assert sorted(a.occurred_at.day for a in case.actions.all()) == [10, 20]
    assert not Referral.objects.exists()  # the case's own saisine is not invented


def test_same_names_with_another_birth_year_is_reported_and_created_apart():
    worker, _, _, post = _world()
    _by_hand(worker, post, birth_year=1990)
    batch, parsed = _import(worker, post, [action_row()])
    assert any("une nouvelle fiche sera créée" in warning for warning in parsed.warnings)
    assert batch.counts["beneficiaries"] == 1 and batch.counts["existing_beneficiaries"] == 0
    assert not any("DURAND" in w or "Léa" in w for w in parsed.warnings)  # no name shown


def test_people_of_another_post_are_never_matched():
    worker, _, _, post = _world()
    _by_hand(worker, BeneficiaryFactory().post)
    batch, parsed = _import(worker, post, [action_row()])
    assert batch.counts["beneficiaries"] == 1
    assert not any("déjà présente" in warning for warning in parsed.warnings)
