"""One auto-saisine row: a referral of the weekly activity summary, entered by the worker."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.enums import Circumstance, ProcedureKind, Sex, Urgency
from cases.models import Problem
from cases.referrals.forms.person import (
    YES_NO,
    PersonForm,
    _departments_of,
    problem_choices,
    saisine_fields,
)
from iscg.models import Unit


class AutoReferralRowForm(PersonForm):
    """One referral of the gendarmerie's weekly activity summary, entered by the worker."""

    received_on = forms.DateField(
        label="Date des faits ou de l'intervention",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date.",
            "invalid": "Date impossible ou mal écrite : utilisez JJ/MM/AAAA.",
        },
    )
    unit = forms.ModelChoiceField(
        label="Unité",
        queryset=Unit.objects.none(),
        empty_label="Choisir…",
        error_messages={
            "required": "Indiquez l'unité.",
            "invalid_choice": "Unité inconnue ou non servie par votre poste.",
        },
    )
    main_problem = forms.ModelChoiceField(
        label="Problématique",
        queryset=Problem.objects.none(),
        empty_label="Choisir…",
        error_messages={
            "required": "Indiquez la problématique.",
            "invalid_choice": "Problématique inconnue : utilisez un libellé de la liste.",
        },
    )
    circumstance = forms.ChoiceField(
        label="Circonstance",
        required=False,
        choices=[("", "Non précisée"), *Circumstance.choices],
        error_messages={"invalid_choice": "Circonstance inconnue."},
    )
    procedure_kind = forms.ChoiceField(
        label="Procédure",
        choices=ProcedureKind.choices,
        initial=ProcedureKind.NONE,
        error_messages={"invalid_choice": "Type de procédure inconnu."},
    )
    procedure_reference = forms.CharField(label="Référence", max_length=60, required=False)
    consent_to_contact = forms.ChoiceField(
        label="Accepte d'être contactée",
        choices=[("", "Choisir…"), *YES_NO],
        error_messages={
            "required": "Consentement manquant : indiquez oui ou non.",
            "invalid_choice": "Consentement : indiquez oui ou non.",
        },
    )
    urgency = forms.ChoiceField(
        label="Urgence",
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        error_messages={"invalid_choice": "Urgence : indiquez normale ou urgente."},
    )
    context = forms.CharField(label="Contexte", required=False, max_length=2000)

    def __init__(self, *args, units, shared: dict | None = None, **kwargs):
        """``shared``: one dict for every row of a formset (its ``form_kwargs``), in which
        the first row keeps the units' départements and the unit and problem choices it
        read, so that each further row reads none (three rows read them three times)."""
        super().__init__(*args, **kwargs)
        shared = {} if shared is None else shared
        self.fields["person_sex"].widget = forms.Select(choices=Sex.choices)
        self.fields["person_sex"].template_name = None
        self.fields["person_sex"].error_messages["invalid_choice"] = "Sexe : indiquez F, M, X ou U."
        self.fields["person_commune"].help_text = ""
        if "departments" not in shared:
            shared["departments"] = _departments_of(units)
        departments = shared["departments"]
        self.fields["unit"].queryset = units
        self.fields["main_problem"].queryset = problem_choices(departments)
        self.fields["person_commune"].for_departments(departments)
        for name in ("unit", "main_problem"):
            # Validation still reads the queryset; only the options shown are shared.
            if name not in shared:
                # A comprehension: list() would first count the rows (one query more).
                shared[name] = [choice for choice in self.fields[name].choices]  # noqa: C416
            self.fields[name].choices = shared[name]

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError("Date impossible : elle est dans le futur.")
        if day < timezone.localdate() - datetime.timedelta(days=366):
            raise ValidationError("Date impossible : plus d'un an dans le passé.")
        return day

    def clean(self):
        return self._clean_person(super().clean())

    def referral_fields(self) -> dict:
        data = self.cleaned_data
        received_at = timezone.make_aware(
            datetime.datetime.combine(data["received_on"], datetime.time(12, 0))
        )
        return {"received_at": received_at, **saisine_fields(data)}
