"""The downloadable templates: a header row, an example row, and a sheet of instructions."""

from openpyxl import Workbook
from openpyxl.styles import Font

from cases.lifecycle.imports.columns import template_columns
from cases.models import ActionKind, ImportTemplate
from iscg.spreadsheets import csv_bytes, xlsx_bytes


def _columns(template):
    return template_columns(template, list(ActionKind.objects.active()))


def template_csv(template: str) -> bytes:
    columns = _columns(template)
    return csv_bytes([[c.header for c in columns], [c.example for c in columns]])


def template_xlsx(template: str) -> bytes:
    columns = _columns(template)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activité"
    sheet.append([c.header for c in columns])
    sheet.append([c.example for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet("Mode d'emploi")
    help_sheet.append(["Colonne", "Obligatoire", "Contenu attendu"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        help_sheet.append([column.header, "oui" if column.required else "non", column.help])
    return xlsx_bytes(workbook)


def template_help(template: str):
    return _columns(template)


TEMPLATE_NAMES = {
    ImportTemplate.ACTIONS: "modele-import-actes",
    ImportTemplate.PEOPLE: "modele-import-personnes",
}
