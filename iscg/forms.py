"""Form bases rendering with the DSFR, marking optional fields rather than required ones."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from iscg.concurrent_edits import ConcurrentEditMixin

# The largest primary key a database stores: a longer number typed in a multiple choice
# made SQLite raise OverflowError (500) when Django checked the choices with ``__in``.
MAX_KEY = 2**63 - 1


def _bounded(field):
    clean = field.clean

    def bounded_clean(value):
        for item in value or []:
            text = str(item).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > MAX_KEY:
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return clean(value)

    return bounded_clean


class _OptionalMarkMixin:
    def full_clean(self):
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField) and not hasattr(field, "_bounded"):
                field.clean, field._bounded = _bounded(field), True
        super().full_clean()

    def get_context(self):
        # django-dsfr warns about its transitional setting on every render; the
        # behaviour we want (mark optional fields) is set here once and for all.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class DsfrForm(_OptionalMarkMixin, DsfrBaseForm):
    pass


class DsfrModelForm(ConcurrentEditMixin, _OptionalMarkMixin, DsfrBaseForm, forms.ModelForm):
    """Editing an existing record, it carries the version displayed (no lost update)."""


class LoginForm(_OptionalMarkMixin, DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé. Contactez l'administrateur départemental.",
    }


def apply_service_errors(form, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form, on its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
