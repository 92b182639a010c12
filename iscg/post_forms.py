"""Forms of the posts pages; the rules stay in ``iscg.services.posts``."""

from django import forms

from iscg.enums import HoldingKind, Role
from iscg.forms import DsfrForm, DsfrModelForm
from iscg.models import Employer, Membership, Post, Site, Unit, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PostForm(DsfrModelForm):
    # A select rather than a checkbox: django-dsfr's checkbox snippet needs widget_tweaks.
    is_active = forms.TypedChoiceField(
        label="Poste actif",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        empty_value=True,
    )

    class Meta:
        model = Post
        fields = ["employer", "label", "etp", "units", "sites", "main_site", "is_active"]
        help_texts = {
            "etp": "Part d'un temps plein, par exemple 0,5 pour un mi-temps.",
            "units": "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
            "sites": "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
        }

    def __init__(self, *args, department_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(department_id__in=department_ids)
        self.fields["units"].queryset = Unit.objects.filter(department_id__in=department_ids)
        sites = Site.objects.filter(department_id__in=department_ids, is_active=True)
        self.fields["sites"].queryset = sites
        self.fields["main_site"].queryset = sites
        if not self.is_bound:
            self.initial["is_active"] = "oui" if self.instance.is_active else "non"


class HoldingForm(DsfrForm):
    worker = forms.ModelChoiceField(
        label="Intervenant·e social·e",
        queryset=User.objects.none(),
        help_text="Les intervenant·es ayant un rôle actif chez l'employeur du poste.",
    )
    kind = forms.ChoiceField(label="Nature", choices=HoldingKind.choices)
    start = forms.DateField(label="Début", widget=DATE)
    end = forms.DateField(
        label="Fin",
        required=False,
        widget=DATE,
        help_text="Obligatoire pour un remplacement dont le ou la titulaire a une date de fin.",
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active()
            .filter(role=Role.WORKER, employer_id=post.employer_id)
            .values("user_id"),
        )


class HoldingEndForm(DsfrForm):
    end = forms.DateField(label="Date de fin", widget=DATE)
