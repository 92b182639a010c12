"""Who may author a bilan, compute it again, validate and send it, and who validated it."""

from iscg import access
from iscg.enums import Role
from iscg.models import Membership
from reporting.models import Report
from reporting.scope import Scope, ScopeKind


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


def is_scope_worker(user, scope: Scope) -> bool:
    """A worker of the post the bilan is about: their evaluation is the worker's part."""
    return scope.kind == ScopeKind.POST and scope.post_id in access.worked_post_ids(user)


def validator_label(report: Report) -> str:
    """ "Jeanne Martin (responsable employeur)": who validated, by name and role."""
    user = report.validated_by
    if user is None:
        return ""
    name = user.get_full_name() or user.email
    roles = {m.role for m in Membership.objects.active().filter(user=user)}
    role = Role.EMPLOYER_MANAGER if Role.EMPLOYER_MANAGER in roles else next(iter(roles), None)
    return f"{name} ({Role(role).label.lower()})" if role else name
