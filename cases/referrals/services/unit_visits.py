"""A unit user's visits to their saisines list: what arrived since the last one is new."""

from django.db import transaction
from django.utils import timezone

from cases.models import ReferralListVisit
from iscg import access
from iscg.enums import Role


@transaction.atomic
def referral_list_visit(*, acting_user):
    """Records a visit of ``acting_user`` to their saisines list now and returns when they
    had last come (None the first time). Only a unit's users have such a list."""
    if not access.has_role(acting_user, Role.UNIT_AGENT, Role.UNIT_LEAD):
        return None
    now = timezone.now()
    visit, created = ReferralListVisit.objects.select_for_update().get_or_create(
        user=acting_user, defaults={"seen_at": now}
    )
    if created:
        return None
    previous = visit.seen_at
    visit.seen_at = now
    visit.save(update_fields=["seen_at"])
    return previous
