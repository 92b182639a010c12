"""The two import templates: French column names matching the bilan's indicators."""

from dataclasses import dataclass

from cases.enums import (
    AgeBand,
    ClosingReason,
    FamilySituation,
    OrientationStatus,
    Profile,
    ReferralOrigin,
    Sex,
    YesNoUnknown,
)
from cases.models import ImportTemplate
from iscg.text import normalize


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    required: bool = False
    example: str = ""


DATE_HELP = "JJ/MM/AAAA"


def _choices_help(choices) -> str:
    pairs = getattr(choices, "choices", choices)
    return " ; ".join(f"{label} ({value})" for value, label in pairs)


PERSON_COLUMNS = [
    Column(
        "person_id",
        "Identifiant de la personne",
        "Facultatif : le même identifiant sur plusieurs lignes désigne la même personne "
        "(sinon : même nom, prénom et année de naissance). Une personne déjà enregistrée "
        "dans le poste sous les mêmes nom, prénom et année de naissance n'est pas créée une "
        "seconde fois : sa fiche est complétée.",
        example="P001",
    ),
    Column("last_name", "Nom", "Facultatif : vide pour une personne anonyme.", example="MARTIN"),
    Column("first_name", "Prénom", "Facultatif.", example="Sophie"),
    Column("sex", "Sexe", _choices_help(Sex), example="Femme"),
    Column("birth_year", "Année de naissance", "AAAA", example="1985"),
    Column(
        "age_band",
        "Tranche d'âge",
        "Si l'année de naissance est inconnue : " + _choices_help(AgeBand),
        example="",
    ),
    Column(
        "family_situation",
        "Situation familiale",
        _choices_help(FamilySituation),
        example="Famille monoparentale",
    ),
    Column("children_count", "Nombre d'enfants", "Nombre entier.", example="2"),
    Column(
        "commune",
        "Code commune (INSEE)",
        "Code officiel géographique à 5 chiffres (01053 pour Bourg-en-Bresse) ; pour Paris, "
        "Lyon et Marseille, le code de la ville ou de l'arrondissement (69383 pour Lyon 3e). "
        "À défaut, le code postal ou le nom de la commune (accents et tirets facultatifs), "
        "s'ils ne désignent qu'une commune.",
        example="01053",
    ),
    Column("profile", "Profil", _choices_help(Profile), required=True, example="Victime"),
    Column(
        "known_to_department",
        "Connu du Département",
        "Oui, Non ou Ne sait pas.",
        example="Oui",
    ),
    Column("known_to_caf", "Connu de la CAF", "Oui, Non ou Ne sait pas.", example="Non"),
]

CASE_COLUMNS = [
    Column(
        "problem",
        "Problématique principale",
        "Libellé ou code de la liste départementale des problématiques.",
        required=True,
        example="Violences conjugales",
    ),
    Column(
        "unit",
        "Unité à l'origine",
        "Nom exact de la brigade ou du commissariat (facultatif).",
        example="",
    ),
    Column(
        "origin",
        "Origine de la saisine",
        _choices_help(ReferralOrigin)
        + ". Par défaut : saisine directe si une unité est indiquée, sinon « Autre ».",
        example="La personne est venue d'elle-même",
    ),
    Column(
        "opened_on",
        "Date d'ouverture",
        DATE_HELP + ". Par défaut : la date du premier acte.",
        example="03/02/2025",
    ),
    Column("closed_on", "Date de clôture", DATE_HELP + " (vide si en cours).", example=""),
    Column(
        "closing_reason", "Motif de clôture", _choices_help(ClosingReason.for_workers()), example=""
    ),
]

ACTION_COLUMNS = [
    Column("occurred_on", "Date de l'acte", DATE_HELP, required=True, example="03/02/2025"),
    Column(
        "kind",
        "Type d'acte",
        "Libellé ou code de la liste des types d'actes.",
        required=True,
        example="Entretien physique",
    ),
    Column("duration", "Durée (minutes)", "Nombre entier, 30 par défaut.", example="45"),
    Column(
        "site",
        "Lieu d'accueil",
        "Nom d'un lieu d'accueil du poste, tel qu'il figure dans ISCG. Vide : lieu non "
        "renseigné (le bilan ne l'attribue à aucun lieu).",
        example="",
    ),
    Column(
        "anonymous_contact",
        "Contact anonyme",
        "« Oui » pour un contact bref sans dossier (compté dans les statistiques seulement).",
        example="Non",
    ),
]

ORIENTATION_COLUMNS = [
    Column(
        "partner",
        "Orientation : partenaire",
        "Facultatif : nom du partenaire tel qu'il figure dans l'annuaire des partenaires "
        "d'ISCG, si la personne a été orientée.",
        example="",
    ),
    Column(
        "oriented_on",
        "Orientation : date",
        DATE_HELP + ". Par défaut : la date de l'acte (modèle par acte) ou d'ouverture.",
        example="",
    ),
    Column(
        "orientation_reason",
        "Orientation : motif",
        "Texte court (300 caractères au plus). Par défaut : « Motif non précisé ».",
        example="",
    ),
    Column(
        "orientation_status",
        "Orientation : suite",
        _choices_help(OrientationStatus) + ". Par défaut : proposée.",
        example="",
    ),
]

COUNT_PREFIX = "Nombre : "


def template_columns(template: str, action_kinds=()) -> list[Column]:
    """The columns of a template, in the order of the downloadable file."""
    if template == ImportTemplate.ACTIONS:
        return (
            ACTION_COLUMNS[:2]
            + PERSON_COLUMNS
            + CASE_COLUMNS
            + ACTION_COLUMNS[2:]
            + ORIENTATION_COLUMNS
        )
    counts = [
        Column(
            f"count:{kind.pk}",
            f"{COUNT_PREFIX}{kind.label}",
            "Nombre d'actes de ce type (réparti entre l'ouverture et la clôture).",
            example="2" if i == 0 else "",
        )
        for i, kind in enumerate(action_kinds)
    ]
    return PERSON_COLUMNS + CASE_COLUMNS + ORIENTATION_COLUMNS + counts


def choice_lookup(choices, *extra: tuple[str, str]) -> dict[str, str]:
    """Accepts each choice's code and French label (normalised), plus synonyms."""
    table = {}
    for value, label in choices.choices:
        table[normalize(value)] = value
        table[normalize(label)] = value
    for synonym, value in extra:
        table[normalize(synonym)] = value
    return table


SEX = choice_lookup(
    Sex, ("H", Sex.MALE), ("masculin", Sex.MALE), ("feminin", Sex.FEMALE), ("", Sex.UNKNOWN)
)
AGE_BAND = choice_lookup(AgeBand, ("", AgeBand.UNKNOWN), ("inconnu", AgeBand.UNKNOWN))
FAMILY = choice_lookup(FamilySituation, ("", FamilySituation.UNKNOWN))
PROFILE = choice_lookup(Profile, ("victime", Profile.VICTIM), ("famille", Profile.FAMILY))
YES_NO = choice_lookup(
    YesNoUnknown,
    ("", YesNoUnknown.UNKNOWN),
    ("o", YesNoUnknown.YES),
    ("n", YesNoUnknown.NO),
    ("nsp", YesNoUnknown.UNKNOWN),
    ("inconnu", YesNoUnknown.UNKNOWN),
)
ORIGIN = choice_lookup(ReferralOrigin, ("saisine directe", ReferralOrigin.FSI_DIRECT))
ORIENTATION_STATUS = choice_lookup(
    OrientationStatus, ("", OrientationStatus.PROPOSED), ("effectuee", OrientationStatus.DONE)
)
CLOSING = {
    key: value
    for key, value in choice_lookup(ClosingReason).items()
    if value != ClosingReason.NO_CONTACT
}


def _static_headers() -> set[str]:
    return {
        normalize(column.header)
        for template in ImportTemplate.values
        for column in template_columns(template)
    }


def template_positions(header: list[str]) -> set[int]:
    """Positions of the header's columns that belong to a template (the reader reads no
    other cell): the fixed columns, and "Nombre : <type d'acte>" counts."""
    known, counts = _static_headers(), normalize(COUNT_PREFIX)
    return {
        index
        for index, name in enumerate(header)
        if normalize(name) in known or normalize(name).startswith(counts)
    }
