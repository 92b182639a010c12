"""The departmental administrator's partner form."""

from django import forms

from iscg.commune_input import CommuneField
from iscg.forms import DsfrModelForm
from partners.models import Partner, PartnerKind
from partners.services import FIELDS


class PartnerForm(DsfrModelForm):
    is_active = forms.TypedChoiceField(
        label="Dans l'annuaire",
        choices=[("oui", "Oui"), ("non", "Non, retiré de l'annuaire")],
        coerce=lambda value: value == "oui",
        empty_value=True,
    )

    class Meta:
        model = Partner
        fields = [*FIELDS]

    commune = CommuneField(label="Commune")
    website = forms.URLField(label="Site internet", required=False, assume_scheme="https")

    def __init__(self, *args, department_ids, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = PartnerKind.objects.usable_in(department_ids)
        if self.instance.kind_id:  # its kind, even if since switched off
            kinds = PartnerKind.objects.filter(pk=self.instance.kind_id) | kinds
        self.fields["kind"].queryset = kinds.distinct()
        self.fields["commune"].for_departments(department_ids)
        self.fields["name"].error_messages["required"] = "Indiquez le nom du partenaire."
        if not self.is_bound:
            self.initial["is_active"] = "oui" if self.instance.is_active else "non"

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*FIELDS, "is_active"]}
