"""Retention of case data: archive after the active period, anonymise after the archive.

- A file (a beneficiary, their cases, actes, orientations, referrals and feedback) whose
  last acte or contact is older than ``RETENTION_ACTIVE_DAYS`` is archived: it leaves
  every list and search (``visible_to`` excludes it); only the DPO opens it, with a reason.
- Once it is older than ``RETENTION_ACTIVE_DAYS + RETENTION_ARCHIVE_DAYS`` it is
  anonymised: names, contacts, birth date, free texts and confidential notes are erased
  from the live tables and from their simple-history rows. What the bilans count (profile,
  sex, age band, family situation, commune, known_to_*, dates, kinds, units, problems,
  partners, durations) stays, so the figures of a past period do not change.
- Access logs (``iscg.AccessLog``) older than ``RETENTION_ACCESS_LOG_DAYS``
  are deleted. The DPO's register (``DataProtectionEvent``) is kept.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.enums import AgeBand
from cases.models import (
    Action,
    Beneficiary,
    Case,
    DataProtectionAction,
    DataProtectionEvent,
    Orientation,
    Referral,
    UnitFeedback,
)
from iscg.models import AccessLog

# What anonymisation erases. Everything else is what the bilans count, and stays.
BENEFICIARY_ERASED = {
    "last_name": "",
    "first_name": "",
    "search_text": "",
    "phone": "",
    "email": "",
    "birth_date": None,
    "birth_year": None,
}
REFERRAL_ERASED = {
    "person_last_name": "",
    "person_first_name": "",
    "person_phone": "",
    "person_birth_year": None,
    "procedure_reference": "",
    "context": "",
}
ACTION_ERASED = {"confidential_note": ""}
ORIENTATION_ERASED = {"reason": "", "partner_answer": ""}
FEEDBACK_ERASED = {"message": ""}


@dataclass
class RetentionReport:
    archived_beneficiaries: int = 0
    archived_referrals: int = 0
    anonymised_beneficiaries: int = 0
    anonymised_referrals: int = 0
    purged_access_logs: int = 0
    purged_import_previews: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def active_cutoff(now=None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=settings.RETENTION_ACTIVE_DAYS)


def archive_cutoff(now=None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(
        days=settings.RETENTION_ACTIVE_DAYS + settings.RETENTION_ARCHIVE_DAYS
    )


def stale_beneficiaries(cutoff: datetime.datetime):
    """Beneficiaries with no acte, orientation, referral, feedback to the unit, opening or
    closing since ``cutoff``.

    A beneficiary with no case and no referral at all counts from the day they were recorded.
    """
    cutoff_date = timezone.localtime(cutoff).date()
    recent_action = Action.objects.filter(case__beneficiary=OuterRef("pk"), occurred_at__gte=cutoff)
    recent_orientation = Orientation.objects.filter(
        case__beneficiary=OuterRef("pk"), oriented_on__gte=cutoff_date
    )
    recent_feedback = UnitFeedback.objects.filter(
        Q(referral__beneficiary=OuterRef("pk")) | Q(referral__case__beneficiary=OuterRef("pk")),
        sent_at__gte=cutoff,
    )
    recent_case = Case.objects.filter(beneficiary=OuterRef("pk")).filter(
        Q(opened_on__gte=cutoff_date) | Q(closed_on__gte=cutoff_date)
    )
    recent_referral = Referral.objects.filter(
        Q(beneficiary=OuterRef("pk")) | Q(case__beneficiary=OuterRef("pk")),
        received_at__gte=cutoff,
    )
    any_case = Case.objects.filter(beneficiary=OuterRef("pk"))
    any_referral = Referral.objects.filter(beneficiary=OuterRef("pk"))
    return (
        Beneficiary.objects.exclude(Exists(recent_action))
        .exclude(Exists(recent_orientation))
        .exclude(Exists(recent_feedback))
        .exclude(Exists(recent_case))
        .exclude(Exists(recent_referral))
        .exclude(Q(created_at__gte=cutoff) & ~Exists(any_case) & ~Exists(any_referral))
    )


def _referrals_of(beneficiary_ids):
    return Referral.objects.filter(
        Q(beneficiary_id__in=beneficiary_ids) | Q(case__beneficiary_id__in=beneficiary_ids)
    )


def _standalone_referrals(cutoff):
    """Referrals never linked to a file, received before ``cutoff``."""
    return Referral.objects.filter(
        beneficiary__isnull=True, case__isnull=True, received_at__lt=cutoff
    )


def _log_many(action, model_name, ids, acting_user=None, reason="", **details):
    DataProtectionEvent.objects.bulk_create(
        [
            DataProtectionEvent(
                actor=acting_user,
                action=action,
                object_type=model_name,
                object_id=pk,
                post_id=post_id,
                reason=reason,
                details=details,
            )
            for pk, post_id in ids
        ],
        batch_size=1000,
    )


@transaction.atomic
def archive_beneficiaries(*, beneficiary_ids, now=None) -> tuple[int, int]:
    """Archives these files (beneficiary, and every referral about them)."""
    now = now or timezone.now()
    ids = list(beneficiary_ids)
    rows = list(
        Beneficiary.objects.filter(pk__in=ids, archived_at__isnull=True).values_list("pk", "post")
    )
    Beneficiary.objects.filter(pk__in=[pk for pk, _ in rows]).update(archived_at=now)
    referrals = _referrals_of(ids).filter(archived_at__isnull=True).update(archived_at=now)
    _log_many(
        DataProtectionAction.ARCHIVE,
        "beneficiary",
        rows,
        reason="Durée de conservation active écoulée",
    )
    return len(rows), referrals


def _age_band_at(beneficiary: Beneficiary, on: datetime.date) -> str:
    if beneficiary.birth_date is not None:
        bd = beneficiary.birth_date
        age = on.year - bd.year - ((on.month, on.day) < (bd.month, bd.day))
        return AgeBand.for_age(age)
    if beneficiary.birth_year is not None:
        return AgeBand.for_age(on.year - beneficiary.birth_year)
    return beneficiary.age_band


def _fix_age_bands(ids) -> None:
    """Before the birth date goes: keep the age band, at the opening of the first file."""
    todo = list(
        Beneficiary.objects.filter(pk__in=ids)
        .filter(Q(birth_date__isnull=False) | Q(birth_year__isnull=False))
        .annotate(first_opened=models.Min("cases__opened_on"))
    )
    for beneficiary in todo:
        on = beneficiary.first_opened or timezone.localtime(beneficiary.created_at).date()
        beneficiary.age_band = _age_band_at(beneficiary, on)
    Beneficiary.objects.bulk_update(todo, ["age_band"], batch_size=1000)
    Beneficiary.history.model.objects.filter(id__in=[b.pk for b in todo]).update(
        age_band=models.Subquery(
            Beneficiary.objects.filter(pk=OuterRef("id")).values("age_band")[:1]
        )
    )


def _fix_referral_ages(referral_ids) -> None:
    """Keep the age (a bilan figure) when the birth year goes."""
    todo = list(
        Referral.objects.filter(
            pk__in=referral_ids, person_age__isnull=True, person_birth_year__isnull=False
        )
    )
    for referral in todo:
        referral.person_age = max(
            0, timezone.localtime(referral.received_at).year - referral.person_birth_year
        )
    Referral.objects.bulk_update(todo, ["person_age"], batch_size=1000)


def _erase_referrals(referral_ids, now) -> None:
    referral_ids = list(referral_ids)
    _fix_referral_ages(referral_ids)
    Referral.objects.filter(pk__in=referral_ids).update(
        **REFERRAL_ERASED,
        anonymised_at=now,
        archived_at=models.functions.Coalesce("archived_at", now),
    )
    Referral.history.model.objects.filter(id__in=referral_ids).update(**REFERRAL_ERASED)
    _erase_access_log_labels(Referral, referral_ids)
    UnitFeedback.objects.filter(referral_id__in=referral_ids).update(**FEEDBACK_ERASED)
    UnitFeedback.history.model.objects.filter(referral_id__in=referral_ids).update(
        **FEEDBACK_ERASED
    )


@transaction.atomic
def anonymise_beneficiaries(*, beneficiary_ids, now=None) -> tuple[int, int]:
    """Erases what identifies these people, in live tables and history; keeps the figures.

    Returns (beneficiaries, referrals) anonymised. Used by retention and by erasure on request.
    """
    now = now or timezone.now()
    ids = list(beneficiary_ids)
    history = {
        model: model.history.model.objects for model in (Beneficiary, Referral, Action, Orientation)
    }
    _fix_age_bands(ids)
    case_ids = list(Case.objects.filter(beneficiary_id__in=ids).values_list("pk", flat=True))
    historical_case_ids = set(case_ids) | set(
        Case.history.model.objects.filter(beneficiary_id__in=ids).values_list("id", flat=True)
    )
    referral_ids = set(_referrals_of(ids).values_list("pk", flat=True)) | set(
        history[Referral]
        .filter(Q(beneficiary_id__in=ids) | Q(case_id__in=historical_case_ids))
        .values_list("id", flat=True)
    )
    count = Beneficiary.objects.filter(pk__in=ids).update(
        **BENEFICIARY_ERASED,
        anonymised_at=now,
        archived_at=models.functions.Coalesce("archived_at", now),
    )
    history[Beneficiary].filter(id__in=ids).update(**BENEFICIARY_ERASED)
    _erase_referrals(referral_ids, now)
    Action.objects.filter(case_id__in=historical_case_ids).update(**ACTION_ERASED)
    history[Action].filter(case_id__in=historical_case_ids).update(**ACTION_ERASED)
    Orientation.objects.filter(case_id__in=historical_case_ids).update(**ORIENTATION_ERASED)
    history[Orientation].filter(case_id__in=historical_case_ids).update(**ORIENTATION_ERASED)
    _erase_access_log_labels(Beneficiary, ids)
    _erase_access_log_labels(Case, historical_case_ids)
    _erase_access_log_labels(Referral, referral_ids)
    return count, len(referral_ids)


def _erase_access_log_labels(model, ids) -> None:
    """The access log names the file it records (``object_label``): erase it too."""
    if not ids:
        return
    AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).update(object_label="")


def purge_access_logs(*, now=None, dry_run=False) -> int:
    """Deletes access-log entries older than ``RETENTION_ACCESS_LOG_DAYS``."""
    now = now or timezone.now()
    old = AccessLog.objects.filter(
        created_at__lt=now - datetime.timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS)
    )
    if dry_run:
        return old.count()
    count, _ = old.delete()
    return count


IMPORT_PREVIEW_HOURS = 24


def purge_import_previews(*, now=None, dry_run=False) -> int:
    """Deletes the files of import previews never confirmed within a day: they hold names."""
    from cases.models import ImportBatch, ImportStatus

    now = now or timezone.now()
    stale = ImportBatch.objects.filter(
        status=ImportStatus.PREVIEW,
        created_at__lt=now - datetime.timedelta(hours=IMPORT_PREVIEW_HOURS),
    )
    if dry_run:
        return stale.count()
    count = 0
    for batch in stale:
        if batch.file:
            batch.file.delete(save=False)
        batch.delete()
        count += 1
    return count


def apply_retention(*, now=None, dry_run=True) -> RetentionReport:
    """Archives, anonymises and purges what has outlived its period. Idempotent.

    The dry run runs the very same stages in a transaction it rolls back (and leaves the
    files on disk alone), so that it announces exactly what the real run would do."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _apply_retention(now, dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _apply_retention(now, dry_run) -> RetentionReport:
    report = RetentionReport()
    to_archive = stale_beneficiaries(active_cutoff(now)).filter(archived_at__isnull=True)
    to_anonymise = stale_beneficiaries(archive_cutoff(now)).filter(anonymised_at__isnull=True)
    standalone_archive = _standalone_referrals(active_cutoff(now)).filter(archived_at__isnull=True)
    standalone_anonymise = _standalone_referrals(archive_cutoff(now)).filter(
        anonymised_at__isnull=True
    )
    archive_ids = list(to_archive.values_list("pk", flat=True))
    report.archived_beneficiaries, report.archived_referrals = archive_beneficiaries(
        beneficiary_ids=archive_ids, now=now
    )
    standalone = list(standalone_archive.values_list("pk", "post"))
    Referral.objects.filter(pk__in=[pk for pk, _ in standalone]).update(archived_at=now)
    report.archived_referrals += len(standalone)
    _log_many(
        DataProtectionAction.ARCHIVE,
        "referral",
        standalone,
        reason="Durée de conservation active écoulée",
    )

    anonymise_rows = list(to_anonymise.values_list("pk", "post"))
    report.anonymised_beneficiaries, report.anonymised_referrals = anonymise_beneficiaries(
        beneficiary_ids=[pk for pk, _ in anonymise_rows], now=now
    )
    _log_many(
        DataProtectionAction.ANONYMISE,
        "beneficiary",
        anonymise_rows,
        reason="Durée d'archivage intermédiaire écoulée",
    )
    standalone = list(standalone_anonymise.values_list("pk", "post"))
    _erase_referrals([pk for pk, _ in standalone], now)
    report.anonymised_referrals += len(standalone)
    _log_many(
        DataProtectionAction.ANONYMISE,
        "referral",
        standalone,
        reason="Durée d'archivage intermédiaire écoulée",
    )
    report.purged_access_logs = purge_access_logs(now=now)
    report.purged_import_previews = purge_import_previews(now=now, dry_run=dry_run)
    if report.purged_access_logs:
        DataProtectionEvent.objects.create(
            action=DataProtectionAction.LOG_PURGE,
            object_type="accesslog",
            reason="Durée de conservation des journaux d'accès écoulée",
            details={"deleted": report.purged_access_logs},
        )
    return report
