"""No lost update: a form editing a record carries the version it was opened on.

Two tabs (or two colleagues) open the same beneficiary or convention; the second to save
would silently overwrite the first, since a form posts every field. Every model form of
the project that edits an existing record therefore carries, in a hidden field, the
record's latest history entry (django-simple-history writes one per save) when the form
was displayed. A save over a newer version that changed a field the form shows (or
choices it cannot compare) is refused; a newer version that changed only other columns
(a login stamps the account's last_login) is no conflict. The form comes back with what was
typed, says who changed the record and when, lists each field they changed with the
value now saved beside the value typed, and carries the new version, so that saving
again, knowingly, replaces it.
"""

from django import forms
from django.utils import timezone

FIELD = "edit_version"


def _history(instance):
    manager = getattr(type(instance), "history", None)
    if manager is None or not instance.pk:
        return None
    return manager.filter(**{instance._meta.pk.attname: instance.pk})


def _latest(instance):
    history = _history(instance)
    return history.order_by("-history_id").first() if history is not None else None


def _shown(value, column) -> str:
    if value in (None, ""):
        return "vide"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    # A choice is shown as the form shows it ("Femme"), not as stored ("F").
    return str(dict(column.flatchoices).get(value, value)) if column.choices else str(value)


class ConcurrentEditMixin:
    """For model forms: refuses a save over a version newer than the one displayed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = _latest(self.instance) if self.instance.pk else None
        if latest is None:
            return
        self._version = str(latest.history_id)
        self.fields[FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=self._version
        )

    def clean(self):
        cleaned = super().clean()
        if FIELD not in self.fields:
            return cleaned
        cleaned.pop(FIELD, None)  # views hand cleaned_data to services: not a record field
        posted = str(self.data.get(self.add_prefix(FIELD), "") or "")
        # A client that never displayed the form (a script) sends no version: unchecked.
        if posted and posted != self._version:
            self._refuse(posted)
        return cleaned

    def _refuse(self, posted: str) -> None:
        history = _history(self.instance)
        latest = history.order_by("-history_id").first()
        seen = history.filter(history_id=posted).first() if posted.isdigit() else None
        who = latest.history_user.get_full_name() if latest.history_user else "un autre compte"
        when = timezone.localtime(latest.history_date)
        changed = []
        # Many-to-many choices (a post's units) have no column of the record: a newer
        # version is refused, naming who and when, not each of them.
        many = {f.name for f in self.instance._meta.many_to_many}
        uncompared = seen is None or any(name in many for name in self.fields)
        for name, form_field in self.fields.items():
            column = _column(latest, name)
            if column is None or seen is None:
                continue
            if getattr(latest, column.attname) != getattr(seen, column.attname):
                saved = getattr(self.instance, name)  # read at this request: now in the base
                typed = self.cleaned_data.get(name, self.data.get(self.add_prefix(name)))
                changed.append(
                    f"{form_field.label} : « {_shown(saved, column)} » enregistré, "
                    f"« {_shown(typed, column)} » saisi"
                )
        if not changed and not uncompared:
            # Only fields this form does not show changed (a login stamps last_login):
            # the save keeps them, as it reads the record anew. Nothing is lost.
            return
        detail = (" Champs modifiés : " + " ; ".join(changed) + ".") if changed else ""
        self.add_error(
            None,
            f"Cette fiche a été modifiée entre-temps par {who}, le {when:%d/%m/%Y à %H:%M}."
            f"{detail} Vérifiez vos valeurs : elles sont conservées ci-dessous ; enregistrez "
            "à nouveau pour remplacer la version enregistrée.",
        )
        # Saving again, knowingly, replaces the version now shown.
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = str(latest.history_id)
        self._version = str(latest.history_id)


def _column(record, name: str):
    """The record's own column for a form field (a foreign key compared by its key, as
    the history row holds ``commune_id``), or None for a field that is not one."""
    return next((f for f in record._meta.concrete_fields if f.name == name), None)
