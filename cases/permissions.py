"""Role gate of the worker screens: 403 for any other role, 404 outside the user's posts."""

from iscg.enums import Role
from iscg.permissions import Roles, role_required

WORKERS = Roles((Role.WORKER,), refusal="Cette page est réservée aux intervenant·es sociaux.")
worker_required = role_required(WORKERS)
