from cases.models.beneficiaries import Beneficiary
from cases.models.cases import Action, Case, Orientation
from cases.models.contacts import AnonymousContact
from cases.models.lifecycle import (
    DataProtectionAction,
    DataProtectionEvent,
    ImportBatch,
    ImportStatus,
    ImportTemplate,
)
from cases.models.notifications import Notification
from cases.models.reference import ActionKind, Problem
from cases.models.referrals import Referral, UnitFeedback
from cases.models.unit_visits import ReferralListVisit
from cases.models.weekly_summaries import SummaryStatus, WeeklySummaryUpload

__all__ = [
    "Action",
    "ActionKind",
    "AnonymousContact",
    "Beneficiary",
    "Case",
    "DataProtectionAction",
    "DataProtectionEvent",
    "ImportBatch",
    "ImportStatus",
    "ImportTemplate",
    "Notification",
    "Orientation",
    "Problem",
    "Referral",
    "ReferralListVisit",
    "SummaryStatus",
    "UnitFeedback",
    "WeeklySummaryUpload",
]
