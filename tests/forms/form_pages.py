"""The forms of a page as a browser sees them, and what a user could type into each field.

The page's HTML is read with the standard library's parser: every ``<form method="post">``
posting to the page itself, its inputs, selects, textareas and named submit buttons.
"""

import datetime
import string
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

# Fields whose value is shown back as typed when the form comes back with errors.
ECHOED_TYPES = {"text", "search", "email", "tel", "url", "number", "date", "textarea"}


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea" or "submit"
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False
    disabled: bool = False
    # What the page shows selected or checked: the form as displayed, sent unchanged.
    chosen: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    enctype: str
    fields: list = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self.form = Form(attrs.get("action", ""), attrs.get("enctype", ""))
                self.forms.append(self.form)
            return
        if tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select.chosen.append(attrs.get("value", ""))
            return
        if self.form is None or not attrs.get("name"):
            return
        disabled = "disabled" in attrs
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            value = attrs.get("value", "")
            if kind in {"checkbox", "radio"}:
                existing = next((f for f in self.form.fields if f.name == attrs["name"]), None)
                checked = [value or "on"] if "checked" in attrs else []
                if existing is not None and existing.kind == kind:
                    existing.options.append(value or "on")
                    existing.chosen.extend(checked)
                    return
                self.form.fields.append(
                    Field(
                        attrs["name"],
                        kind,
                        options=[value or "on"],
                        disabled=disabled,
                        chosen=checked,
                    )
                )
                return
            self.form.fields.append(Field(attrs["name"], kind, value, disabled=disabled))
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.form.fields.append(Field(attrs["name"], "submit", attrs.get("value", "")))
        elif tag == "select":
            self.select = Field(
                attrs["name"], "select", multiple="multiple" in attrs, disabled=disabled
            )
            self.form.fields.append(self.select)
        elif tag == "textarea":
            self.textarea = Field(attrs["name"], "textarea", disabled=disabled)
            self.form.fields.append(self.textarea)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def unknown_decl(self, data):  # pragma: no cover - malformed declarations
        pass


def as_displayed(form: Form) -> dict:
    """What the browser sends when the form is submitted as the page shows it."""
    data = {}
    for item in form.fields:
        if item.disabled or item.kind == "file":
            continue
        if item.kind in {"select", "checkbox", "radio"}:
            chosen = item.chosen or (item.options[:1] if item.kind == "select" else [])
            if chosen:
                data[item.name] = chosen if item.multiple or len(chosen) > 1 else chosen[0]
        elif item.kind != "submit" or item.value:
            data[item.name] = item.value
    return data


def post_forms(html: str, path: str, *, anywhere=False) -> list[Form]:
    """The page's forms that post to the page itself, or (``anywhere``) to any address of
    the application; the action made absolute."""
    parser = _Parser()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        form.action = form.action or path
        if form.fields and (form.action == path or (anywhere and form.action.startswith("/"))):
            forms.append(form)
    return forms


# --- What a user types ---------------------------------------------------------------

PRINTABLE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    max_size=40,
)
FRENCH_LIKE = st.sampled_from(
    [
        "195 595,50",
        "195595,50",
        "195595.50",
        "1.234.567,89",
        "-1",
        "0",
        "1e9",
        "99999999999999999999",
        "31/02/2026",
        "29/02/2024",
        "01/01/1850",
        "2099-12-31",
        "Bourg-en-Bresse (01053)",
        "01000",
        "N'Diaye Dupont-Lefèvre",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "١٢٣",
        "  ",
    ]
)
HOSTILE = st.sampled_from(["\x00", "abc\x00def", "x" * 5000, "a\ufffdb"])


def _dates():
    return st.dates(datetime.date(1800, 1, 1), datetime.date(2200, 12, 31)).flatmap(
        lambda day: st.sampled_from([day.isoformat(), day.strftime("%d/%m/%Y")])
    )


def text_values():
    return st.one_of(PRINTABLE, FRENCH_LIKE, HOSTILE, st.just(""))


def _mostly(plausible, wild):
    """Seven draws in ten plausible: a form refusing one wild field checks nothing else."""
    return st.integers(0, 9).flatmap(lambda n: plausible if n < 7 else wild)


def _recent_dates():
    today = datetime.datetime.now(tz=datetime.UTC).date()
    return st.integers(-400, 3).map(lambda days: (today + datetime.timedelta(days)).isoformat())


PLAUSIBLE_TEXT = {
    "email": st.just("personne@example.fr"),
    "tel": st.just("06 12 34 56 78"),
    "url": st.just("https://example.fr"),
    "number": st.integers(0, 500).map(str),
    "date": _recent_dates(),
    "datetime-local": _recent_dates().map(lambda day: f"{day}T10:30"),
    "time": st.just("10:30"),
}
WORDS = st.sampled_from(["Durand", "Entretien", "Motif de test", "Bourg-en-Bresse", "1985", "3"])


def _plausible(field: Field):
    typed = PLAUSIBLE_TEXT.get(field.kind, WORDS)
    return st.one_of(st.just(field.value), typed) if field.value else typed


def value_for(field: Field):
    """A strategy of what may be sent for ``field`` (None: the field is left out)."""
    if field.kind in {"hidden", "submit"}:
        return st.just(field.value)
    if field.kind in {"checkbox", "radio"}:
        return st.one_of(st.none(), st.sampled_from(field.options))
    if field.kind == "select":
        options = [option for option in field.options if option] or field.options or [""]
        return _mostly(st.sampled_from(options), text_values())
    if field.kind == "file":
        return st.binary(max_size=400)
    if field.kind == "number":
        wild = st.one_of(
            st.integers(-(10**15), 10**15).map(str),
            st.decimals(-(10**9), 10**9, places=2, allow_nan=False).map(str),
            text_values(),
        )
        return _mostly(_plausible(field), wild)
    if field.kind in {"date", "datetime-local"}:
        return _mostly(_plausible(field), st.one_of(_dates(), text_values()))
    if field.kind == "time":
        wild = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), text_values())
        return _mostly(_plausible(field), wild)
    return _mostly(_plausible(field), text_values())


def echoed(field: Field, value) -> bool:
    """Whether ``value`` typed in ``field`` must be shown back when the form is redisplayed."""
    return (
        field.kind in ECHOED_TYPES
        and not field.disabled
        and isinstance(value, str)
        and value.strip() != ""
        and all(char in string.printable or ord(char) > 127 for char in value)
        and "\x00" not in value
        and "\ufffd" not in value
        and len(value) <= 1000
    )
