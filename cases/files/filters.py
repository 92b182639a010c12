"""Filters of the worker's lists of files: beneficiaries, anonymous contacts (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q

from cases.enums import AgeBand, ContactMode, Profile
from cases.files.selectors import beneficiary_list, open_case_condition
from cases.models import AnonymousContact, Beneficiary, Problem
from iscg import access
from iscg.forms import DsfrForm


def day_filter(label: str, field_name: str, lookup_expr: str) -> django_filters.DateFilter:
    """One end of a period, picked with the browser's date input."""
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class BeneficiaryFilter(django_filters.FilterSet):
    # Applied by filter_queryset, inside the permission gate.
    q = django_filters.CharFilter(
        label="Nom, téléphone ou date de naissance",
        help_text="Ex. : « helene martin », « 06 12 34 56 78 » ou « 14/02/1985 ».",
    )
    profile = django_filters.ChoiceFilter(
        label="Profil", choices=Profile.choices, empty_label="Tous"
    )
    has_open_case = django_filters.BooleanFilter(
        label="Accompagnement en cours",
        method="filter_open",
        widget=forms.Select(choices=[("", "Indifférent"), ("true", "Oui"), ("false", "Non")]),
    )

    class Meta:
        form = DsfrForm
        model = Beneficiary
        fields = ["q", "profile"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def filter_queryset(self, queryset):
        """Every filter is a condition on each part of ``listed_for`` (the search read
        from each post's own index): a union of parts takes no ``filter`` after it."""
        data = self.form.cleaned_data
        conditions = []
        if data.get("profile"):
            conditions.append(Q(profile=data["profile"]))
        if data.get("has_open_case") is not None:
            conditions.append(open_case_condition(self.user, data["has_open_case"]))
        kept = [condition for condition in conditions if condition is not None]
        return beneficiary_list(self.user, Q(*kept) if kept else None, data.get("q") or "")

    def filter_open(self, queryset, name, value):
        # Applied with the others in filter_queryset.
        return queryset


def _problems_known_to(request):
    """The shared list and the user's départements' own entries, never another's."""
    if request is None:
        return Problem.objects.filter(department__isnull=True)
    return Problem.objects.known_in(access.department_ids(request.user))


class AnonymousContactFilter(django_filters.FilterSet):
    start = day_filter("Du", "occurred_on", "gte")
    end = day_filter("Au", "occurred_on", "lte")
    mode = django_filters.ChoiceFilter(
        label="Nature", choices=ContactMode.choices, empty_label="Toutes"
    )
    problem = django_filters.ModelChoiceFilter(
        label="Problématique", queryset=_problems_known_to, empty_label="Toutes"
    )
    age_band = django_filters.ChoiceFilter(
        label="Tranche d'âge", choices=AgeBand.choices, empty_label="Toutes"
    )

    class Meta:
        form = DsfrForm
        model = AnonymousContact
        fields = ["start", "end", "mode", "problem", "age_band"]
