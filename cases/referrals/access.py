"""Role sets of the referral pages: 403 for a role that may not come here at all (the
technical operator included: referrals hold personal data)."""

from iscg.enums import Role
from iscg.permissions import Roles

UNIT_ROLES = Roles((Role.UNIT_AGENT, Role.UNIT_LEAD))
WORKER_ROLES = Roles((Role.WORKER,))
