"""Forms of the referral: the unit's saisine, the worker's feedback, the auto-saisine rows."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.enums import Circumstance, FeedbackKind, ProcedureKind, Sex, Urgency
from cases.models import Problem, UnitFeedback
from iscg.commune_input import CommuneField
from iscg.dates import birth_year_problem
from iscg.forms import DsfrForm
from iscg.models import Unit
from partners.models import PartnerKind

YES_NO = [("yes", "Oui"), ("no", "Non")]
RADIO_TEMPLATE = "referrals/fields/radio.html"
CHECKBOX_TEMPLATE = "referrals/fields/checkbox.html"
CONDITIONAL_TEMPLATE = "referrals/fields/conditional_input.html"
PHONE_RE = re.compile(r"^\+?[0-9 .\-()]{6,25}$")


def _departments_of(units) -> list[int]:
    """The départements of units already read (no query)."""
    return sorted({unit.department_id for unit in units})


def problem_choices(department_ids):
    """The problems the forms of these départements offer (their reference list)."""
    return Problem.objects.usable_in(department_ids).order_by("order", "label")


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
        data = self.cleaned_data
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
        from cases.enums import ReferralStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Tous les statuts"), *ReferralStatus.choices]


class FeedbackForm(DsfrForm):
    kind = forms.ChoiceField(
        label="Retour à l'unité",
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
        template_name=RADIO_TEMPLATE,
        error_messages={"required": "Choisissez le type de retour."},
    )
    attempts = forms.IntegerField(
        label="Nombre de tentatives de contact",
        required=False,
        min_value=1,
        max_value=50,
        help_text="À indiquer si la personne est injoignable.",
        error_messages={
            "invalid": "Saisissez un nombre.",
            "min_value": "Au moins une tentative.",
            "max_value": "Saisissez un nombre entre 1 et 50.",
        },
    )
    message = forms.CharField(
        label="Message à l'unité",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=UnitFeedback._meta.get_field("message").help_text,
        error_messages={"max_length": "Le message est limité à 500 signes."},
    )
    partner_kinds = forms.ModelMultipleChoiceField(
        label="Informer l'unité de l'orientation de la personne vers (facultatif)",
        queryset=PartnerKind.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Rien n'est dit à l'unité de l'orientation si vous ne cochez rien. Les types "
        "marqués « information de santé » révèlent l'état de santé de la personne.",
        error_messages={"invalid_choice": "Ce type de partenaire ne peut pas être annoncé."},
    )

    def __init__(self, *args, partner_kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner_kinds"]
        field.queryset = partner_kinds if partner_kinds is not None else PartnerKind.objects.none()
        field.label_from_instance = lambda kind: (
            f"{kind.label} — information de santé" if kind.is_health_related else kind.label
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == FeedbackKind.UNREACHABLE and not cleaned.get("attempts"):
            self.add_error("attempts", "Indiquez le nombre de tentatives de contact.")
        return cleaned


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

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_sex"].widget = forms.Select(choices=Sex.choices)
        self.fields["person_sex"].template_name = None
        self.fields["person_sex"].error_messages["invalid_choice"] = "Sexe : indiquez F, M, X ou U."
        self.fields["person_commune"].help_text = ""
        self.fields["unit"].queryset = units
        self.fields["main_problem"].queryset = problem_choices(_departments_of(units))
        self.fields["person_commune"].for_departments(_departments_of(units))

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
        return {
            "received_at": received_at,
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
