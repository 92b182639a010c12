"""Filter of the worker's list of saisines (django-filter)."""

import django_filters
from django import forms

from cases.enums import ReferralOrigin, ReferralStatus, Urgency
from cases.files.filters import day_filter
from cases.models import Referral
from cases.referrals.selectors import feedback_due
from iscg import access
from iscg.forms import DsfrForm
from iscg.models import Unit


def _units_of_departments(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.filter(department_id__in=access.department_ids(request.user)).order_by(
        "name"
    )


class WorkerReferralFilter(django_filters.FilterSet):
    """The worker's saisines: what reached their posts, whatever became of it."""

    status = django_filters.ChoiceFilter(
        label="Statut", choices=ReferralStatus.choices, empty_label="Tous"
    )
    source_unit = django_filters.ModelChoiceFilter(
        label="Unité", queryset=_units_of_departments, empty_label="Toutes"
    )
    urgency = django_filters.ChoiceFilter(
        label="Urgence", choices=Urgency.choices, empty_label="Toutes"
    )
    origin = django_filters.ChoiceFilter(
        label="Origine", choices=ReferralOrigin.choices, empty_label="Toutes"
    )
    start = day_filter("Reçue du", "received_at", "date__gte")
    end = day_filter("Au", "received_at", "date__lte")
    feedback_due = django_filters.BooleanFilter(
        label="Retour dû à l'unité",
        method="filter_feedback_due",
        widget=forms.Select(choices=[("", "Indifférent"), ("true", "Oui")]),
    )

    class Meta:
        form = DsfrForm
        model = Referral
        fields = ["status", "source_unit", "urgency", "origin", "start", "end"]

    def filter_feedback_due(self, queryset, name, value):
        if not value:
            return queryset
        return feedback_due(queryset).order_by(*queryset.query.order_by)
