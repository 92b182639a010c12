"""Forms of the data-lifecycle pages: import upload, reasons, rectification, erasure."""

from django import forms

from cases.lifecycle.services.rights import RECTIFIABLE_FIELDS
from cases.models import Beneficiary
from iscg.commune_input import CommuneField
from iscg.forms import DsfrForm, DsfrModelForm
from iscg.models import Post


class ImportUploadForm(DsfrForm):
    post = forms.ModelChoiceField(
        label="Poste concerné",
        queryset=Post.objects.none(),
        empty_label=None,
        help_text="L'activité importée sera rattachée à ce poste.",
    )
    file = forms.FileField(
        label="Fichier d'activité",
        help_text="Format .xlsx ou .csv (séparateur « ; » ou « , »), selon l'un des deux modèles.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = uploaded.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Déposez un fichier .xlsx ou .csv.")
        return uploaded


class ReasonForm(DsfrForm):
    reason = forms.CharField(
        label="Motif",
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Il est inscrit au registre des traitements, consulté par le délégué à la "
        "protection des données, et conservé : n'y écrivez pas le nom de la personne.",
        error_messages={
            "required": "Indiquez le motif.",
            "min_length": "Indiquez le motif (5 caractères au moins).",
        },
    )


class ExportForm(ReasonForm):
    format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF lisible, à remettre à la personne"), ("json", "JSON (machine)")],
        initial="pdf",
    )


class RectifyForm(DsfrModelForm):
    commune = CommuneField()
    reason = ReasonForm.base_fields["reason"]

    class Meta:
        model = Beneficiary
        fields = RECTIFIABLE_FIELDS
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].for_user(user)


class EraseForm(ReasonForm):
    # A select rather than a checkbox: the DSFR checkbox snippet needs widget_tweaks.
    confirm = forms.ChoiceField(
        label="Confirmation",
        choices=[("", "Choisir"), ("yes", "Je confirme l'effacement définitif")],
        help_text="Le nom, les coordonnées, la date de naissance, les textes libres et les notes "
        "seront effacés définitivement, historique compris.",
        error_messages={"required": "Confirmez l'effacement dans la liste."},
    )
