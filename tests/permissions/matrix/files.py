"""The worker's screens on files, and the partners' directory."""

from tests.permissions.matrix.core import (
    REACHED,
    REDIRECT,
    SAME_DEPARTMENT,
    WORKER_ONLY_OBJECT,
    Entry,
    only,
    register,
)

# --- cases: the worker's screens (worker only, even the admin gets 403) ----------------

register(
    *[
        Entry(f"cases:{name}", expect=only("worker"))
        for name in (
            "beneficiary_list",
            "beneficiary_create",
            "partner_search",
            "referral_record",
            "contact_list",
            "contact_create",
            "stale_case_list",
            "todays_action_list",
        )
    ],
    Entry("cases:beneficiary_detail", obj="cases.beneficiary", expect=WORKER_ONLY_OBJECT),
    Entry("cases:beneficiary_update", obj="cases.beneficiary", expect=WORKER_ONLY_OBJECT),
    Entry(
        "cases:case_open",
        obj="cases.beneficiary",
        method="POST",
        expect={"worker": {"own": REACHED, "*": 404}, "*": 403},
    ),
    Entry("cases:case_detail", obj="cases.case", expect=WORKER_ONLY_OBJECT),
    Entry(
        "cases:action_create",
        obj="cases.case",
        method="POST",
        expect={"worker": {"own": 400, "*": 404}, "*": 403},
        note="an empty acte: the form comes back with its errors (400)",
    ),
    Entry(
        "cases:case_close",
        obj="cases.case",
        method="POST",
        expect={"worker": {"own": 400, "*": 404}, "*": 403},
        note="no reason given: the form comes back with its errors (400)",
    ),
    Entry(
        "cases:case_reopen",
        obj="cases.case",
        method="POST",
        expect={"worker": {"own": REACHED, "*": 404}, "*": 403},
    ),
    Entry("cases:action_correct", obj="cases.action", expect=WORKER_ONLY_OBJECT),
    Entry("cases:action_withdraw", obj="cases.action", expect=WORKER_ONLY_OBJECT),
    Entry(
        "cases:action_withdraw",
        obj="cases.action",
        method="POST",
        data={"reason": "Saisi dans le mauvais dossier"},
        expect={"worker": {"own": REACHED, "*": 404}, "*": 403},
    ),
    Entry(
        "cases:action_correct",
        obj="cases.action",
        method="POST",
        expect={"worker": {"own": 400, "*": 404}, "*": 403},
        note="no reason given: the form comes back with its errors (400)",
    ),
    Entry("cases:orientation_create", obj="cases.case", expect=WORKER_ONLY_OBJECT),
    Entry("cases:partner_quick_create", obj="cases.case", expect=WORKER_ONLY_OBJECT),
    Entry("cases:orientation_update", obj="cases.orientation", expect=WORKER_ONLY_OBJECT),
    Entry("cases:referral_take", obj="cases.worker_referral", expect=WORKER_ONLY_OBJECT),
    Entry(
        "cases:referral_take",
        obj="cases.referral",
        expect={"worker": {"own": REDIRECT, "*": 404}, "*": 403},
        note="already taken: sent to its case",
    ),
)

# --- partners: the directory (workers and the admin, within their département) ----------
register(
    Entry("partners:partner_list", expect=only("worker", "admin")),
    Entry(
        "partners:partner_detail",
        obj="partners.partner",
        expect=only("worker", "admin", ok=SAME_DEPARTMENT),
    ),
    Entry(
        "partners:partner_edit",
        obj="partners.partner",
        expect=only("admin", ok=SAME_DEPARTMENT),
    ),
)
