"""Worker forms. Services do the writing; forms only check and convert what was typed."""

import datetime
import functools

from django import forms
from django.utils import timezone
from dsfr.utils import dsfr_input_class_attr

from cases.enums import ClosingReason, OrientationStatus, ReferralOrigin
from cases.files.services.beneficiaries import EDITABLE_FIELDS
from cases.models import (
    Action,
    ActionKind,
    AnonymousContact,
    Beneficiary,
    Orientation,
    Problem,
    Referral,
)
from cases.referrals.services.intake import WORKER_ORIGINS
from iscg import access
from iscg.commune_input import CommuneField
from iscg.dates import birth_year_problem
from iscg.forms import DsfrForm, DsfrModelForm
from iscg.models import Post, Site
from partners.models import Partner, PartnerKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def refresh_dsfr_fields(form) -> None:
    """Fields replaced after DsfrBaseForm.__init__ need their bound fields and classes anew."""
    form._bound_fields_cache = {}
    for visible in form.visible_fields():
        dsfr_input_class_attr(visible)


def worked_posts(user):
    return Post.objects.filter(pk__in=access.worked_post_ids(user)).order_by("label")


class PostChoiceMixin:
    """A ``post`` field restricted to the user's posts, hidden when they hold only one."""

    def _setup_post(self, user):
        posts = worked_posts(user)
        field = self.fields["post"]
        field.queryset = posts
        field.label = "Poste"
        field.empty_label = None
        if posts.count() == 1:
            field.initial = posts.first().pk
            field.widget = forms.HiddenInput()


def commune_field(user, label="Commune de résidence", required=False):
    return CommuneField(user=user, label=label, required=required)


class BeneficiaryForm(PostChoiceMixin, DsfrModelForm):
    post = forms.ModelChoiceField(queryset=Post.objects.none())
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput())

    class Meta:
        model = Beneficiary
        fields = list(EDITABLE_FIELDS)
        widgets = {"birth_date": DATE_WIDGET}
        help_texts = {
            "last_name": "Laissez le nom et le prénom vides si la personne reste anonyme.",
            "age_band": "À renseigner si ni la date ni l'année de naissance ne sont connues.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Anywhere in France (an import, a move): the user's own communes suggested.
        self.fields["commune"] = commune_field(user)
        if self.instance.pk:
            del self.fields["post"]
        else:
            self._setup_post(user)
        refresh_dsfr_fields(self)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        problem = birth_year_problem(year)
        if problem:
            raise forms.ValidationError(problem)
        return year

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
        return birth_date

    def clean(self):
        cleaned = super().clean()
        birth_date, year = cleaned.get("birth_date"), cleaned.get("birth_year")
        if birth_date and year and birth_date.year != year:
            self.add_error(
                "birth_year", "L'année de naissance ne correspond pas à la date de naissance."
            )
        return cleaned

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ActionForm(DsfrModelForm):
    # Declared rather than derived from the model: the model field's own bound (>= 0)
    # answered -5 before the form could say what a duration may be.
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)",
        min_value=1,
        max_value=600,
        error_messages={
            "required": "Indiquez une durée entre 1 et 600 minutes.",
            "invalid": "Indiquez une durée entre 1 et 600 minutes.",
            "min_value": "Indiquez une durée entre 1 et 600 minutes.",
            "max_value": "Indiquez une durée entre 1 et 600 minutes.",
        },
    )

    class Meta:
        model = Action
        fields = ["kind", "occurred_at", "duration_minutes", "site", "confidential_note"]
        widgets = {
            "occurred_at": DATETIME_WIDGET,
            "confidential_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = self.fields["kind"]
        kinds.queryset = ActionKind.objects.usable_in(
            Post.objects.filter(pk=case.post_id).values("employer__department_id")
        )
        kinds.empty_label = None
        # The widget and its DSFR wrapper both walk the choices: read the kinds once, and
        # only if the form is shown (a valid POST only looks its kind up).
        kinds.choices = functools.cache(
            lambda: [(kind.pk, kinds.label_from_instance(kind)) for kind in kinds.queryset]
        )
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        self.fields["site"].queryset = case.post.sites.all().order_by("name")
        self.fields["site"].empty_label = "— Autre lieu —"
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("duration_minutes", 30)
            self.initial.setdefault("site", case.post.main_site_id)
        refresh_dsfr_fields(self)


class CaseCloseForm(DsfrForm):
    reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=[("", "— Choisissez un motif —"), *ClosingReason.for_workers()],
        error_messages={"required": "Indiquez le motif de clôture."},
    )
    closed_on = forms.DateField(label="Date de clôture", widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        refresh_dsfr_fields(self)


class OrientationForm(DsfrModelForm):
    partner_query = forms.CharField(
        label="Rechercher un partenaire",
        required=False,
        help_text="Nom, commune ou type de partenaire.",
    )

    class Meta:
        model = Orientation
        fields = ["partner", "oriented_on", "reason", "status", "partner_answer"]
        widgets = {
            "oriented_on": DATE_WIDGET,
            "partner_answer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            Partner.objects.visible_to(user).filter(is_active=True).select_related("kind")
        )
        self.fields["partner"].empty_label = "— Choisissez un partenaire —"
        self.fields["partner"].error_messages["required"] = "Choisissez un partenaire."
        self.fields["reason"].error_messages["required"] = "Indiquez le motif de l'orientation."
        if self.instance.pk:
            del self.fields["partner_query"]
        refresh_dsfr_fields(self)

    def clean_oriented_on(self):
        value = self.cleaned_data.get("oriented_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        return value


class PartnerQuickForm(DsfrModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "commune", "phone", "email", "address"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = PartnerKind.objects.usable_in(access.department_ids(user))
        self.fields["kind"].empty_label = "— Choisissez un type —"
        self.fields["commune"] = commune_field(user, label="Commune")
        self.fields["name"].error_messages["required"] = "Indiquez le nom du partenaire."
        refresh_dsfr_fields(self)


class AnonymousContactForm(PostChoiceMixin, DsfrModelForm):
    post = forms.ModelChoiceField(queryset=Post.objects.none())

    class Meta:
        model = AnonymousContact
        fields = ["occurred_on", "site", "mode", "source_unit", "problem", "sex", "age_band"]
        widgets = {"occurred_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_post(user)
        posts = worked_posts(user)
        self.fields["site"].queryset = Site.objects.filter(posts__in=posts).distinct()
        self.fields["source_unit"].queryset = (
            self.fields["source_unit"].queryset.filter(posts__in=posts).distinct()
        )
        self.fields["problem"].queryset = Problem.objects.usable_in(access.department_ids(user))
        self.fields["problem"].error_messages["required"] = "Indiquez la problématique."
        self.fields["mode"].error_messages["required"] = "Indiquez la nature du contact."
        if not self.is_bound:
            first = posts.first()
            if first is not None:
                self.initial.setdefault("site", first.main_site_id)
        refresh_dsfr_fields(self)

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReferralRecordForm(PostChoiceMixin, DsfrModelForm):
    """A referral of another origin than a unit, entered by the worker."""

    post = forms.ModelChoiceField(queryset=Post.objects.none())
    received_on = forms.DateField(
        label="Date de la saisine",
        help_text="Le jour où la situation vous est parvenue.",
        widget=DATE_WIDGET,
        error_messages={
            "required": "Indiquez la date de la saisine.",
            "invalid": "Indiquez une date valide, par exemple 03/12/2026.",
        },
    )

    field_order = ["post", "received_on", "origin"]

    class Meta:
        model = Referral
        fields = [
            "origin",
            "partner",
            "circumstance",
            "main_problem",
            "urgency",
            "consent_to_contact",
            "person_last_name",
            "person_first_name",
            "person_phone",
            "person_sex",
            "person_birth_year",
            "person_commune",
            "context",
        ]
        widgets = {"context": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_post(user)
        self.fields["origin"].choices = [
            ("", "— Choisissez une origine —"),
            *[(o.value, o.label) for o in WORKER_ORIGINS],
        ]
        # No origin is chosen for the user: an unanswered question stays unanswered.
        self.fields["origin"].error_messages["required"] = "Indiquez l'origine de la saisine."
        self.fields["received_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
        self.fields["partner"].queryset = Partner.objects.visible_to(user).filter(is_active=True)
        self.fields["main_problem"].queryset = Problem.objects.usable_in(
            access.department_ids(user)
        )
        self.fields["main_problem"].error_messages["required"] = (
            "Indiquez la problématique principale."
        )
        self.fields["person_commune"] = commune_field(user)
        # A select rather than a checkbox: the DSFR checkbox snippet needs widget_tweaks.
        self.fields["consent_to_contact"] = forms.TypedChoiceField(
            label="La personne accepte d'être contactée",
            choices=[("True", "Oui"), ("False", "Non")],
            coerce=lambda value: value == "True",
            initial="True",
        )
        refresh_dsfr_fields(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("origin") == ReferralOrigin.PARTNER and not cleaned.get("partner"):
            self.add_error("partner", "Indiquez le partenaire à l'origine de la saisine.")
        return cleaned

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("La date de la saisine ne peut pas être dans le futur.")
        if day.year < 1990:
            raise forms.ValidationError("Indiquez une date postérieure à 1990.")
        return day

    def received_at(self):
        """Today's saisine is dated now; an earlier one at the start of its day."""
        day = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def service_fields(self):
        fields = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name not in ("origin",)
        }
        fields["received_at"] = self.received_at()
        return fields


class OrientationStatusForm(DsfrModelForm):
    class Meta:
        model = Orientation
        fields = ["status", "partner_answer"]
        widgets = {"partner_answer": forms.Textarea(attrs={"rows": 3})}


__all__ = [
    "ActionForm",
    "AnonymousContactForm",
    "BeneficiaryForm",
    "CaseCloseForm",
    "OrientationForm",
    "OrientationStatus",
    "OrientationStatusForm",
    "PartnerQuickForm",
    "ReferralRecordForm",
]


REASON_HELP = "Conservé dans l'historique de l'accompagnement, avec l'auteur et la date."


class ActionCorrectionForm(ActionForm):
    reason = forms.CharField(
        label="Motif de la correction",
        help_text=REASON_HELP,
        max_length=300,
        error_messages={"required": "Indiquez le motif de la correction."},
    )


class ActionWithdrawalForm(DsfrForm):
    reason = forms.CharField(
        label="Motif du retrait",
        help_text=REASON_HELP,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "Ex. : acte saisi dans le mauvais dossier"}),
        error_messages={"required": "Indiquez le motif du retrait."},
    )
