"""Bilans: creation (figures frozen at once), new versions, evaluations, validation, sending."""

import logging

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from iscg import access
from iscg.dispatch import dispatch_on_commit
from iscg.enums import Role
from iscg.grants import refresh_user_grants
from iscg.models import Funder, Membership, Unit, User
from outbox.services import outbox_enqueue
from reporting import evaluation, indicators
from reporting.models import GenerationState, Report, ReportKind, ReportStatus
from reporting.periods import Period, period_problem
from reporting.scope import Scope, ScopeKind
from reporting.secrecy.reports import report_protect

logger = logging.getLogger(__name__)


def funder_ids_covering(*, post_ids, start, end) -> set[int]:
    """Funders of the conventions covering these posts (empty without the conventions app)."""
    if not apps.is_installed("conventions"):
        return set()
    try:
        from conventions.selectors import funder_ids_covering as covering
    except ImportError:
        return set()
    return set(covering(post_ids=post_ids, start=start, end=end))


def _recipients(report: Report):
    scope = report.scope
    post_ids = list(scope.post_ids().values_list("pk", flat=True))
    funders = funder_ids_covering(
        post_ids=post_ids, start=report.period_start, end=report.period_end
    )
    report.recipient_funders.set(Funder.objects.filter(pk__in=funders))
    if report.kind == ReportKind.MONTHLY:
        report.recipient_units.set(
            Unit.objects.filter(posts__in=post_ids, department_id=report.department_id)
            .distinct()
            .values_list("pk", flat=True)
        )
    else:
        report.recipient_units.clear()


def can_author(user, scope: Scope) -> bool:
    """Workers: a bilan of a post they work on. Employer managers: their employer's
    posts, the employer, or a unit served by them (restricted to their posts)."""
    if scope.kind == ScopeKind.POST and scope.post_id in access.worked_post_ids(user):
        return True
    if access.has_role(user, Role.EMPLOYER_MANAGER) and scope.employer_id:
        return access.managed_employer_ids(user).filter(
            content_object_id=scope.employer_id
        ).exists() and scope.kind in (ScopeKind.EMPLOYER, ScopeKind.POST, ScopeKind.UNIT)
    return False


def is_report_manager(user, report: Report) -> bool:
    return (
        bool(report.employer_id)
        and access.managed_employer_ids(user).filter(content_object_id=report.employer_id).exists()
    )


def is_report_worker(user, report: Report) -> bool:
    return bool(report.scope_post_id) and report.scope_post_id in access.worked_post_ids(user)


def is_report_author(user, report: Report) -> bool:
    """Its employer's manager or a worker of its post: who may compute it again or
    restart its PDF."""
    return is_report_manager(user, report) or is_report_worker(user, report)


def _freeze(report: Report) -> None:
    """The figures, and the statistical secrecy decided with them (see reporting.secrecy)."""
    report.figures, report.sources = indicators.compute_with_sources(report.scope, report.period)
    report.computed_at = timezone.now()
    report_protect(report)


def _dispatch_pdf(report: Report) -> None:
    from reporting.tasks import generate_report_pdf

    dispatch_on_commit(generate_report_pdf, report.pk)


def _restamp_pdf(report: Report) -> None:
    """The PDF states the bilan's status, who validated it and when it was sent: each step
    makes it again, so that a recipient never downloads a document stamped "Brouillon"."""
    _request_pdf(report)
    report.save(update_fields=PDF_REQUEST_FIELDS)
    _dispatch_pdf(report)


PDF_REQUEST_FIELDS = [
    "generation_state",
    "generation_error",
    "generation_requested_at",
    "generation_attempts",
    "generation_worker",
]


def _request_pdf(report: Report) -> None:
    """A new PDF is asked for: its attempts are counted from zero (reporting.tasks)."""
    report.generation_state = GenerationState.PENDING
    report.generation_error = ""
    report.generation_requested_at = timezone.now()
    report.generation_attempts = 0
    report.generation_worker = ""


@transaction.atomic
def report_pdf_retry(*, report: Report, acting_user) -> Report:
    """ "Relancer": a PDF stopped after its attempts (or failing) is started again."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not is_report_author(acting_user, report):
        raise PermissionDenied("Vous ne pouvez pas relancer la production de ce PDF.")
    if report.generation_state != GenerationState.FAILED:
        raise ValidationError("La production de ce PDF n'a pas échoué : rien à relancer.")
    _restamp_pdf(report)
    return report


PROVISIONAL_REFUSAL = (
    "Ce bilan est provisoire : sa période n'était pas terminée quand ses chiffres ont été "
    "calculés. Il ne se valide ni ne s'envoie ; calculez-en une nouvelle version une fois la "
    "période écoulée."
)


def validator_label(report: Report) -> str:
    """ "Jeanne Martin (responsable employeur)": who validated, by name and role."""
    user = report.validated_by
    if user is None:
        return ""
    name = user.get_full_name() or user.email
    roles = {m.role for m in Membership.objects.active().filter(user=user)}
    role = Role.EMPLOYER_MANAGER if Role.EMPLOYER_MANAGER in roles else next(iter(roles), None)
    return f"{name} ({Role(role).label.lower()})" if role else name


@transaction.atomic
def report_create(
    *, kind: str, period: Period, scope: Scope, acting_user, worker_evaluation: str = ""
) -> Report:
    if acting_user is not None and not can_author(acting_user, scope):
        raise PermissionDenied("Vous ne pouvez pas établir un bilan sur ce périmètre.")
    if kind not in ReportKind.values:
        raise ValidationError("Type de bilan inconnu.")
    problem = period_problem(kind, period, timezone.localdate())
    if problem:
        raise ValidationError({"preset": problem})
    employer_id = scope.employer_id
    if scope.kind == ScopeKind.POST and not employer_id:
        from iscg.models import Post

        employer_id = Post.objects.get(pk=scope.post_id).employer_id
    # One version series per scope, kind and period: asked again, the bilan is computed
    # anew as its next version, carrying the evaluations over.
    latest = (
        Report.objects.of_series(
            department_id=scope.department_id,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            scope=Scope(scope.kind, scope.department_id, employer_id, scope.post_id, scope.unit_id),
        )
        .latest_versions()
        .order_by("-version")
        .first()
    )
    if latest is not None:
        new = report_regenerate(report=latest, acting_user=acting_user)
        if worker_evaluation.strip():  # typed in the creation form: not lost
            new.worker_evaluation = worker_evaluation.strip()
            new.save(update_fields=["worker_evaluation"])
        return new
    report = Report(
        department_id=scope.department_id,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        scope_kind=scope.kind,
        employer_id=employer_id,
        scope_post_id=scope.post_id,
        scope_unit_id=scope.unit_id,
        scope_label=scope.label(),
        created_by=acting_user or User.objects.filter(is_superuser=True).first(),
        worker_evaluation=worker_evaluation,
    )
    _freeze(report)
    # The frozen figures and the secrecy mask and audit are computed, never typed in.
    report.full_clean(exclude=["created_by", "figures", "masked_cells", "audit_report"])
    report.save()
    _recipients(report)
    _dispatch_pdf(report)
    return report


@transaction.atomic
def report_regenerate(*, report: Report, acting_user) -> Report:
    """A new version computed from today's data; the old one stays as it was."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_latest:
        raise ValidationError("Une version plus récente de ce bilan existe déjà.")
    new = Report.objects.get(pk=report.pk)
    new.pk = None
    new.id = None
    new._state.adding = True
    new.version = report.version + 1
    new.previous_version = report
    new.status = ReportStatus.DRAFT
    new.validated_by = None
    new.validated_at = None
    new.sent_at = None
    new.pdf = ""
    _request_pdf(new)
    new.created_by = acting_user or report.created_by
    _freeze(new)
    new.save()
    _recipients(new)
    _dispatch_pdf(new)
    return new


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
    _restamp_pdf(report)
    return report


@transaction.atomic
def report_validate(*, report: Report, acting_user) -> Report:
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Seul un bilan en brouillon peut être validé.")
    if not report.is_latest:
        raise ValidationError("Une version plus récente de ce bilan existe : validez-la.")
    if report.is_provisional:
        raise ValidationError(PROVISIONAL_REFUSAL)
    if report.audit_passed is None:  # frozen before the audit existed
        report_protect(report)
        report.save(update_fields=["masked_cells", "audit_passed", "audit_report"])
    if not report.audit_passed:
        raise ValidationError(
            "L'audit du secret statistique n'est pas réussi : des effectifs de 1 ou 2 "
            "resteraient calculables à partir des bilans déjà diffusés. Recalculez le bilan."
        )
    report.status = ReportStatus.VALIDATED
    report.validated_by = acting_user
    report.validated_at = timezone.now()
    report.save(update_fields=["status", "validated_by", "validated_at"])
    _restamp_pdf(report)
    return report


def recipient_users(report: Report):
    memberships = Membership.objects.active().filter(user__is_active=True)
    users = set(
        memberships.filter(role=Role.FUNDER, funder__in=report.recipient_funders.all()).values_list(
            "user_id", flat=True
        )
    )
    users.update(
        memberships.filter(role=Role.PREFECTURE, department_id=report.department_id).values_list(
            "user_id", flat=True
        )
    )
    if report.employer_id:
        users.update(
            memberships.filter(
                role=Role.EMPLOYER_MANAGER, employer_id=report.employer_id
            ).values_list("user_id", flat=True)
        )
    units = list(report.recipient_units.all())
    if units:
        for membership in memberships.filter(role=Role.UNIT_LEAD).select_related("unit"):
            if {u.pk for u in membership.unit.descendants()} & {u.pk for u in units}:
                users.add(membership.user_id)
    return User.objects.filter(pk__in=users)


def recipient_list(report: Report) -> list[dict]:
    """Who will be e-mailed when the bilan is sent: name, address, role and organisation."""
    users = recipient_users(report).order_by("last_name", "first_name")
    memberships = (
        Membership.objects.active()
        .filter(user__in=users, department_id=report.department_id)
        .select_related("funder", "employer", "unit", "department")
    )
    roles: dict[int, list[str]] = {}
    for membership in memberships:
        where = membership.funder or membership.employer or membership.unit or membership.department
        roles.setdefault(membership.user_id, []).append(f"{membership.get_role_display()}, {where}")
    return [
        {
            "name": user.get_full_name() or user.email,
            "email": user.email,
            "roles": "; ".join(sorted(set(roles.get(user.pk, [])))),
        }
        for user in users
    ]


@transaction.atomic
def report_send(*, report: Report, acting_user) -> Report:
    if report.status != ReportStatus.VALIDATED:
        raise ValidationError("Validez le bilan avant de l'envoyer.")
    if report.is_provisional:
        raise ValidationError(PROVISIONAL_REFUSAL)
    report.status = ReportStatus.SENT
    report.sent_at = timezone.now()
    report.save(update_fields=["status", "sent_at"])
    _restamp_pdf(report)
    users = list(recipient_users(report))
    refresh_user_grants(*users)
    url = settings.SITE_URL.rstrip("/") + reverse("reporting:detail", args=[report.pk])
    # No personal data: the kind, period and scope of the bilan, and a link.
    subject = f"[ISCG] {report} disponible"
    body = (
        f"Bonjour,\n\nLe {str(report).lower()} ({report.scope_label}) a été validé et vous "
        f"est transmis.\nVous pouvez le consulter et le télécharger après connexion :\n{url}\n\n"
        "Ce message est envoyé automatiquement, merci de ne pas y répondre."
    )
    outbox_enqueue(
        event_key=report_sent_event(report),
        recipients=[user.email for user in users],
        subject=subject,
        body=body,
    )
    return report


def report_sent_event(report: Report) -> str:
    """The outbox event of a bilan's sending: the page shows its e-mails' state."""
    return f"report_sent:{report.pk}"
