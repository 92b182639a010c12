"""Shared helpers of the data-lifecycle tests: files to import, aggregate bilan figures."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

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


CANARY = "Canardino"
CANARY_PHONE = "0611223344"
CANARY_EMAIL = "zoe.canardino@example.org"


def person_with_everything(*, worker, post, unit=None, name=CANARY, phone=CANARY_PHONE):
    """A beneficiary whose name, contacts and texts are spread over every table."""
    import datetime

    from django.utils import timezone

    from tests.cases.factories import (
        ActionFactory,
        BeneficiaryFactory,
        CaseFactory,
        OrientationFactory,
        ReferralFactory,
        UnitFeedbackFactory,
    )

    today = timezone.localdate()
    beneficiary = BeneficiaryFactory(
        post=post,
        created_by=worker,
        last_name=name.upper(),
        first_name="Zoé",
        birth_date=datetime.date(1990, 5, 5),
        birth_year=1990,
        phone=phone,
        email=f"zoe.{name.lower()}@example.org",
        search_text=f"{name.lower()} zoe {phone}",
    )
    # A second version in the history, with a name that was corrected since.
    beneficiary.first_name = "Zoé-Marie"
    beneficiary.save()
    case = CaseFactory(beneficiary=beneficiary, post=post, created_by=worker, opened_on=today)
    ActionFactory(case=case, author=worker, confidential_note=f"Note sur {name} : à rappeler.")
    OrientationFactory(
        case=case,
        author=worker,
        reason=f"Orientation de {name} vers le CIDFF",
        partner_answer=f"{name} reçue le lendemain",
    )
    referral_kwargs = {"source_unit": unit} if unit else {}
    referral = ReferralFactory(
        post=post,
        beneficiary=beneficiary,
        case=case,
        person_last_name=name.upper(),
        person_first_name="Zoé",
        person_phone=phone,
        person_birth_year=1990,
        procedure_reference=f"PV-{name}",
        context=f"{name} a appelé le 17 après une dispute.",
        **referral_kwargs,
    )
    UnitFeedbackFactory(referral=referral, author=worker, message=f"{name} a été reçue.")
    return beneficiary


def tables_containing(text: str) -> list[str]:
    """Every (model, field) of the case app, history included, where ``text`` appears."""
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_app_config("cases").get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.CharField | models.TextField)
                and model.objects.filter(**{f"{field.name}__icontains": text}).exists()
            ):
                found.append(f"{model._meta.label}.{field.name}")
    return found
