"""Reading the gendarmerie's weekly activity summary (CSV or XLSX) into referral rows.

Each line becomes the data of an ``AutoReferralRowForm``; the form says in French
what is wrong with it, so the bulk screen and the upload share one set of rules.
"""

import datetime

from openpyxl import Workbook

from cases.enums import Circumstance, ProcedureKind, Sex, Urgency
from cases.lifecycle.imports import reader as spreadsheet
from cases.models import Problem
from iscg.spreadsheets import csv_bytes, xlsx_bytes
from iscg.text import normalize

# (column, meaning, example) — the documented columns, in the template's order.
COLUMNS = [
    ("date", "Date de l'intervention ou de la procédure (JJ/MM/AAAA)", "03/11/2026"),
    ("unite", "Nom de l'unité, tel qu'il figure dans ISCG", "Brigade de Châtillon-sur-Chalaronne"),
    ("anonyme", "« oui » si la personne reste anonyme (laisser nom et prénom vides)", "non"),
    ("nom", "Nom de la personne", "DUPONT"),
    ("prenom", "Prénom", "Marie"),
    ("telephone", "Téléphone", "06 12 34 56 78"),
    ("sexe", "F, M, X (autre) ou U (non renseigné)", "F"),
    ("age", "Âge en années (ou l'année de naissance)", "42"),
    ("annee_naissance", "Année de naissance (ou l'âge)", ""),
    (
        "commune",
        "Commune de résidence : nom, code postal ou code INSEE",
        "Châtillon-sur-Chalaronne",
    ),
    (
        "circonstance",
        "intervention, appel, presentation spontanee ou procedure (facultatif)",
        "intervention",
    ),
    ("problematique", "Problématique principale, libellé de la liste de référence", ""),
    ("procedure", "plainte, main courante, pvrj ou aucune", "plainte"),
    ("reference_procedure", "Référence de la procédure", "2026/001234"),
    ("consentement", "La personne accepte d'être contactée : oui ou non (obligatoire)", "oui"),
    ("urgence", "normale ou urgente", "normale"),
    ("contexte", "Contexte en quelques mots (facultatif)", ""),
]
COLUMN_NAMES = [name for name, _meaning, _example in COLUMNS]
# A weekly summary: each line is checked and shown on one page.
MAX_ROWS = 1_000


class ImportFileError(Exception):
    """The file itself cannot be read (format, encoding, missing columns)."""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_key(text) -> str:
    return normalize(text).replace(" ", "_")


def _documented_positions(header) -> set[int]:
    return {i for i, name in enumerate(header) if _header_key(name) in COLUMN_NAMES}


def file_kind(name: str) -> str:
    """ "csv" or "xlsx" from a file's name; raises ImportFileError for any other."""
    name = (name or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ImportFileError("Déposez un fichier .csv ou .xlsx (le modèle est téléchargeable).")
    return name.rsplit(".", 1)[1]


def read_rows(content: bytes, kind: str) -> list[dict]:
    """The lines of a CSV or XLSX file as {column: text}; raises ImportFileError."""
    try:
        header, lines = spreadsheet.read_rows(
            content, f"resume.{kind}", max_rows=MAX_ROWS, keep=_documented_positions
        )
    except spreadsheet.UnreadableFile as error:
        raise ImportFileError(str(error)) from error
    header = [_header_key(c) for c in header]
    missing = [c for c in ("date", "unite", "problematique", "consentement") if c not in header]
    if missing:
        raise ImportFileError(
            "Colonnes manquantes : " + ", ".join(missing) + ". Utilisez le modèle téléchargeable."
        )
    rows = []
    for number, line in lines:
        values = dict(zip(header, (_cell(v) for v in line), strict=False))
        row = {column: values.get(column, "") for column in COLUMN_NAMES}
        row["_line"] = number
        rows.append(row)
    if not rows:
        raise ImportFileError("Le fichier ne contient aucune ligne sous l'en-tête.")
    return rows


def _choice(text, choices, aliases=None) -> str:
    norm = normalize(text)
    if not norm:
        return ""
    for value, label in choices:
        if norm in (normalize(value), normalize(label)):
            return value
    for alias, value in (aliases or {}).items():
        if norm == alias:
            return value
    return text  # unknown: the form reports it


def row_to_form_data(row: dict, units) -> dict:
    """Turns the texts of a line into the data of an ``AutoReferralRowForm``."""
    unit_text = normalize(row["unite"])
    unit = next((u for u in units if normalize(u.name) == unit_text), None)
    problem_text = normalize(row["problematique"])
    problems = Problem.objects.usable_in(sorted({u.department_id for u in units}))
    problem = next(
        (p for p in problems if problem_text in (normalize(p.label), normalize(p.code))),
        None,
    )
    consent = normalize(row["consentement"])
    consent_value = {"oui": "yes", "o": "yes", "yes": "yes", "1": "yes", "non": "no", "n": "no"}
    consent_value.update({"no": "no", "0": "no"})
    return {
        "received_on": row["date"],
        "unit": unit.pk if unit else (row["unite"] or ""),
        "anonymous": "on" if normalize(row["anonyme"]) in ("oui", "o", "1", "x") else "",
        "person_last_name": row["nom"],
        "person_first_name": row["prenom"],
        "person_phone": row["telephone"],
        "person_sex": _choice(row["sexe"], Sex.choices) or Sex.UNKNOWN,
        "person_age": row["age"],
        "person_birth_year": row["annee_naissance"],
        "person_commune": row["commune"],
        "circumstance": _choice(
            row["circonstance"],
            Circumstance.choices,
            {
                "appel": Circumstance.PHONE_CALL,
                "presentation spontanee": Circumstance.SPONTANEOUS,
                "spontanee": Circumstance.SPONTANEOUS,
            },
        ),
        "main_problem": problem.pk if problem else row["problematique"],
        "procedure_kind": _choice(row["procedure"], ProcedureKind.choices, {"mc": "main_courante"})
        or ProcedureKind.NONE,
        "procedure_reference": row["reference_procedure"],
        "consent_to_contact": consent_value.get(consent, row["consentement"]),
        "urgency": _choice(row["urgence"], Urgency.choices, {"urgente": Urgency.URGENT})
        or Urgency.NORMAL,
        "context": row["contexte"],
    }


def template_rows() -> list[list[str]]:
    return [COLUMN_NAMES, [example for _n, _m, example in COLUMNS]]


def template_csv() -> bytes:
    return csv_bytes(template_rows())


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Saisines"
    for row in template_rows():
        sheet.append(row)
    notice = workbook.create_sheet("Colonnes")
    notice.append(["colonne", "contenu"])
    for name, meaning, _example in COLUMNS:
        notice.append([name, meaning])
    return xlsx_bytes(workbook)
