"""Validating and sending a bilan: when each step applies (one rule, read by the
services, the confirmation pages and the bilan's buttons), and the steps themselves."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from iscg.enums import Role
from iscg.grants import refresh_user_grants
from iscg.models import Membership, User
from outbox.services import outbox_enqueue
from reporting.models import Report, ReportStatus
from reporting.secrecy.reports import report_protect, secrecy_pending
from reporting.services.authors import is_report_manager
from reporting.services.pdf_generation import pdf_restamp

PROVISIONAL_REFUSAL = (
    "Ce bilan est provisoire : sa période n'était pas terminée quand ses chiffres ont été "
    "calculés. Il ne se valide ni ne s'envoie ; calculez-en une nouvelle version une fois la "
    "période écoulée."
)
SECRECY_PENDING = (
    "Le secret statistique de ce bilan est en cours de calcul, avec les autres bilans de "
    "ses périodes et de ses périmètres : ses chiffres s'afficheront et il pourra être validé "
    "dans quelques minutes."
)
AUDIT_REFUSAL = (
    "Le secret statistique ne peut pas être garanti pour ce bilan : avec les bilans déjà "
    "établis pour des périmètres qui recoupent le sien (employeur, postes, unités, "
    "département) et des périodes qui recoupent la sienne, ses chiffres, et même la seule "
    "liste de ses lignes, permettraient de retrouver des effectifs de 1 ou 2. Il ne se "
    "valide ni ne s'envoie, et ne montre aucun chiffre. Les bilans non encore établis des "
    "postes de la même période, et des mois d'un trimestre, sont comptés d'avance dans "
    "l'audit des autres, mais le bilan annuel ne compte pas d'avance les mois et les "
    "trimestres de son année : ce refus vient d'un bilan mensuel ou trimestriel établi après "
    "le bilan annuel qui le contient (établis à leurs échéances, avant lui, ils passent), de "
    "données de la période modifiées depuis que ces bilans ont été établis (un dossier saisi "
    "en retard), ou de bilans établis avant ce calcul d'avance."
)
MANAGER_ONLY = "Seul le responsable de l'employeur peut faire cette action."
VALIDATE, SEND = "validate", "send"
STEP_FROM = {VALIDATE: ReportStatus.DRAFT, SEND: ReportStatus.VALIDATED}
STEP_WRONG_STATUS = {
    VALIDATE: "Ce bilan n'est plus un brouillon : il ne peut pas être validé.",
    SEND: "Seul un bilan validé, et pas encore envoyé, peut être envoyé.",
}
STEP_NOT_LATEST = {
    VALIDATE: "Une version plus récente de ce bilan existe : validez-la.",
    SEND: "Une version plus récente de ce bilan existe : validez-la, puis envoyez-la.",
}


def step_refusal(report: Report, step: str) -> str | None:
    """Why this step does not apply to the bilan now, in French; None when it does."""
    if report.status != STEP_FROM[step]:
        return STEP_WRONG_STATUS[step]
    if not report.is_latest:
        return STEP_NOT_LATEST[step]
    if report.is_provisional:
        return PROVISIONAL_REFUSAL
    if step == VALIDATE and report.audit_passed is False:
        return AUDIT_REFUSAL
    if step == VALIDATE and secrecy_pending(report):
        return SECRECY_PENDING
    return None


def steps_open_to(user, report: Report) -> set[str]:
    """The steps this user may take on the bilan now (its buttons)."""
    if not is_report_manager(user, report):
        return set()
    return {step for step in STEP_FROM if step_refusal(report, step) is None}


def _checked(report: Report, step: str, acting_user) -> Report:
    """The bilan locked and read again (a second tab may have taken the step), the actor
    and the step's rule checked; the caller's instance is the one updated."""
    Report.objects.select_for_update().filter(pk=report.pk).first()
    report.refresh_from_db()
    if acting_user is not None and not is_report_manager(acting_user, report):
        raise PermissionDenied(MANAGER_ONLY)
    refusal = step_refusal(report, step)
    if refusal:
        raise ValidationError(refusal)
    return report


@transaction.atomic
def report_validate(*, report: Report, acting_user) -> Report:
    report = _checked(report, VALIDATE, acting_user)
    if report.audit_passed is None:  # frozen before the audit existed
        # Decided here whatever it costs: left pending, the step would be refused.
        report_protect(report, in_request=False)
        report.save(update_fields=["masked_cells", "audit_passed", "audit_report"])
    if not report.audit_passed:
        raise ValidationError(AUDIT_REFUSAL)
    report.status = ReportStatus.VALIDATED
    report.validated_by = acting_user
    report.validated_at = timezone.now()
    report.save(update_fields=["status", "validated_by", "validated_at"])
    pdf_restamp(report)
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
            if membership.unit.descendant_ids() & {u.pk for u in units}:
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
    report = _checked(report, SEND, acting_user)
    report.status = ReportStatus.SENT
    report.sent_at = timezone.now()
    report.save(update_fields=["status", "sent_at"])
    pdf_restamp(report)
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
