"""Filters shared by the lists, and those of the departmental administration."""

import django_filters
from django import forms
from django.db.models import Q

from iscg.forms import DsfrForm
from iscg.models import AccessAction, AccessLog
from iscg.pagination import OrderedParts

# Years a list may be filtered on: outside them the year lookup builds dates Python or
# PostgreSQL cannot hold (year 0, -1, 99999) and the page answered 500.
FIRST_YEAR = 1990
LAST_YEAR = 2100


class YearFilter(django_filters.NumberFilter):
    """A whole year between FIRST_YEAR and LAST_YEAR; anything else is a form error and
    the list is shown unfiltered by year."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


DATE = {"type": "date"}


class PartsFilterSet(django_filters.FilterSet):
    """Filters a queryset, or each part of a list read as parts (iscg.pagination.
    OrderedParts: the administrator's log, one list per account; her accounts, those of
    her départements and those attached to none)."""

    def filter_queryset(self, queryset):
        if isinstance(queryset, OrderedParts):
            return queryset.map(super().filter_queryset)
        return super().filter_queryset(queryset)


class AccessLogFilter(PartsFilterSet):
    """Who opened file X (object number), what did user Y open (e-mail or name), when."""

    person = django_filters.CharFilter(
        label="Utilisateur",
        method="filter_person",
        help_text="Adresse électronique ou nom.",
    )
    object_id = django_filters.CharFilter(
        label="N° de l'objet", field_name="object_id", lookup_expr="exact"
    )
    action = django_filters.ChoiceFilter(
        label="Action", choices=AccessAction.choices, empty_label="Toutes"
    )
    since = django_filters.DateFilter(
        label="Depuis le",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs=DATE),
    )
    until = django_filters.DateFilter(
        label="Jusqu'au",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs=DATE),
    )

    class Meta:
        form = DsfrForm
        model = AccessLog
        fields = ["person", "object_id", "action", "since", "until"]

    def filter_person(self, queryset, name, value):
        for token in value.split():
            queryset = queryset.filter(
                Q(username__icontains=token)
                | Q(user__email__icontains=token)
                | Q(user__last_name__icontains=token)
                | Q(user__first_name__icontains=token)
            )
        return queryset
