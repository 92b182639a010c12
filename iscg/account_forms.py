"""Forms of the accounts pages; the rules stay in ``iscg.services``."""

import django_filters
from django import forms
from django.db.models import Q

from iscg.concurrent_edits import ConcurrentEditMixin
from iscg.enums import Role
from iscg.filters import PartsFilterSet
from iscg.forms import DsfrForm
from iscg.models import Department, Employer, Funder, Membership, Unit, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTIVE_CHOICES = [("oui", "Actifs"), ("non", "Désactivés")]


class UserFilter(PartsFilterSet):
    q = django_filters.CharFilter(
        label="Rechercher", method="search", help_text="Nom, prénom ou adresse électronique."
    )
    role = django_filters.ChoiceFilter(
        label="Rôle", choices=Role.choices, method="filter_role", empty_label="Tous"
    )
    state = django_filters.ChoiceFilter(
        label="État", choices=ACTIVE_CHOICES, method="filter_state", empty_label="Tous"
    )

    class Meta:
        form = DsfrForm
        model = User
        fields = ["q", "role", "state"]

    def search(self, queryset, name, value):
        for token in value.split():
            queryset = queryset.filter(
                Q(email__icontains=token)
                | Q(first_name__icontains=token)
                | Q(last_name__icontains=token)
            )
        return queryset

    def filter_role(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.active().filter(role=value).values("user_id")
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(is_active=value == "oui")


class IdentityForm(ConcurrentEditMixin, DsfrForm):
    """A person's identity; editing an account, it carries the version displayed."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Le lien pour choisir un mot de passe y est envoyé.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance or User()  # read by ConcurrentEditMixin
        super().__init__(*args, **kwargs)


class MembershipForm(DsfrForm):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    department = forms.ModelChoiceField(label="Département", queryset=Department.objects.none())
    unit = forms.ModelChoiceField(
        label="Unité",
        queryset=Unit.objects.none(),
        required=False,
        help_text="Pour un policier, un gendarme ou un chef d'unité.",
    )
    employer = forms.ModelChoiceField(
        label="Employeur",
        queryset=Employer.objects.none(),
        required=False,
        help_text="Pour un·e intervenant·e social·e ou un responsable employeur.",
    )
    funder = forms.ModelChoiceField(
        label="Financeur",
        queryset=Funder.objects.none(),
        required=False,
        help_text="Pour un utilisateur financeur.",
    )
    start = forms.DateField(label="Début", required=False, widget=DATE)
    end = forms.DateField(label="Fin", required=False, widget=DATE)

    def __init__(self, *args, department_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(pk__in=department_ids)
        if len(department_ids) == 1 and not self.is_bound:
            self.initial.setdefault("department", department_ids[0])
        for name, model in (("unit", Unit), ("employer", Employer), ("funder", Funder)):
            self.fields[name].queryset = model.objects.filter(
                department_id__in=department_ids
            ).order_by("name")


class EndForm(DsfrForm):
    end = forms.DateField(label="Date de fin", widget=DATE)
