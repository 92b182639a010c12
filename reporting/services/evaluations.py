"""The bilan's qualitative evaluation: the worker's part and the employer's part."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reporting import evaluation
from reporting.models import Report, ReportStatus
from reporting.services.authors import is_report_manager, is_report_worker
from reporting.services.pdf_generation import pdf_restamp


@transaction.atomic
def report_update_evaluation(
    *,
    report: Report,
    part: str,
    acting_user,
    text: str,
    answers: dict | None = None,
    seen: str | None = None,
) -> Report:
    """One part of the qualitative evaluation: the answers to the cahier des charges'
    questions (reporting.evaluation; None leaves them as they are) and the other
    observations. The worker writes theirs, the employer manager the employer's.

    ``seen``: the version the form showed; a newer one (another tab, the post's other
    worker) is refused under the row lock, code "conflict", rather than overwritten."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    allowed = {"worker": is_report_worker, "employer": is_report_manager}.get(part)
    if allowed is None:
        raise ValidationError("Partie de l'évaluation inconnue.")
    if acting_user is not None and not allowed(acting_user, report):
        raise PermissionDenied("Cette partie de l'évaluation ne vous revient pas.")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Un bilan validé ne se modifie plus : créez une nouvelle version.")
    if seen and seen != evaluation.version(report, part):
        change = report.history.order_by("-history_id").first()
        who = change.history_user.get_full_name() if change and change.history_user else None
        when = timezone.localtime(change.history_date) if change else None
        by = f" par {who}" if who else ""
        on = f", le {when:%d/%m/%Y à %H:%M}" if when else ""
        raise ValidationError(
            f"Cette évaluation a été modifiée entre-temps{by}{on}. Vos réponses sont "
            "conservées ci-dessous : vérifiez-les, puis enregistrez à nouveau pour remplacer "
            "la version enregistrée.",
            code="conflict",
        )
    answers_field, text_field = evaluation.PARTS[part]
    fields = [text_field]
    setattr(report, text_field, text.strip())
    if answers is not None:
        unknown = set(answers) - set(evaluation.KEYS)
        if unknown:
            raise ValidationError("Question d'évaluation inconnue.")
        kept = {key: value.strip() for key, value in answers.items() if value and value.strip()}
        setattr(report, answers_field, kept)
        fields.append(answers_field)
    report.save(update_fields=fields)
    # The PDF carries the evaluation: produce it again.
    pdf_restamp(report)
    return report
