"""Import batches: preview (nothing written), confirmation (all or nothing), undo."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.lifecycle.imports.columns import template_positions
from cases.lifecycle.imports.parser import parse_rows
from cases.lifecycle.imports.plans import ParsedImport, line_error
from cases.lifecycle.imports.reader import UnreadableFile, read_rows
from cases.lifecycle.imports.writing import write_parsed
from cases.lifecycle.services.register import log_event
from cases.models import (
    Action,
    AnonymousContact,
    Beneficiary,
    Case,
    DataProtectionAction,
    ImportBatch,
    ImportStatus,
    Orientation,
    Referral,
    UnitFeedback,
)
from iscg import access
from iscg.gate import signed_in
from iscg.models import Post

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IMPORTED_MODELS = (Orientation, Action, Referral, Case, Beneficiary, AnonymousContact)


def importable_posts(user):
    """Posts a user may import into: the posts they work on, their employer's posts."""
    if not signed_in(user):
        return Post.objects.none()
    return Post.objects.filter(
        Q(pk__in=access.worked_post_ids(user))
        | Q(employer__in=access.managed_employer_ids(user), is_active=True)
    ).order_by("label")


def _check_post(post, acting_user):
    if acting_user is not None and not importable_posts(acting_user).filter(pk=post.pk).exists():
        raise PermissionDenied("Vous ne pouvez pas importer d'activité pour ce poste.")


def can_handle_batch(user, batch: ImportBatch) -> bool:
    """A batch's preview, confirmation and undo belong to its uploader and to the workers
    of its post: its file and messages hold the people's names as typed."""
    return batch.created_by_id == user.pk or batch.post_id in access.worked_post_ids(user)


def _check_batch(batch: ImportBatch, acting_user) -> None:
    if acting_user is None:
        return
    if not can_handle_batch(acting_user, batch):
        raise PermissionDenied(
            "Seuls l'auteur de l'import et les intervenant·es du poste peuvent le gérer."
        )
    _check_post(batch.post, acting_user)


def parse_content(content: bytes, filename: str, *, post) -> ParsedImport:
    try:
        header, rows = read_rows(content, filename, keep=template_positions)
    except UnreadableFile as exc:
        parsed = ParsedImport()
        parsed.errors.append(line_error(1, str(exc)))
        return parsed
    return parse_rows(header, rows, post=post)


def import_preview(*, post, uploaded_file, acting_user) -> tuple[ImportBatch, ParsedImport]:
    """Upload and analysis at once, in this process: for the management command and the
    tests. The pages hand the analysis to a worker (``cases.lifecycle.imports.analysis``)."""
    from cases.lifecycle.imports import analysis  # cycle: analysis imports this module

    with transaction.atomic():
        batch = analysis.import_upload(
            post=post, uploaded_file=uploaded_file, acting_user=acting_user, dispatch=False
        )
        parsed = analysis.import_analyse(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch, parsed


def batch_parsed(batch: ImportBatch) -> ParsedImport:
    """Parses the stored file of a batch again (reference lists may have changed since)."""
    if not batch.file:
        raise ValidationError(
            "Le fichier de cet import n'est plus disponible : déposez-le à nouveau."
        )
    with batch.file.open("rb") as fh:
        content = fh.read()
    return parse_content(content, batch.original_name, post=batch.post)


@transaction.atomic
def import_commit(*, batch: ImportBatch, acting_user, parsed: ParsedImport | None = None):
    """Writes everything the file describes, or nothing if any line is wrong."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_batch(batch, acting_user)
    if batch.status != ImportStatus.PREVIEW:
        raise ValidationError("Cet import a déjà été confirmé ou annulé.")
    parsed = parsed or batch_parsed(batch)
    if not parsed.is_valid:
        raise ValidationError(
            "Le fichier contient des erreurs : corrigez-les et déposez-le à nouveau."
        )
    return commit_parsed(batch, parsed, acting_user=acting_user)


def commit_parsed(batch: ImportBatch, parsed: ParsedImport, *, acting_user) -> ImportBatch:
    """Writes a valid parsed file into a locked batch, deletes the file, and registers it."""
    counts = write_parsed(parsed, batch, acting_user=acting_user or batch.created_by)
    batch.status = ImportStatus.DONE
    batch.imported_at = timezone.now()
    batch.counts = counts
    if batch.file:
        batch.file.delete(save=False)
    batch.save()
    log_event(
        action=DataProtectionAction.IMPORT,
        acting_user=acting_user or batch.created_by,
        obj=batch,
        reason=f"Import d'activité n° {batch.pk}",
        details=counts,
    )
    return batch


def check_not_imported(post, digest: str, *, besides=None) -> None:
    """Refuses a file whose very content the post has already imported (and not undone):
    importing it again would count every person, acte and contact twice in the bilans."""
    done = ImportBatch.objects.filter(
        post=post, content_sha256=digest, status__in=[ImportStatus.DONE, ImportStatus.IMPORTING]
    )
    if besides is not None:
        done = done.exclude(pk=besides.pk)
    previous = done.order_by("created_at").first()
    if previous is not None:
        when = timezone.localtime(previous.imported_at or previous.created_at)
        raise ValidationError(
            f"Ce fichier a déjà été importé pour ce poste le {when:%d/%m/%Y} (import "
            f"n° {previous.pk}) : ses données sont déjà dans ISCG. Pour le remplacer, "
            "annulez d'abord cet import."
        )


def import_file(*, post, content: bytes, filename: str, acting_user) -> tuple[ImportBatch, dict]:
    """The management command's path: parse, then write in one transaction."""
    digest = hashlib.sha256(content).hexdigest()
    check_not_imported(post, digest)
    parsed = parse_content(content, filename, post=post)
    if not parsed.is_valid:
        raise ValidationError(
            [f"Ligne {error.line} : {error.message}" for error in parsed.errors]
            or ["Fichier vide."]
        )
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            post=post,
            template=parsed.template,
            original_name=filename[:255],
            content_sha256=digest,
            row_count=parsed.row_count,
            counts=parsed.counts,
            created_by=acting_user,
        )
        import_commit(batch=batch, acting_user=None, parsed=parsed)
    batch.refresh_from_db()
    return batch, batch.counts


def _attachments(batch) -> list[str]:
    """What was entered since on the imported files, and would be lost by an undo."""
    checks = [
        (
            Action.objects.filter(case__import_batch=batch).exclude(import_batch=batch),
            "des actes",
        ),
        (
            Orientation.objects.filter(case__import_batch=batch).exclude(import_batch=batch),
            "des orientations",
        ),
        (
            Case.objects.filter(beneficiary__import_batch=batch).exclude(import_batch=batch),
            "des accompagnements",
        ),
        (
            Referral.objects.filter(
                Q(beneficiary__import_batch=batch) | Q(case__import_batch=batch)
            ).exclude(import_batch=batch),
            "des saisines",
        ),
        (UnitFeedback.objects.filter(referral__import_batch=batch), "des retours aux unités"),
    ]
    return [label for queryset, label in checks if queryset.exists()]


EDIT_LABELS = {
    "beneficiary": "des fiches importées",
    "case": "des accompagnements importés",
    "action": "des actes importés",
    "orientation": "des orientations importées",
    "referral": "des saisines importées",
    "anonymouscontact": "des contacts anonymes importés",
}


def _edits(batch) -> list[str]:
    """What was changed since on the imported objects themselves (a corrected name, a
    closure, an acte corrected or withdrawn): their history holds more than the import."""
    return [
        EDIT_LABELS.get(model._meta.model_name, model._meta.verbose_name_plural)
        for model in IMPORTED_MODELS
        if model.history.filter(import_batch_id=batch.pk).exclude(history_type="+").exists()
    ]


@transaction.atomic
def import_undo(*, batch: ImportBatch, acting_user) -> ImportBatch:
    """Deletes every object of the batch, and their history rows."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_batch(batch, acting_user)
    if batch.status != ImportStatus.DONE:
        raise ValidationError("Seul un import effectué peut être annulé.")
    attached = _attachments(batch)
    if attached:
        raise ValidationError(
            "Cet import ne peut plus être annulé : "
            + ", ".join(attached)
            + " ont été saisi(e)s depuis sur les dossiers importés."
        )
    edited = _edits(batch)
    if edited:
        raise ValidationError(
            "Cet import ne peut plus être annulé : "
            + ", ".join(edited)
            + " ont été modifié(e)s depuis l'import ; l'annuler effacerait ces modifications."
        )
    deleted = {}
    for model in IMPORTED_MODELS:
        rows = model.objects.filter(import_batch=batch)
        deleted[model._meta.model_name] = rows.count()
        rows.delete()
        model.history.model.objects.filter(import_batch_id=batch.pk).delete()
    batch.status = ImportStatus.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = acting_user
    batch.save(update_fields=["status", "undone_at", "undone_by"])
    log_event(
        action=DataProtectionAction.IMPORT_UNDO,
        acting_user=acting_user,
        obj=batch,
        reason=f"Annulation de l'import n° {batch.pk}",
        details=deleted,
    )
    return batch
