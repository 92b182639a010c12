"""One way to enter a commune, in every form of the application and in the import.

A person may live anywhere in France, so no form offers a list of 35,000 communes: the
user types a name (accents, case and hyphens aside), a postcode or an INSEE code, helped
by suggestions of their own départements' communes, and ``resolve_commune`` finds the one
meant, the user's own départements first. What was typed is shown again, as typed, when
the form comes back with an error.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from iscg import access
from iscg.geography import commune_code_of
from iscg.models import Commune
from iscg.text import normalize

# "Bourg-en-Bresse (01053)": what a suggestion puts in the field.
LABELLED = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[0-9][0-9AB][0-9]{3})\)\s*$")
CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
MAX_EXAMPLES = 5


def commune_value(commune: Commune) -> str:
    """How a commune is written in the field: its name and INSEE code."""
    return f"{commune.name} ({commune.code})"


def _choose(candidates: list[Commune], department_ids) -> Commune | None:
    """The one candidate, or the one in the user's départements among namesakes."""
    if len(candidates) == 1:
        return candidates[0]
    own = [c for c in candidates if c.department_id in department_ids]
    return own[0] if len(own) == 1 else None


def _ambiguous(text: str, candidates: list[Commune]) -> ValidationError:
    examples = ", ".join(
        f"{commune_value(c)} — {c.department.name}" for c in candidates[:MAX_EXAMPLES]
    )
    return ValidationError(
        f"Plusieurs communes correspondent à « {text} » : choisissez-en une dans la liste "
        f"proposée, ou tapez son code INSEE (par exemple {examples}).",
        code="ambiguous",
    )


def resolve_commune(text: str, *, department_ids=(), queryset=None) -> Commune | None:
    """The commune ``text`` names ("Nom (code)", INSEE code, postcode or name); None if
    empty. Raises a French ValidationError when none or several communes match."""
    text = " ".join((text or "").split())
    if not text:
        return None
    communes = (queryset if queryset is not None else Commune.objects.all()).select_related(
        "department"
    )
    labelled = LABELLED.match(text)
    if labelled:
        found = communes.filter(code=labelled["code"].upper()).first()
        if found:
            return found
        text = labelled["name"]
    compact = text.replace(" ", "").upper()
    if CODE.match(compact):
        code = commune_code_of(compact.zfill(5))
        found = communes.filter(code=code).first()
        if found:
            return found
    if compact.isdigit() and len(compact) == 5:
        candidates = list(communes.filter(postcodes__contains=compact).alphabetical()[:20])
        # "01000" must not match "010001" in a longer list: compare whole postcodes.
        candidates = [c for c in candidates if compact in c.postcode_list]
    elif compact.isdigit():
        candidates = []
    else:
        key = normalize(text)
        candidates = list(communes.filter(search_name=key).alphabetical()[:20])
        if not candidates:
            candidates = list(communes.search(text).alphabetical()[:20])
    if not candidates:
        raise ValidationError(
            f"Aucune commune ne correspond à « {text} » : tapez son nom, son code postal ou "
            "son code INSEE (01053 pour Bourg-en-Bresse).",
            code="unknown",
        )
    chosen = _choose(candidates, set(department_ids))
    if chosen is None:
        raise _ambiguous(text, candidates)
    return chosen


def commune_suggestions(department_ids) -> list[tuple[str, str]]:
    """The options of a commune input: its départements' communes, with their postcodes."""
    communes = (
        Commune.objects.filter(department_id__in=department_ids)
        .alphabetical()
        .only("name", "code", "postcodes")
    )
    return [(commune_value(c), c.postcodes) for c in communes]


class CommuneInput(forms.TextInput):
    """A text input with suggestions: the communes of the user's départements."""

    template_name = "iscg/widgets/commune_input.html"

    def __init__(self, attrs=None, *, list_id=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        # A page with many commune inputs (one per row) shares one list, given by the page.
        self.list_id = list_id
        self.department_ids: list[int] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        own = self.list_id is None
        attrs["list"] = self.list_id or f"{attrs.get('id', 'id_' + name)}-communes"
        context["widget"]["datalist"] = (
            {"id": attrs["list"], "options": commune_suggestions(self.department_ids)}
            if own
            else None
        )
        return context


class CommuneField(forms.Field):
    """A commune typed as a name, a postcode or an INSEE code (see the module)."""

    widget = CommuneInput

    def __init__(self, *, user=None, queryset=None, list_id=None, **kwargs):
        kwargs.setdefault("label", "Commune de résidence")
        kwargs.setdefault(
            "help_text", "Nom, code postal ou code INSEE : tapez, puis choisissez dans la liste."
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget.list_id = list_id
        self.for_user(user)

    def for_user(self, user) -> None:
        """The user's départements: suggested, and preferred among namesakes."""
        self.for_departments(access.department_ids(user) if user is not None else [])

    def for_departments(self, department_ids, *, only=False) -> None:
        """Suggests (and prefers) these départements' communes; ``only``: accepts no other
        (a unit's or a site's commune is in its département)."""
        self.department_ids = list(department_ids)
        self.widget.department_ids = self.department_ids
        if only:
            self.queryset = Commune.objects.filter(department_id__in=self.department_ids)

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return commune_value(value)
        if isinstance(value, int):  # a model form's initial value: the commune's key
            commune = Commune.objects.filter(pk=value).first()
            return commune_value(commune) if commune else ""
        return value  # as typed

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        return resolve_commune(
            str(value or "").replace("\x00", ""),
            department_ids=self.department_ids,
            queryset=self.queryset,
        )

    def has_changed(self, initial, data):
        try:
            typed = self.to_python(data)
        except ValidationError:
            return True
        initial_pk = initial.pk if isinstance(initial, Commune) else initial
        return (typed.pk if typed else None) != (initial_pk or None)
