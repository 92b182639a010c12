"""Every model of the app ``cases``, wherever its feature defines it: Django finds them here,
and the other apps import them from here."""

from cases.files.models.beneficiaries import Beneficiary
from cases.files.models.cases import Action, Case, Orientation
from cases.files.models.contacts import AnonymousContact
from cases.lifecycle.models import (
    DataProtectionAction,
    DataProtectionEvent,
    ImportBatch,
    ImportStatus,
    ImportTemplate,
)
from cases.models.reference import ActionKind, Problem
from cases.referrals.models.notifications import Notification
from cases.referrals.models.referrals import Referral, UnitFeedback
from cases.referrals.models.unit_visits import ReferralListVisit
from cases.referrals.models.weekly_summaries import SummaryStatus, WeeklySummaryUpload

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
