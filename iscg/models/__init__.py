from iscg.models.audit import AccessAction, AccessLog
from iscg.models.geography import Commune, Department
from iscg.models.organisation import Employer, Funder, Post, PostHolding, Site, Unit
from iscg.models.permissions import (
    EmployerUserObjectPermission,
    PostUserObjectPermission,
    UnitUserObjectPermission,
)
from iscg.models.schedules import SiteOpening
from iscg.models.sessions import AccountSession
from iscg.models.submissions import Submission
from iscg.models.users import Membership, User

__all__ = [
    "AccessAction",
    "AccountSession",
    "AccessLog",
    "Commune",
    "Department",
    "Employer",
    "EmployerUserObjectPermission",
    "Funder",
    "Membership",
    "Post",
    "PostHolding",
    "PostUserObjectPermission",
    "Site",
    "SiteOpening",
    "Submission",
    "Unit",
    "UnitUserObjectPermission",
    "User",
]
