"""full_clean trusts the related objects already loaded, and only those."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Action, ActionKind
from iscg.loaded_relations import loaded_foreign_keys
from tests.cases.factories import CaseFactory, action_kind


def _existence_checks(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]


def test_loaded_related_objects_are_not_read_again():
    case = CaseFactory()
    action = Action(case=case, post=case.post, kind=action_kind(), author=case.created_by)
    assert loaded_foreign_keys(action) == {"case", "post", "kind", "author"}
    with CaptureQueriesContext(connection) as context:
        action.full_clean()
    assert _existence_checks(context) == []


def test_a_bare_id_is_still_checked_and_refused_in_french():
    case = CaseFactory()
    action = Action(case=case, post=case.post, kind_id=987654, author=case.created_by)
    assert "kind" not in loaded_foreign_keys(action)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "kind" in error.value.message_dict
    assert "n'est pas un choix valide" in error.value.message_dict["kind"][0]


def test_an_unsaved_or_mismatched_related_object_is_still_checked():
    case = CaseFactory()
    unsaved = ActionKind(code="nouveau", label="Nouveau")
    action = Action(case=case, post=case.post, kind=unsaved, author=case.created_by)
    assert "kind" not in loaded_foreign_keys(action)
    action = Action(case=case, post=case.post, kind=action_kind(), author=case.created_by)
    action.kind_id = 987654  # the cached object no longer matches the key
    assert "kind" not in loaded_foreign_keys(action)
    with pytest.raises(ValidationError):
        action.full_clean()


def test_other_field_checks_still_run():
    case = CaseFactory()
    action = Action(
        case=case, post=case.post, kind=action_kind(), author=case.created_by, duration_minutes=-1
    )
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "duration_minutes" in error.value.message_dict
