"""XLSX exports (openpyxl) of a financing plan and of the funding dashboard."""

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from iscg.spreadsheets import xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EUROS = '#,##0.00 "€"'
BOLD = Font(bold=True)


def _header(sheet, row):
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _money(sheet, columns):
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column_letter in columns and cell.value is not None:
                cell.number_format = EUROS


def plan_workbook(convention, plan) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan de financement"
    sheet.append([convention.title])
    sheet["A1"].font = BOLD
    sheet.append(["Employeur", str(convention.employer)])
    sheet.append(["Période", f"{convention.start:%d/%m/%Y} – {convention.end:%d/%m/%Y}"])
    sheet.append(["ETP couverts", float(plan["etp"])])
    sheet.append([])
    _header(sheet, ["Année", "Financeur", "Demandé", "Accordé", "Versé", "Reste à verser"])
    for year in plan["years"]:
        for line in year["lines"]:
            sheet.append(
                [
                    year["year"],
                    str(line.funder),
                    line.requested,
                    line.granted,
                    line.paid,
                    line.remaining,
                ]
            )
        sheet.append(
            [
                year["year"],
                "Total de l'année",
                year["requested"],
                year["granted"],
                year["paid"],
                year["remaining"],
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    sheet.append(["Total", "", plan["requested"], plan["granted"], plan["paid"], plan["remaining"]])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    sheet.append([])
    sheet.append(
        [
            "Part de l'État (FIPD)",
            plan["state"],
            f"{plan['state_share']} %" if plan["state_share"] is not None else "–",
        ]
    )
    _money(sheet, "CDEF")

    budget = book.create_sheet("Budget")
    _header(
        budget,
        ["Année", *[label for _value, label in plan["categories"]], "Total", "Coût d'un ETP"],
    )
    for year in plan["years"]:
        budget.append(
            [
                year["year"],
                *[amount for _label, amount in year["budget_by_category"]],
                year["budget"],
                year["etp_cost"],
            ]
        )
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    return book


def dashboard_workbook(data) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Financements"
    _header(sheet, ["Année", "Financeur", "Accordé", "Versé", "Reste à verser", "État (FIPD)"])
    for year in data["years"]:
        for row in year["funders"]:
            sheet.append(
                [
                    year["year"],
                    row["funder__name"],
                    row["granted"],
                    row["paid"],
                    row["remaining"],
                    "oui" if row["is_state"] else "non",
                ]
            )
        sheet.append(
            [year["year"], "Total de l'année", year["granted"], year["paid"], year["remaining"], ""]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    _money(sheet, "CDE")

    summary = book.create_sheet("Synthèse")
    _header(
        summary,
        [
            "Année",
            "Total accordé",
            "dont État (FIPD)",
            "Part de l'État (%)",
            "ETP financés",
            "ETP pourvus aujourd'hui",
        ],
    )
    for year in data["years"]:
        summary.append(
            [
                year["year"],
                year["granted"],
                year["state"],
                float(year["state_share"]) if year["state_share"] is not None else None,
                float(year["etp_funded"]),
                float(data["etp_filled"]),
            ]
        )

    overdue = book.create_sheet("Versements en retard")
    _header(
        overdue,
        ["Convention", "Financeur", "Année", "Échéance", "Accordé", "Versé", "Reste à verser"],
    )
    for line in data["overdue"]:
        overdue.append(
            [
                line.convention.title,
                str(line.funder),
                line.year,
                line.due_date,
                line.granted,
                line.paid,
                line.remaining,
            ]
        )
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    return book


def xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(book), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
