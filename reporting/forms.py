from django import forms
from django.db.models import F
from django.utils import timezone

from iscg import access
from iscg.enums import Role
from iscg.forms import DsfrForm
from iscg.models import Employer, Post, Unit
from reporting import evaluation
from reporting.models import ReportKind
from reporting.periods import Period, last_closed_quarter, period_problem, preset
from reporting.scope import Scope, ScopeKind

# The years a period may be chosen in: a previous period of year 1, or a year 10000,
# is not a date Python can write.
FIRST_YEAR, LAST_YEAR = 1990, 2100

QUARTER_HELP = (
    "Pour des dates choisies : un trimestre civil entier, dont les saisies sont closes "
    "(le 15 du mois qui suit sa fin)."
)
PRESETS = [
    ("month", "Dernier mois complet"),
    ("quarter", "Dernier trimestre complet"),
    ("year", "Dernière année complète"),
    ("month_current", "Mois en cours"),
    ("quarter_current", "Trimestre en cours"),
    ("year_current", "Année en cours"),
    ("custom", "Dates choisies"),
]


def scope_choices(user) -> list[tuple[str, str]]:
    """Scopes the user may look at / report on: their posts, or their employer's.

    Four queries however many employers, posts and units the user reaches.
    """
    choices = []
    employers = list(
        Employer.objects.filter(pk__in=access.managed_employer_ids(user)).order_by("name", "pk")
    )
    posts = list(Post.objects.filter(employer__in=employers).order_by("label", "pk"))
    units = list(
        Unit.objects.filter(posts__employer__in=employers)
        .annotate(employer_id=F("posts__employer_id"))
        .distinct()
        .order_by("name", "pk")
    )
    for employer in employers:
        choices.append((f"employer:{employer.pk}", f"Employeur : {employer.name}"))
        for post in posts:
            if post.employer_id == employer.pk:
                choices.append((f"post:{post.pk}", f"Poste : {post.label}"))
        for unit in units:
            if unit.employer_id == employer.pk:
                choices.append((f"unit:{unit.pk}:{employer.pk}", f"Unité : {unit.name}"))
    if access.has_role(user, Role.WORKER):
        taken = {value for value, _ in choices}
        for post in Post.objects.filter(pk__in=access.worked_post_ids(user)).order_by("label"):
            value = f"post:{post.pk}"
            if value not in taken:
                choices.append((value, f"Poste : {post.label}"))
    return choices


def parse_scope(value: str) -> Scope:
    kind, pk, *rest = value.split(":")
    if kind == ScopeKind.DEPARTMENT:
        return Scope.for_department(int(pk))
    if kind == ScopeKind.EMPLOYER:
        return Scope.for_employer(Employer.objects.get(pk=pk))
    if kind == ScopeKind.POST:
        return Scope.for_post(Post.objects.select_related("employer").get(pk=pk))
    if kind == ScopeKind.UNIT:
        employer = Employer.objects.get(pk=rest[0]) if rest else None
        return Scope.for_unit(Unit.objects.get(pk=pk), employer)
    raise ValueError(value)


class PeriodScopeForm(DsfrForm):
    scope = forms.ChoiceField(label="Périmètre")
    preset = forms.ChoiceField(label="Période", choices=PRESETS, initial="quarter_current")
    start = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Pour des dates choisies.",
    )
    end = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Pour des dates choisies.",
    )

    def __init__(self, *args, user, choices=None, perturbed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices(user) if choices is None else choices
        self.perturbed = perturbed
        if perturbed:  # closed quarters (reporting.live.perturbed_period_problem)
            self.fields["preset"].choices = [
                ("quarter", "Dernier trimestre arrêté"),
                ("custom", "Dates choisies"),
            ]
            # The bound field, made by django-dsfr's __init__, copied the help text.
            self.fields["start"].help_text = self["start"].help_text = QUARTER_HELP

    def clean(self):
        data = super().clean()
        if data.get("preset") == "custom":
            start, end = data.get("start"), data.get("end")
            for name, day in (("start", start), ("end", end)):
                if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                    self.add_error(name, f"Choisissez une date entre {FIRST_YEAR} et {LAST_YEAR}.")
                    return data
            if not start or not end:
                raise forms.ValidationError("Indiquez les deux dates de la période choisie.")
            if end < start:
                self.add_error("end", "La fin de la période doit suivre son début.")
            elif (end - start).days > 3 * 366:
                self.add_error("end", "La période ne peut pas dépasser trois ans.")
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["preset"] == "custom":
            return Period(data["start"], data["end"])
        if self.perturbed and data["preset"] == "quarter":
            return last_closed_quarter()
        return preset(data["preset"])

    def scope_obj(self) -> Scope:
        return parse_scope(self.cleaned_data["scope"])


class ReportCreateForm(PeriodScopeForm):
    kind = forms.ChoiceField(
        label="Type de bilan",
        choices=ReportKind.choices,
        initial=ReportKind.QUARTERLY,
        help_text="Mensuel, trimestriel ou annuel : un mois, un trimestre ou une année civile "
        "terminée. Ponctuel : toutes dates ; si la période n'est pas terminée, le bilan est "
        "provisoire et ne peut pas être envoyé.",
    )
    evaluation = forms.CharField(
        label="Votre évaluation qualitative",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Vos premières observations. Les questions d'évaluation du cahier des "
        "charges vous sont posées sur la page du bilan, tant qu'il n'est pas validé. N'y "
        "écrivez aucune information permettant d'identifier une personne.",
    )
    field_order = ["kind", "scope", "preset", "start", "end", "evaluation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["preset"].initial = "quarter"

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("kind"):
            return data
        problem = period_problem(data["kind"], self.period(), timezone.localdate())
        if problem:
            self.add_error("preset", problem)
        return data


class EvaluationForm(DsfrForm):
    """One part of the qualitative evaluation: the cahier des charges' questions, then the
    other observations (reporting.evaluation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in evaluation.QUESTIONS:
            self.fields[question.key] = _answer_field(question.label, rows=3)
        self.fields["text"] = _answer_field(
            evaluation.OTHER_LABEL,
            rows=4,
            help_text="N'écrivez dans cette évaluation aucune information permettant "
            "d'identifier une personne.",
        )
        # The version of the part this form was displayed with (reporting.evaluation).
        self.fields["seen"] = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_report(cls, report, part: str, data=None) -> "EvaluationForm":
        answers_field, text_field = evaluation.PARTS[part]
        initial = {
            **(getattr(report, answers_field) or {}),
            "text": getattr(report, text_field),
            "seen": evaluation.version(report, part),
        }
        return cls(data, initial=initial, prefix=part)

    def saw(self, current: str) -> None:
        """After a conflict: saving again, knowingly, replaces the version now stored."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen")] = current

    def answers(self) -> dict:
        return {key: self.cleaned_data[key] for key in evaluation.KEYS}


def _answer_field(label: str, *, rows: int, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=evaluation.MAX_ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={
            "max_length": "Votre réponse fait %(show_value)d caractères : elle ne peut pas en "
            "dépasser %(limit_value)d."
        },
    )
