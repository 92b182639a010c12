"""Weekly activity summaries: upload, analysis by a worker, confirmation.

The web request only stores the file; a Celery worker reads it with the project's one
spreadsheet reader, checks each line against the rules of the on-screen entry and marks
the lines already recorded (same unit, day and procedure reference, or the same person
when there is no reference), so that a file uploaded twice creates nothing twice.
Confirmation records the checked lines, once: a replayed POST finds the upload done.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.models import Referral, SummaryStatus, WeeklySummaryUpload
from cases.referrals import auto_import as importer
from cases.referrals.forms.auto import AutoReferralRowForm
from cases.referrals.services.referrals import auto_referrals_import, worker_units
from iscg import dispatch as dispatching
from iscg.dispatch import dispatch_on_commit
from iscg.text import normalize

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Left "en cours" this long after its last change, an analysis is handed over again;
# after MAX_ATTEMPTS hand-overs it is given up (a file that kills its worker every time).
STUCK_AFTER = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 3
FAILURE_MESSAGE = (
    "L'analyse du fichier n'a pas abouti : déposez-le à nouveau, ou saisissez les lignes à l'écran."
)


def _tasks():
    from cases import tasks  # cycle: cases.tasks imports this module

    return tasks


@transaction.atomic
def weekly_summary_upload(*, uploaded_file, acting_user, dispatch=True) -> WeeklySummaryUpload:
    """Stores the file privately and hands its reading to a worker. Records nothing."""
    if not worker_units(acting_user).exists():
        raise PermissionDenied("Seul un intervenant social en poste dépose un résumé d'activité.")
    try:
        kind = importer.file_kind(uploaded_file.name)
    except importer.ImportFileError as error:
        raise ValidationError({"file": str(error)}) from error
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "Fichier trop volumineux (2 Mo au plus)."})
    upload = WeeklySummaryUpload(created_by=acting_user, file_kind=kind)
    upload.file.save(f"resume.{kind}", ContentFile(uploaded_file.read()), save=False)
    upload.save()
    if dispatch:
        dispatch_on_commit(_tasks().analyse_weekly_summary, upload.pk)
    return upload


def _checked(rows, user):
    """[(row, form)] for every line, the form bound with the line's data and the units the
    user serves today."""
    units = worker_units(user)
    unit_list = list(units)
    return [
        (row, AutoReferralRowForm(importer.row_to_form_data(row, unit_list), units=units))
        for row in rows
    ]


def _errors(form) -> list[str]:
    errors = []
    for name, field_errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else "Ligne"
        errors.extend(f"{label} : {error}" for error in field_errors)
    return errors


def _keys(fields) -> list[tuple]:
    """What identifies a referral of a weekly summary: its unit, its day and its person,
    with the procedure's reference when there is one (several people may share a
    procedure). Without a reference, an anonymous person has nothing to compare and is
    never called a duplicate."""
    base = (fields["source_unit"].pk, timezone.localtime(fields["received_at"]).date())
    reference = normalize(fields.get("procedure_reference") or "")
    name = normalize(f"{fields.get('person_last_name', '')} {fields.get('person_first_name', '')}")
    if reference:
        person = name or "anonyme {} {} {}".format(
            fields.get("person_sex") or "",
            fields.get("person_age") or "",
            fields.get("person_birth_year") or "",
        )
        return [(*base, reference, person)]
    return [(*base, "", name)] if name else []


def _recorded(checked, user) -> dict[tuple, str]:
    """Key -> number of a saisine the user can see that already holds it: one query."""
    valid = [form.referral_fields() for _row, form in checked if form.is_valid()]
    if not valid:
        return {}
    days = {timezone.localtime(fields["received_at"]).date() for fields in valid}
    units = {fields["source_unit"].pk for fields in valid}
    recorded = {}
    candidates = (
        Referral.objects.visible_to(user)
        .filter(source_unit__in=units, received_at__date__in=days)
        .only(
            "number",
            "source_unit_id",
            "received_at",
            "procedure_reference",
            "person_last_name",
            "person_first_name",
            "person_sex",
            "person_age",
            "person_birth_year",
        )
    )
    for referral in candidates:
        fields = {
            "source_unit": referral.source_unit,
            "received_at": referral.received_at,
            "procedure_reference": referral.procedure_reference,
            "person_last_name": referral.person_last_name,
            "person_first_name": referral.person_first_name,
            "person_sex": referral.person_sex,
            "person_age": referral.person_age,
            "person_birth_year": referral.person_birth_year,
        }
        for key in _keys(fields):
            recorded.setdefault(key, referral.number)
    return recorded


def check_rows(rows, user) -> tuple[dict, list[dict]]:
    """The report of the lines (errors, lines already recorded or repeated in the file)
    and the fields of the lines to record."""
    checked = _checked(rows, user)
    recorded = _recorded(checked, user)
    seen: dict[tuple, int] = {}
    errors, duplicates, importable = [], [], []
    for row, form in checked:
        if not form.is_valid():
            errors.append({"line": row["_line"], "errors": _errors(form)})
            continue
        fields = form.referral_fields()
        keys = _keys(fields)
        number = next((recorded[key] for key in keys if key in recorded), None)
        repeated = next((seen[key] for key in keys if key in seen), None)
        if number:
            duplicates.append({"line": row["_line"], "reason": f"déjà enregistrée ({number})"})
        elif repeated:
            duplicates.append(
                {"line": row["_line"], "reason": f"en double dans le fichier (ligne {repeated})"}
            )
        else:
            seen.update(dict.fromkeys(keys, row["_line"]))
            importable.append(fields)
    report = {
        "total": len(rows),
        "errors": errors,
        "duplicates": duplicates,
        "importable": len(importable),
    }
    return report, importable


@transaction.atomic
def weekly_summary_analyse(*, upload_id: int) -> WeeklySummaryUpload | None:
    """Reads and checks the file (the worker's side), then deletes it: the lines wait in
    the upload for confirmation. Idempotent."""
    upload = WeeklySummaryUpload.objects.select_for_update().filter(pk=upload_id).first()
    if upload is None or upload.status != SummaryStatus.ANALYSING:
        return None
    try:
        with upload.file.open("rb") as stored:
            rows = importer.read_rows(stored.read(), upload.file_kind)
    except importer.ImportFileError as error:
        upload.status = SummaryStatus.FAILED
        upload.report = {"failure": str(error)}
    else:
        upload.rows = rows
        upload.report, _importable = check_rows(rows, upload.created_by)
        upload.status = SummaryStatus.PREVIEW
    upload.file.delete(save=False)
    upload.save()
    return upload


@transaction.atomic
def weekly_summary_confirm(*, upload: WeeklySummaryUpload, acting_user) -> list[Referral]:
    """Records the lines that pass and are not yet recorded, checked again now (units and
    lists may have changed since the analysis). Once only."""
    upload = WeeklySummaryUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.created_by_id != acting_user.pk:
        raise PermissionDenied("Seule la personne qui a déposé ce fichier peut l'importer.")
    if upload.status == SummaryStatus.DONE:
        raise ValidationError("Ce fichier a déjà été importé : rien n'a été enregistré deux fois.")
    if upload.status != SummaryStatus.PREVIEW:
        raise ValidationError("Ce fichier n'a pas encore été vérifié.")
    report, importable = check_rows(upload.rows, acting_user)
    if not importable:
        upload.report = report
        upload.save()
        raise ValidationError("Aucune ligne à importer : toutes sont en erreur ou déjà présentes.")
    created = auto_referrals_import(rows=importable, acting_user=acting_user)
    upload.status = SummaryStatus.DONE
    upload.rows = []  # the names as typed are no longer needed
    upload.report = report
    upload.created_numbers = [referral.number for referral in created]
    upload.imported_at = timezone.now()
    upload.save()
    return created


def resume_stuck_summaries(*, now=None) -> int:
    """Hands analyses left "en cours" (broker down, worker killed) to a worker again;
    gives up with a French message after MAX_ATTEMPTS hand-overs."""
    now = now or timezone.now()
    stuck = WeeklySummaryUpload.objects.filter(
        status=SummaryStatus.ANALYSING, updated_at__lt=now - STUCK_AFTER
    )
    resumed = 0
    for upload_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            upload = WeeklySummaryUpload.objects.select_for_update().get(pk=upload_id)
            if upload.attempts >= MAX_ATTEMPTS:
                upload.status = SummaryStatus.FAILED
                upload.report = {"failure": FAILURE_MESSAGE}
                upload.file.delete(save=False)
                upload.save()
                logger.error(
                    "Weekly summary %s given up after %s hand-overs", upload.pk, MAX_ATTEMPTS
                )
                continue
            upload.attempts += 1
            upload.save(update_fields=["attempts", "updated_at"])
        resumed += dispatching.dispatch(_tasks().analyse_weekly_summary, upload_id)
    return resumed
