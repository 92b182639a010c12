"""The unit's forms: its saisine, and the filter of its list."""

from django import forms
from django.core.exceptions import ValidationError

from cases.enums import Circumstance, ProcedureKind, ReferralStatus, Urgency
from cases.models import Problem
from cases.referrals.forms.person import (
    RADIO_TEMPLATE,
    YES_NO,
    PersonForm,
    _departments_of,
    problem_choices,
    saisine_fields,
)
from iscg.filters import FIRST_YEAR, LAST_YEAR
from iscg.forms import DsfrForm
from iscg.models import Unit


class LoadedUnitChoiceField(forms.ModelChoiceField):
    """A unit among those the view has already read (``units``): checked without a query."""

    units: tuple = ()  # set by UnitReferralForm for each form

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for unit in self.units:
            if str(unit.pk) == str(value):
                return unit
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class UnitReferralForm(PersonForm):
    """The saisine of a police officer or gendarme: fast to fill, nothing lost on error."""

    unit = LoadedUnitChoiceField(
        label="Unité à l'origine",
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choisissez l'unité à l'origine de la saisine.",
            "invalid_choice": "Choisissez une unité que vous dirigez.",
        },
    )
    circumstance = forms.ChoiceField(
        label="Circonstance",
        choices=[("", "Choisir…"), *Circumstance.choices],
        error_messages={"required": "Indiquez dans quelle circonstance la personne a été vue."},
    )
    main_problem = forms.ModelChoiceField(
        label="Problématique principale",
        queryset=Problem.objects.none(),
        empty_label="Choisir…",
        error_messages={
            "required": "Choisissez la problématique principale.",
            "invalid_choice": "Choisissez une problématique de la liste.",
        },
    )
    procedure_kind = forms.ChoiceField(
        label="Procédure liée",
        choices=ProcedureKind.choices,
        initial=ProcedureKind.NONE,
    )
    procedure_reference = forms.CharField(
        label="Référence de la procédure", max_length=60, required=False
    )
    consent_to_contact = forms.ChoiceField(
        label="La personne accepte-t-elle d'être contactée par l'intervenant·e social·e ?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        template_name=RADIO_TEMPLATE,
        error_messages={
            "required": "Indiquez si la personne accepte d'être contactée (oui ou non)."
        },
    )
    urgency = forms.ChoiceField(
        label="Urgence",
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        template_name=RADIO_TEMPLATE,
    )
    context = forms.CharField(
        label="Contexte en quelques mots",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui aidera l'intervenant·e à prendre contact (2000 signes).",
        error_messages={"max_length": "Le contexte est limité à 2000 signes."},
    )

    field_order = [
        "unit",
        "anonymous",
        "person_last_name",
        "person_first_name",
        "person_phone",
        "person_sex",
        "person_age",
        "person_birth_year",
        "person_commune",
        "circumstance",
        "main_problem",
        "procedure_kind",
        "procedure_reference",
        "consent_to_contact",
        "urgency",
        "context",
    ]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].units = list(units)  # read once, with the view's queryset
        if len(self.fields["unit"].units) == 1:
            self.fields["unit"].initial = self.fields["unit"].units[0]
            self.fields["unit"].widget = forms.HiddenInput()
        self.fields["main_problem"].queryset = problem_choices(_departments_of(units))
        self.fields["person_commune"].for_departments(_departments_of(units))
        for name in ("person_sex", "consent_to_contact", "urgency"):
            self.fields[name].widget.inline = True

    def clean(self):
        return self._clean_person(super().clean())

    def referral_fields(self) -> dict:
        return saisine_fields(self.cleaned_data)


class UnitReferralFilterForm(DsfrForm):
    status = forms.ChoiceField(label="Statut", required=False)
    month = forms.DateField(
        label="Mois",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Mois non reconnu : choisissez un mois (AAAA-MM)."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Tous les statuts"), *ReferralStatus.choices]

    def clean_month(self):
        # The list reads the month as a range up to the next month's start: December 9999
        # had none (an error page), and a month outside the lists' years has no saisine.
        month = self.cleaned_data["month"]
        if month and not FIRST_YEAR <= month.year <= LAST_YEAR:
            raise forms.ValidationError(f"Choisissez un mois entre {FIRST_YEAR} et {LAST_YEAR}.")
        return month
