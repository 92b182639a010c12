"""The worker's typed feedback to the unit."""

from django import forms

from cases.enums import FeedbackKind
from cases.models import UnitFeedback
from cases.referrals.forms.person import RADIO_TEMPLATE
from iscg.forms import DsfrForm
from partners.models import PartnerKind


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
