"""Shared helpers of the data-lifecycle tests: files to import, aggregate bilan figures."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from openpyxl import Workbook

from cases.models import Action, Beneficiary, Case, Referral

ACTION_HEADER = [
    "Date de l'acte",
    "Type d'acte",
    "Identifiant de la personne",
    "Nom",
    "Prénom",
    "Sexe",
    "Année de naissance",
    "Tranche d'âge",
    "Situation familiale",
    "Code commune (INSEE)",
    "Profil",
    "Problématique principale",
    "Unité à l'origine",
    "Origine de la saisine",
    "Connu du Département",
    "Connu de la CAF",
    "Date d'ouverture",
    "Date de clôture",
    "Motif de clôture",
    "Durée (minutes)",
]


def action_row(**overrides) -> list:
    row = {
        "Date de l'acte": "10/03/2025",
        "Type d'acte": "Entretien physique",
        "Identifiant de la personne": "",
        "Nom": "DURAND",
        "Prénom": "Léa",
        "Sexe": "Femme",
        "Année de naissance": "1985",
        "Tranche d'âge": "",
        "Situation familiale": "Famille monoparentale",
        "Code commune (INSEE)": "01053",
        "Profil": "Victime",
        "Problématique principale": "Violences conjugales",
        "Unité à l'origine": "",
        "Origine de la saisine": "La personne est venue d'elle-même",
        "Connu du Département": "Oui",
        "Connu de la CAF": "Non",
        "Date d'ouverture": "01/03/2025",
        "Date de clôture": "",
        "Motif de clôture": "",
        "Durée (minutes)": "45",
    }
    row.update(overrides)
    return [row[h] for h in ACTION_HEADER]


def csv_bytes(header, rows, delimiter=";", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name, content) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def bilan_figures() -> dict:
    """A few of the bilan's figures, computed in the database as the reporting app does."""

    def table(queryset, *fields):
        return sorted(
            tuple(row.values()) for row in queryset.values(*fields).annotate(n=Count("pk"))
        )

    return {
        "profiles_by_period": table(
            Case.objects.all(), "opened_on__year", "beneficiary__profile"
        ),
        "sex_and_age_band": table(Beneficiary.objects.all(), "sex", "age_band"),
        "family_and_commune": table(
            Beneficiary.objects.all(), "family_situation", "commune", "known_to_department"
        ),
        "actions_by_kind": table(Action.objects.all(), "occurred_at__year", "kind__code"),
        "durations": sorted(Action.objects.values_list("duration_minutes", flat=True)),
        "referrals_by_unit": table(
            Referral.objects.all(), "received_at__year", "source_unit", "origin", "main_problem"
        ),
        "referral_ages": table(Referral.objects.all(), "person_sex", "person_age"),
        "case_lengths": sorted(
            Case.objects.values_list("opened_on", "closed_on", "closing_reason")
        ),
    }
