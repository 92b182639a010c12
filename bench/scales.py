"""The two data scales of the benchmark."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    departments: int
    posts_per_department: int
    years: int
    beneficiaries_per_post: int  # over the whole period
    cases_per_beneficiary: float
    actions_per_case: float
    referrals_per_beneficiary: float
    orientations_per_case: float
    feedbacks_per_referral: float
    anonymous_contacts_per_post: int
    access_logs_per_action: float


SCALES = {
    # One département: 4 posts × 10 years ≈ 20,000 beneficiaries, 25,000 cases,
    # 80,000 actes, 30,000 referrals.
    "department": Scale("department", 1, 4, 10, 5_000, 1.25, 3.2, 1.5, 0.8, 0.7, 1_500, 0.5),
    # The scheme: 500 posts in 101 départements × 10 years ≈ 2.5 M beneficiaries,
    # 10 M actes, 3.5 M referrals.
    "national": Scale("national", 101, 5, 10, 5_000, 1.25, 3.2, 1.4, 0.8, 0.7, 1_500, 0.5),
}
