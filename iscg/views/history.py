"""A generic, permission-checked history page for any model with django-simple-history."""

from django.apps import apps
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from iscg.audit import audited
from iscg.history import CONFIDENTIAL, hidden_fields
from iscg.models import AccessAction

HISTORY_APPS = {"iscg", "cases", "partners", "conventions", "reporting"}
TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}


def _model_or_404(app_label: str, model_name: str):
    if app_label not in HISTORY_APPS:
        raise Http404
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    manager = model._default_manager
    if not hasattr(model, "history") or not hasattr(manager, "visible_to"):
        raise Http404
    return model


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since: show its name
        return None


def _display(model, name, value, hidden: bool) -> str:
    if hidden:
        return CONFIDENTIAL
    if value in (None, ""):
        return "—"
    field = _field(model, name)
    if field is not None and field.many_to_many:
        return "liste modifiée"
    if field is not None and field.is_relation:
        return f"n° {value}"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    return str(value)


def _label(model, name) -> str:
    field = _field(model, name)
    return str(field.verbose_name) if field is not None else name


def _tracked_fields(model, record):
    names = []
    for field in record.instance_type._meta.concrete_fields:
        if isinstance(field, models.AutoField) or field.name == "id":
            continue
        names.append((field.name, field.attname))
    return names


def history_entries(model, obj, user, hidden: frozenset[str] | None = None) -> list[dict]:
    if hidden is None:
        hidden = hidden_fields(user, obj)
    records = list(obj.history.select_related("history_user").order_by("history_date", "pk"))
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is None:
            for name, attname in _tracked_fields(model, record):
                value = getattr(record, attname, None)
                if value not in (None, ""):
                    changes.append(
                        {
                            "field": _label(model, name),
                            "old": "—",
                            "new": _display(model, name, value, name in hidden),
                        }
                    )
        else:
            delta = record.diff_against(previous)
            for change in delta.changes:
                changes.append(
                    {
                        "field": _label(model, change.field),
                        "old": _display(model, change.field, change.old, change.field in hidden),
                        "new": _display(model, change.field, change.new, change.field in hidden),
                    }
                )
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": TYPES.get(record.history_type, record.history_type),
                "changes": changes,
                "reason": record.history_change_reason or "",
            }
        )
        previous = record
    entries.reverse()
    return entries


@audited
def object_history(request, app_label: str, model_name: str, pk: int):
    model = _model_or_404(app_label, model_name)
    obj = model._default_manager.visible_to(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    request.audit = (AccessAction.HISTORY_VIEW, obj)
    hidden = hidden_fields(request.user, obj)
    return render(
        request,
        "iscg/history.html",
        {
            "object_kind": model._meta.verbose_name,
            "object_pk": obj.pk,
            "entries": history_entries(model, obj, request.user, hidden),
            "has_hidden": bool(hidden),
        },
    )
