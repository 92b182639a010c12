"""Form bases rendering with the DSFR, marking optional fields rather than required ones."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from dsfr.forms import DsfrBaseForm


class _OptionalMarkMixin:
    def get_context(self):
        # django-dsfr warns about its transitional setting on every render; the
        # behaviour we want (mark optional fields) is set here once and for all.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class DsfrForm(_OptionalMarkMixin, DsfrBaseForm):
    pass


class DsfrModelForm(_OptionalMarkMixin, DsfrBaseForm, forms.ModelForm):
    pass


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
