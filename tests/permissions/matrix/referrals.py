"""Saisines: the unit's side and the worker's side."""

from tests.permissions.matrix.core import (
    OWN,
    REACHED,
    WORKER_ONLY_OBJECT,
    Entry,
    only,
    register,
)

# --- referrals: the unit's side and the worker's side ------------------------------------
UNIT_SIDE = {"unit_agent": OWN, "unit_lead": OWN, "*": 403}
register(
    Entry("referrals:unit_create", expect=only("unit_agent", "unit_lead")),
    Entry("referrals:unit_list", expect=only("unit_agent", "unit_lead")),
    Entry("referrals:unit_detail", obj="cases.referral", expect=UNIT_SIDE),
    Entry("referrals:unit_confirmation", obj="cases.referral", expect=UNIT_SIDE),
    Entry(
        "referrals:unit_detail",
        obj="cases.worker_referral",
        expect={"unit_agent": 404, "unit_lead": 404, "*": 403},
        note="recorded by the worker, from no unit",
    ),
    Entry("referrals:worker_detail", obj="cases.referral", expect=WORKER_ONLY_OBJECT),
    Entry("referrals:worker_detail", obj="cases.worker_referral", expect=WORKER_ONLY_OBJECT),
    Entry(
        "referrals:take",
        obj="cases.worker_referral",
        method="POST",
        expect={"worker": {"own": REACHED, "*": 404}, "*": 403},
    ),
    Entry("referrals:feedback", obj="cases.referral", expect=WORKER_ONLY_OBJECT),
    Entry("referrals:auto_bulk", expect=only("worker")),
    Entry("referrals:worker_list", expect=only("worker")),
    Entry("referrals:auto_upload", expect=only("worker")),
    Entry("referrals:auto_upload_detail", obj="cases.weekly_summary", expect=WORKER_ONLY_OBJECT),
    Entry(
        "referrals:auto_upload_detail",
        obj="cases.weekly_summary",
        method="POST",
        expect={"worker": {"own": REACHED, "*": 404}, "*": 403},
        note="the uploader's own: the lines hold names as typed",
    ),
    Entry("referrals:auto_template", expect=only("worker")),
)
