"""A convention's life: who may write it, the statuses it passes through, its tacit
renewal and its expiry.

The services of ``conventions.services`` check the writer and the status before writing:
the views check the role and the département first, the services check them again for
any other caller, and a convention's status follows its life (a draft is signed, in
force, then expired or terminated) instead of being set to anything. The nightly task
renews and expires conventions (``conventions.tasks``).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from conventions.enums import ConventionStatus
from conventions.models import Convention
from conventions.roles import EDIT_ROLES
from iscg import access
from iscg.dates import add_months

# A convention ending within these months is "expiring": alerts, list filter, home.
EXPIRY_WINDOW_MONTHS = 6

# A convention's life: what its status may become (a new one may start at any status, to
# record conventions signed before the application).
STATUS_TRANSITIONS = {
    ConventionStatus.DRAFT: {
        ConventionStatus.SIGNED,
        ConventionStatus.ACTIVE,
        ConventionStatus.TERMINATED,
    },
    ConventionStatus.SIGNED: {
        ConventionStatus.ACTIVE,
        ConventionStatus.EXPIRED,
        ConventionStatus.TERMINATED,
    },
    ConventionStatus.ACTIVE: {ConventionStatus.EXPIRED, ConventionStatus.TERMINATED},
    # Prolonged by an amendment after its end.
    ConventionStatus.EXPIRED: {ConventionStatus.ACTIVE},
    ConventionStatus.TERMINATED: set(),
}


def check_editor(acting_user, convention: Convention) -> None:
    """Only the admin and the préfecture of the convention's département write it, as
    the views check first; a task or the demo acts as nobody (None)."""
    if acting_user is None or acting_user.is_superuser:
        return
    departments = access.department_ids(acting_user, roles=EDIT_ROLES)
    stored = None
    if convention.pk:
        stored = (
            Convention.objects.filter(pk=convention.pk)
            .values_list("employer__department_id", flat=True)
            .first()
        )
    if convention.employer.department_id not in departments or (
        stored is not None and stored not in departments
    ):
        raise PermissionDenied("Vous ne pouvez pas modifier les conventions de ce département.")


def check_status(convention: Convention) -> None:
    if convention.pk is None:
        return
    before = Convention.objects.filter(pk=convention.pk).values_list("status", flat=True).first()
    if before is None or before == convention.status:
        return
    if convention.status not in STATUS_TRANSITIONS[before]:
        raise ValidationError(
            {
                "status": f"Une convention « {ConventionStatus(before).label} » ne peut pas "
                f"devenir « {ConventionStatus(convention.status).label} »."
            }
        )


@transaction.atomic
def conventions_renew(*, today: datetime.date, acting_user=None) -> int:
    """Conventions in force past their end, with tacit renewal, run for another term.

    Each term is as long as the initial one (start to the first end, to the nearest month):
    that is what « reconduction tacite » means when the convention says no more, as in the
    model partnership convention (« conclue pour une durée d'un an reconductible
    tacitement »: renewed year by year). ``initial_end`` keeps the first end, so later terms
    keep that length. A convention whose end lies several terms back catches up, one
    history record per term. A terminated (« résiliée ») convention is
    not in force, so it is never renewed. Returns the number of conventions renewed.
    """
    ended = (
        Convention.objects.select_for_update()
        .in_force()
        .filter(end__lt=today, tacit_renewal=True)
        .order_by("pk")
    )
    count = 0
    for convention in ended:  # one by one, so that the history records each renewal
        months = convention.renewal_months()
        if convention.initial_end is None:
            convention.initial_end = convention.end
        while convention.end < today:
            convention.end = add_months(convention.end + datetime.timedelta(days=1), months)
            convention.end -= datetime.timedelta(days=1)
            convention.notice_deadline = convention.compute_notice_deadline()
            convention._change_reason = f"Reconduction tacite jusqu'au {convention.end:%d/%m/%Y}"
            if acting_user is not None:
                convention._history_user = acting_user
            convention.save(update_fields=["end", "notice_deadline", "initial_end"])
        count += 1
    return count


@transaction.atomic
def conventions_expire(*, today: datetime.date, acting_user=None) -> int:
    """Conventions in force past their end, without tacit renewal, become « expirée »."""
    ended = Convention.objects.in_force().filter(end__lt=today, tacit_renewal=False)
    count = 0
    for convention in ended:  # one by one, so that the history records each change
        convention.status = ConventionStatus.EXPIRED
        convention.save(update_fields=["status"])
        count += 1
    return count
