"""Reading the gendarmerie's weekly activity summary (CSV or XLSX) into referral rows.

Each line becomes the data of an ``AutoReferralRowForm``; the form says in French
what is wrong with it, so the bulk screen and the upload share one set of rules.
"""

import csv
import datetime
import io
import unicodedata

from openpyxl import Workbook, load_workbook

from cases.enums import Circumstance, ProcedureKind, Sex, Urgency
from cases.models import Problem
from iscg.spreadsheets import csv_bytes, xlsx_bytes

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


class ImportFileError(Exception):
    """The file itself cannot be read (format, encoding, missing columns)."""


def _norm(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(uploaded) -> list[dict]:
    """The lines of an uploaded CSV or XLSX file as {column: text}; raises ImportFileError."""
    name = (uploaded.name or "").lower()
    content = uploaded.read()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            lines = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds
            raise ImportFileError("Le fichier XLSX n'a pas pu être lu.") from error
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        delimiter = (
            ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        )
        lines = [
            [c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    else:
        raise ImportFileError("Déposez un fichier .csv ou .xlsx (le modèle est téléchargeable).")
    lines = [line for line in lines if any(line)]
    if not lines:
        raise ImportFileError("Le fichier est vide.")
    header = [_norm(c).replace(" ", "_") for c in lines[0]]
    missing = [c for c in ("date", "unite", "problematique", "consentement") if c not in header]
    if missing:
        raise ImportFileError(
            "Colonnes manquantes : " + ", ".join(missing) + ". Utilisez le modèle téléchargeable."
        )
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        values = dict(zip(header, line + [""] * (len(header) - len(line)), strict=False))
        row = {column: values.get(column, "") for column in COLUMN_NAMES}
        row["_line"] = number
        rows.append(row)
    if not rows:
        raise ImportFileError("Le fichier ne contient aucune ligne sous l'en-tête.")
    return rows


def _choice(text, choices, aliases=None) -> str:
    norm = _norm(text)
    if not norm:
        return ""
    for value, label in choices:
        if norm in (_norm(value), _norm(label)):
            return value
    for alias, value in (aliases or {}).items():
        if norm == alias:
            return value
    return text  # unknown: the form reports it


def row_to_form_data(row: dict, units) -> dict:
    """Turns the texts of a line into the data of an ``AutoReferralRowForm``."""
    unit_text = _norm(row["unite"])
    unit = next((u for u in units if _norm(u.name) == unit_text), None)
    problem_text = _norm(row["problematique"])
    problem = next(
        (p for p in Problem.objects.active() if problem_text in (_norm(p.label), _norm(p.code))),
        None,
    )
    consent = _norm(row["consentement"])
    consent_value = {"oui": "yes", "o": "yes", "yes": "yes", "1": "yes", "non": "no", "n": "no"}
    consent_value.update({"no": "no", "0": "no"})
    return {
        "received_on": row["date"],
        "unit": unit.pk if unit else (row["unite"] or ""),
        "anonymous": "on" if _norm(row["anonyme"]) in ("oui", "o", "1", "x") else "",
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
