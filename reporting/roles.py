"""Who opens the bilans' pages (iscg.permissions), declared once for the views, the menu
and the home blocks. What each then reads is ``Report.objects.visible_to``'s business and
the scopes of ``reporting.live_scopes``."""

from iscg.enums import Role
from iscg.permissions import Roles

# Every role that reads bilans; the technical operator too (the list, not the figures).
LIST_ROLES = Roles(
    (
        Role.WORKER,
        Role.EMPLOYER_MANAGER,
        Role.PREFECTURE,
        Role.FUNDER,
        Role.UNIT_LEAD,
        Role.ADMIN,
    ),
    superuser=True,
)
# Those who steer the scheme, and the workers: the live statistics of their scopes.
LIVE_ROLES = Roles(tuple(LIST_ROLES))
# Who writes bilans: the workers of a post, the employer's manager.
AUTHOR_ROLES = Roles((Role.WORKER, Role.EMPLOYER_MANAGER))
