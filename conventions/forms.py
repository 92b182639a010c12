"""Forms of the conventions screens; business rules stay in the services."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from conventions.enums import BudgetCategory, ConventionStatus
from conventions.lifecycle import EXPIRY_WINDOW_MONTHS
from conventions.models import (
    Amendment,
    Convention,
    ConventionDocument,
    ConventionParty,
    ConventionPost,
    FundingLine,
)
from iscg import access
from iscg.amounts import AmountField
from iscg.dates import add_months
from iscg.filters import YearFilter
from iscg.forms import DsfrForm, DsfrModelForm
from iscg.models import Employer, Funder, Post, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConventionForm(DsfrModelForm):
    # A select rather than a checkbox: django-dsfr's checkbox snippet needs widget_tweaks,
    # which is not an installed app of the project.
    tacit_renewal = forms.TypedChoiceField(
        label="Reconduction tacite",
        help_text="Sans dénonciation avant la date limite, la convention est reconduite "
        "à son échéance pour une durée égale à sa période initiale.",
        choices=[("non", "Non"), ("oui", "Oui")],
        coerce=lambda value: value == "oui",
        empty_value=False,
    )

    class Meta:
        model = Convention
        fields = [
            "kind",
            "title",
            "reference",
            "employer",
            "start",
            "end",
            "signed_on",
            "status",
            "tacit_renewal",
            "notice_months",
            "notes",
        ]
        widgets = {"start": DATE, "end": DATE, "signed_on": DATE}

    def __init__(self, *args, department_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(department_id__in=department_ids)
        if not self.is_bound:
            self.initial["tacit_renewal"] = "oui" if self.instance.tacit_renewal else "non"


class PartyForm(DsfrModelForm):
    class Meta:
        model = ConventionParty
        fields = ["role", "funder", "employer", "unit", "label", "signed_on"]
        widgets = {"signed_on": DATE}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        department_id = convention.employer.department_id
        self.fields["funder"].queryset = Funder.objects.filter(department_id=department_id)
        self.fields["employer"].queryset = Employer.objects.filter(department_id=department_id)
        self.fields["unit"].queryset = Unit.objects.filter(
            department_id=department_id, kind__in=["ddpn", "groupement"]
        )
        self.fields["unit"].help_text = "Pour la DDPN ou le groupement de gendarmerie."


class CoveredPostForm(DsfrModelForm):
    class Meta:
        model = ConventionPost
        fields = ["post", "etp"]

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(employer_id=convention.employer_id)


class _ConventionBound:
    def __init__(self, *args, convention=None, **kwargs):
        self.convention = convention
        super().__init__(*args, **kwargs)


class BudgetLineForm(_ConventionBound, DsfrForm):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    category = forms.ChoiceField(label="Poste de dépense", choices=BudgetCategory.choices)
    amount = AmountField(label="Montant (€)")


class FundingLineForm(DsfrModelForm):
    class Meta:
        model = FundingLine
        fields = [
            "funder",
            "year",
            "requested",
            "granted",
            "decision_reference",
            "decision_date",
            "due_date",
        ]
        widgets = {"decision_date": DATE, "due_date": DATE}
        field_classes = {"requested": AmountField, "granted": AmountField}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Funder.objects.filter(
            department_id=convention.employer.department_id
        )


class PaymentForm(_ConventionBound, DsfrForm):
    date = forms.DateField(label="Date du versement", widget=DATE)
    amount = AmountField(label="Montant versé (€)", min_value=Decimal("0.01"))
    reference = forms.CharField(label="Référence", max_length=100, required=False)


class AmendmentForm(_ConventionBound, DsfrModelForm):
    class Meta:
        model = Amendment
        fields = ["number", "date", "summary", "document"]
        widgets = {"date": DATE}


class DocumentForm(_ConventionBound, DsfrModelForm):
    class Meta:
        model = ConventionDocument
        fields = ["title", "file"]


class ConventionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Statut", choices=ConventionStatus.choices)
    employer = django_filters.ModelChoiceFilter(label="Employeur", queryset=Employer.objects.none())
    funder = django_filters.ModelChoiceFilter(
        label="Financeur", queryset=Funder.objects.none(), method="filter_funder"
    )
    year = YearFilter(label="Année couverte", method="filter_year")
    expiring = django_filters.BooleanFilter(
        label="Échéance dans les 6 mois",
        method="filter_expiring",
        widget=forms.CheckboxInput,
    )
    notice_passed = django_filters.BooleanFilter(
        label="Date de dénonciation dépassée",
        method="filter_notice_passed",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Convention
        fields = ["status", "employer", "funder", "year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        department_ids = access.department_ids(user)
        self.filters["employer"].queryset = Employer.objects.filter(
            department_id__in=department_ids, conventions__in=self.queryset
        ).distinct()
        self.filters["funder"].queryset = Funder.objects.filter(
            department_id__in=department_ids, convention_parties__convention__in=self.queryset
        ).distinct()
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "fr-select"
            elif not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "fr-input"

    def filter_funder(self, queryset, name, value):
        return queryset.filter(parties__funder=value).distinct() if value else queryset

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(start__year__lte=value, end__year__gte=value)

    def filter_expiring(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(end__gte=today, end__lte=add_months(today, EXPIRY_WINDOW_MONTHS))

    def filter_notice_passed(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(notice_deadline__lt=today, end__gte=today).exclude(
            Q(status=ConventionStatus.TERMINATED) | Q(status=ConventionStatus.EXPIRED)
        )
