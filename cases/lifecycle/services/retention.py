"""Retention of case data: archive after the active period, anonymise after the archive.

- A file (a beneficiary, their cases, actes, orientations, referrals and feedback) whose
  last acte or contact is older than ``RETENTION_ACTIVE_DAYS`` is archived: it leaves
  every list and search (``visible_to`` excludes it); only the DPO opens it, with a reason.
- Its files still open are then closed, dated the run day ("sans contact, clôture
  automatique").
- Once it is older than ``RETENTION_ACTIVE_DAYS + RETENTION_ARCHIVE_DAYS`` it is
  anonymised: replaced by its contribution to the bilans' grouped counts, then deleted
  with its history (``cases.lifecycle.services.anonymisation``), so that the figures of every past
  month, quarter and year do not change and nothing singles the person out.
- Access logs (``iscg.AccessLog``) older than ``RETENTION_ACCESS_LOG_DAYS``
  are deleted. The DPO's register (``DataProtectionEvent``) is kept.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cases.enums import ClosingReason
from cases.lifecycle.services.anonymisation import anonymise_beneficiaries, anonymise_referrals
from cases.models import (
    Action,
    Beneficiary,
    Case,
    DataProtectionAction,
    DataProtectionEvent,
    ImportBatch,
    ImportStatus,
    Orientation,
    Referral,
    UnitFeedback,
    WeeklySummaryUpload,
)
from iscg.models import AccessLog

__all__ = ["anonymise_beneficiaries", "apply_retention"]


@dataclass
class RetentionReport:
    closed_cases: int = 0
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
    # An automatic closure is no contact: it does not hold the file back.
    recent_case = Case.objects.filter(beneficiary=OuterRef("pk")).filter(
        Q(opened_on__gte=cutoff_date)
        | (Q(closed_on__gte=cutoff_date) & ~Q(closing_reason=ClosingReason.NO_CONTACT))
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


NO_CONTACT_CLOSING = {"closing_reason": ClosingReason.NO_CONTACT}


def close_files_without_contact(*, now) -> int:
    """Closes every file still open of an archived person, dated the run day, with the
    reason "sans contact, clôture automatique": periods already ended keep their figures,
    later ones stop counting the file as ongoing. The bilans count these closures apart
    from the durations of accompaniment."""
    today = timezone.localtime(now).date()
    cases = list(
        Case.objects.filter(beneficiary__archived_at__isnull=False, closed_on__isnull=True)
    )
    for case in cases:
        case.closed_on = max(today, case.opened_on)
        case.closing_reason = ClosingReason.NO_CONTACT
    bulk_update_with_history(
        cases, Case, ["closed_on", "closing_reason"], batch_size=1000, default_date=now
    )
    return len(cases)


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
    """Deletes the files of import previews never confirmed within a day, and the weekly
    summaries uploaded more than a day ago (their lines are recorded or abandoned): they
    hold names."""
    now = now or timezone.now()
    stale = ImportBatch.objects.filter(
        # Never confirmed: previews, failed analyses, analyses no worker ever finished.
        status__in=[ImportStatus.PREVIEW, ImportStatus.FAILED, ImportStatus.ANALYSING],
        created_at__lt=now - datetime.timedelta(hours=IMPORT_PREVIEW_HOURS),
    )
    summaries = WeeklySummaryUpload.objects.filter(
        created_at__lt=now - datetime.timedelta(hours=IMPORT_PREVIEW_HOURS)
    )
    if dry_run:
        return stale.count() + summaries.count()
    count = 0
    for batch in [*stale, *summaries]:
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
    report.closed_cases = close_files_without_contact(now=now)
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
    report.anonymised_referrals += anonymise_referrals(
        referral_ids=[pk for pk, _ in standalone], now=now
    )
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
