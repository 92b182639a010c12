"""Amounts as French users type them: "195 595,50", "195595,50" or "195595.50".

Browsers read a ``type=number`` input with the page's or the system's locale: in a French
Chromium, "195595,50" typed into one reached the server as 19 559 550. Amounts are text
inputs (``inputmode=decimal`` brings the numeric keypad) read here, and anything that could
mean two amounts is refused with a French message rather than guessed.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

# Spaces a user or a spreadsheet puts between thousands: space, no-break, narrow no-break.
THOUSANDS = re.compile(r"[ \u00a0\u202f]")
PLAIN = re.compile(r"^\d+$")
DECIMAL = re.compile(r"^(\d+)[.,](\d{1,2})$")
UNREADABLE = "Montant illisible : écrivez-le en chiffres, par exemple 195 595,50."


def parse_amount(text: str) -> Decimal:
    """The amount a French user meant; ValidationError (French) when unsure."""
    value = THOUSANDS.sub("", str(text)).removesuffix("€").strip()
    if value.startswith("-"):
        raise ValidationError("Indiquez un montant positif.")
    if PLAIN.match(value):
        return Decimal(value)
    match = DECIMAL.match(value)
    if match is None:
        if re.match(r"^\d+\.\d{3}$", value):  # "195.595": thousands, or a decimal point?
            raise ValidationError(
                "Montant ambigu : écrivez les milliers avec une espace et les centimes après "
                "une virgule, par exemple 195 595,50."
            )
        raise ValidationError(UNREADABLE)
    try:
        return Decimal(f"{match[1]}.{match[2]}")
    except InvalidOperation as error:  # pragma: no cover - the pattern holds digits only
        raise ValidationError(UNREADABLE) from error


def format_amount(value) -> str:
    """195595.5 -> "195 595,50" (a plain space: the user edits it as typed)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)  # what the user typed, shown back as it was
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


class AmountInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float):
            return format_amount(value)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """A money amount in euros, read the French way (never a ``type=number`` input)."""

    widget = AmountInput

    def __init__(self, *, max_digits=12, decimal_places=2, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def widget_attrs(self, widget):
        # DecimalField adds step/min/max for a number input: meaningless on a text input.
        return {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_amount(value)
