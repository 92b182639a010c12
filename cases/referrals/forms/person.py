"""The person of a saisine as the unit saw them: the fields and checks shared by the unit's
form and the worker's auto-saisine rows."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.enums import ProcedureKind, Sex
from cases.models import Problem
from iscg.commune_input import CommuneField
from iscg.dates import birth_year_problem
from iscg.forms import DsfrForm

YES_NO = [("yes", "Oui"), ("no", "Non")]
RADIO_TEMPLATE = "cases/referrals/fields/radio.html"
CHECKBOX_TEMPLATE = "cases/referrals/fields/checkbox.html"
CONDITIONAL_TEMPLATE = "cases/referrals/fields/conditional_input.html"
PHONE_RE = re.compile(r"^\+?[0-9 .\-()]{6,25}$")


def _departments_of(units) -> list[int]:
    """The départements of units already read (no query)."""
    return sorted({unit.department_id for unit in units})


def problem_choices(department_ids):
    """The problems the forms of these départements offer (their reference list)."""
    return Problem.objects.usable_in(department_ids).order_by("order", "label")


def saisine_fields(data: dict) -> dict:
    """What a unit says of a saisine and of the person, from a form's cleaned data, as
    referral_create takes it."""
    return {
        "source_unit": data["unit"],
        "circumstance": data["circumstance"],
        "main_problem": data["main_problem"],
        "procedure_kind": data["procedure_kind"],
        "procedure_reference": data["procedure_reference"],
        "consent_to_contact": data["consent_to_contact"] == "yes",
        "urgency": data["urgency"],
        "context": data["context"],
        "person_last_name": data["person_last_name"],
        "person_first_name": data["person_first_name"],
        "person_phone": data["person_phone"],
        "person_sex": data["person_sex"],
        "person_age": data["person_age"],
        "person_birth_year": data["person_birth_year"],
        "person_commune": data["person_commune"],
    }


class PersonFieldsMixin:
    """Validation shared by the unit's form and the worker's auto-saisine rows."""

    def _clean_person(self, cleaned):
        anonymous = cleaned.get("anonymous")
        if anonymous:
            cleaned["person_last_name"] = ""
            cleaned["person_first_name"] = ""
        elif not cleaned.get("person_last_name") and "person_last_name" not in self.errors:
            self.add_error(
                "person_last_name",
                "Indiquez le nom de la personne, ou cochez « Personne anonyme ».",
            )
        age, year = cleaned.get("person_age"), cleaned.get("person_birth_year")
        if age is not None and year is not None:
            expected = timezone.localdate().year - year
            if abs(expected - age) > 1:
                self.add_error(
                    "person_birth_year",
                    "L'âge et l'année de naissance ne concordent pas : corrigez l'un des deux "
                    "ou n'en gardez qu'un.",
                )
        if cleaned.get("procedure_reference") and cleaned.get("procedure_kind") in (
            ProcedureKind.NONE,
            "",
        ):
            self.add_error(
                "procedure_kind",
                "Vous avez indiqué une référence : précisez le type de procédure.",
            )
        return cleaned

    def clean_person_phone(self):
        phone = self.cleaned_data.get("person_phone", "").strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(
                "Numéro de téléphone non reconnu : saisissez des chiffres, par exemple "
                "06 12 34 56 78."
            )
        return phone

    def clean_person_birth_year(self):
        year = self.cleaned_data.get("person_birth_year")
        problem = birth_year_problem(year)
        if problem:
            raise ValidationError(problem)
        return year


class PersonForm(PersonFieldsMixin, DsfrForm):
    """The person as the unit saw them: name or anonymous, contact, sex, age, commune."""

    anonymous = forms.BooleanField(
        label="Personne anonyme",
        required=False,
        help_text="Cochez si la personne ne souhaite pas donner son nom.",
        template_name=CHECKBOX_TEMPLATE,
    )
    person_last_name = forms.CharField(
        label="Nom",
        max_length=150,
        required=False,
        help_text="Obligatoire, sauf si la personne reste anonyme.",
        template_name=CONDITIONAL_TEMPLATE,
    )
    person_first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    person_phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    person_sex = forms.ChoiceField(
        label="Sexe",
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        widget=forms.RadioSelect,
        template_name=RADIO_TEMPLATE,
    )
    person_age = forms.IntegerField(
        label="Âge",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Saisissez un âge en années (un nombre).",
            "min_value": "L'âge ne peut pas être négatif.",
            "max_value": "Âge impossible : saisissez un âge inférieur à 120 ans.",
        },
    )
    person_birth_year = forms.IntegerField(
        label="ou année de naissance",
        required=False,
        error_messages={"invalid": "Saisissez une année sur quatre chiffres, ex. 1985."},
    )
    # The page prints the list of suggestions once ("communes-list"), for every row.
    person_commune = CommuneField(list_id="communes-list")
