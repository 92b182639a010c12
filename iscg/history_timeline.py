"""An object's history as a person reads it: field labels, names instead of ids, no
internal fields, and for a file (accompagnement) its actes, orientations and feedback.

What a reader may see of each value is decided by ``iscg.history.hidden_fields``; this
module only turns the stored rows into sentences and names.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import timezone

from iscg.history import CONFIDENTIAL, sensitive_fields

TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
# Kept for the software, meaningless to a reader: the search key holds the name, phone
# and all in lower case; the entry's own date already says when a row was created.
INTERNAL_FIELDS = {"search_text"}

# The histories a file's timeline gathers: (model, path from its history rows to the file).
CASE_PARTS = (
    ("cases.action", "case_id"),
    ("cases.orientation", "case_id"),
    ("cases.unitfeedback", "referral__case_id"),
)


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since: show its name
        return None


def shown_fields(model, record) -> list[tuple[str, str]]:
    """(name, attname) of the fields a reader is shown."""
    names = []
    for model_field in record.instance_type._meta.concrete_fields:
        if isinstance(model_field, models.AutoField) or model_field.name == "id":
            continue
        if model_field.name in INTERNAL_FIELDS:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            continue
        names.append((model_field.name, model_field.attname))
    return names


@dataclass
class Names:
    """Related objects' names, read once per related model for the whole page."""

    wanted: dict = field(default_factory=dict)  # model -> set of pks
    names: dict = field(default_factory=dict)  # (model, pk) -> str

    def want(self, model, name, value) -> None:
        model_field = _field(model, name)
        if model_field is not None and model_field.many_to_one and value not in (None, ""):
            self.wanted.setdefault(model_field.related_model, set()).add(value)

    def load(self) -> None:
        for related, pks in self.wanted.items():
            for obj in related._base_manager.filter(pk__in=pks):
                self.names[(related, obj.pk)] = str(obj)

    def of(self, related, pk) -> str:
        return self.names.get((related, pk), f"n° {pk} (supprimé depuis)")


def _display(model, name, value, hidden: bool, names: Names) -> str:
    if hidden:
        return CONFIDENTIAL
    if value in (None, ""):
        return "—"
    model_field = _field(model, name)
    if model_field is not None and model_field.many_to_many:
        return "liste modifiée"
    if model_field is not None and model_field.is_relation:
        return names.of(model_field.related_model, value)
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _label(model, name) -> str:
    model_field = _field(model, name)
    return str(model_field.verbose_name) if model_field is not None else name


def _raw_entries(model, records, hidden, names: Names, subject: str = "") -> list[dict]:
    """Entries with raw values; names are filled in once every record is read."""
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        if before is None:
            pairs = [
                (name, None, getattr(record, attname, None))
                for name, attname in shown_fields(model, record)
                if getattr(record, attname, None) not in (None, "")
            ]
        else:
            shown = {name for name, _attname in shown_fields(model, record)}
            pairs = [
                (change.field, change.old, change.new)
                for change in record.diff_against(before).changes
                if change.field in shown
            ]
        for name, old, new in pairs:
            names.want(model, name, old)
            names.want(model, name, new)
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": TYPES.get(record.history_type, record.history_type),
                "subject": subject.format(pk=record.id),
                "model": model,
                "pairs": pairs,
                "hidden": hidden,
                "reason": record.history_change_reason or "",
            }
        )
        previous[record.id] = record
    return entries


def _finish(entries, names: Names) -> list[dict]:
    names.load()
    for entry in entries:
        model, hidden = entry.pop("model"), entry.pop("hidden")
        entry["changes"] = [
            {
                "field": _label(model, name),
                "old": "—" if old is None else _display(model, name, old, name in hidden, names),
                "new": _display(model, name, new, name in hidden, names),
            }
            for name, old, new in entry.pop("pairs")
        ]
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries


def history_entries(model, obj, hidden: frozenset[str]) -> list[dict]:
    """The object's timeline, newest first; a file's includes its parts."""
    names = Names()
    records = obj.history.select_related("history_user").order_by("history_date", "pk")
    entries = _raw_entries(model, records, hidden, names)
    if model._meta.label_lower == "cases.case":
        for label, path in CASE_PARTS:
            part = apps.get_model(label)
            # The file's readers are its post's workers, who read its parts whole; anyone
            # else who reached a file's history reads none of its parts' sensitive values.
            part_hidden = sensitive_fields(part) if hidden else frozenset()
            rows = part.history.filter(**{path: obj.pk}).select_related("history_user")
            subject = f"{part._meta.verbose_name.capitalize()} n° {{pk}}"
            entries += _raw_entries(
                part, rows.order_by("history_date", "pk"), part_hidden, names, subject
            )
    return _finish(entries, names)
