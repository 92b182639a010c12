"""Forms of the departmental administration's units and sites pages."""

from django import forms

from iscg.commune_input import CommuneField
from iscg.forms import DsfrForm, DsfrModelForm
from iscg.models import Site, Unit
from iscg.models.schedules import PartOfDay, Weekday


def _fix_department(form, what: str) -> list[int]:
    """An existing unit or site stays in its département (its posts, sites, units below
    it and referrals are there): the field is shown, not editable. The départements
    whose units the form offers are returned."""
    form.fields["department"].disabled = True
    form.fields["department"].help_text = f"{what} ne change pas de département."
    return [form.instance.department_id]


class UnitForm(DsfrModelForm):
    class Meta:
        model = Unit
        fields = ["department", "kind", "name", "parent", "commune", "email"]

    commune = CommuneField(label="Commune")

    def __init__(self, *args, department_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = self.fields["department"].queryset.filter(
            pk__in=department_ids
        )
        self.fields["department"].empty_label = None
        if self.instance.pk:
            department_ids = _fix_department(self, "Une unité existante")
        parents = Unit.objects.filter(department_id__in=department_ids).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "— Aucune (unité de tête) —"
        self.fields["commune"].for_departments(department_ids, only=True)
        self.fields["name"].error_messages["required"] = "Indiquez le nom de l'unité."


class SiteForm(DsfrModelForm):
    is_active = forms.TypedChoiceField(
        label="En service",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        empty_value=True,
    )

    commune = CommuneField(label="Commune")

    class Meta:
        model = Site
        fields = ["department", "name", "kind", "unit", "commune", "address", "schedule"]
        help_texts = {
            "schedule": "Ce que les permanences ci-dessous ne disent pas : « sur rendez-vous », "
            "« sauf en août »…"
        }

    def __init__(self, *args, department_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = self.fields["department"].queryset.filter(
            pk__in=department_ids
        )
        self.fields["department"].empty_label = None
        if self.instance.pk:
            department_ids = _fix_department(self, "Un lieu existant")
        self.fields["unit"].queryset = Unit.objects.filter(department_id__in=department_ids)
        self.fields["commune"].for_departments(department_ids, only=True)
        self.fields["name"].error_messages["required"] = "Indiquez le nom du lieu."
        if not self.is_bound:
            self.initial["is_active"] = "oui" if self.instance.is_active else "non"
        self.order_fields([*self.Meta.fields, "is_active"])

    def save(self, commit=True):
        self.instance.is_active = self.cleaned_data["is_active"]
        return super().save(commit)


class OpeningForm(DsfrForm):
    weekday = forms.TypedChoiceField(
        label="Jour", choices=[("", "—"), *Weekday.choices], coerce=int, required=False
    )
    part_of_day = forms.ChoiceField(
        label="Moment", choices=[("", "—"), *PartOfDay.choices], required=False
    )
    times_per_month = forms.IntegerField(
        label="Fois par mois",
        required=False,
        min_value=1,
        max_value=4,
        help_text="Vide : chaque semaine.",
        error_messages={
            "min_value": "Indiquez de 1 à 4 fois par mois, ou laissez vide pour chaque semaine.",
            "max_value": "Un jour revient 4 ou 5 fois par mois : indiquez de 1 à 4 fois, "
            "ou laissez vide pour chaque semaine.",
            "invalid": "Indiquez un nombre de 1 à 4, ou laissez vide pour chaque semaine.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        weekday, part = cleaned.get("weekday"), cleaned.get("part_of_day")
        if weekday in (None, "") and not part and not cleaned.get("times_per_month"):
            return cleaned  # an empty line
        if weekday in (None, ""):
            self.add_error("weekday", "Choisissez le jour de la permanence.")
        if not part:
            self.add_error("part_of_day", "Choisissez le moment de la journée.")
        return cleaned

    def opening(self) -> dict | None:
        data = self.cleaned_data
        if data.get("weekday") in (None, "") or data.get("DELETE"):
            return None
        return {
            "weekday": data["weekday"],
            "part_of_day": data["part_of_day"],
            "times_per_month": data.get("times_per_month"),
        }


OpeningFormSet = forms.formset_factory(OpeningForm, extra=2, can_delete=False)
