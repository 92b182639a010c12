"""The organisation's pages: home, authentication, administration, history."""

from tests.permissions.matrix.core import (
    EVERYONE,
    OWN,
    OWN_EMPLOYER,
    REDIRECT,
    SAME_DEPARTMENT,
    UNIT_REFERRAL,
    WORKER_FILE,
    Entry,
    history_kwargs,
    only,
    register,
)

# --- iscg: home, authentication, public pages, health ---------------------------------
register(
    Entry("home", expect=EVERYONE),
    Entry(
        "login",
        expect={"anonymous": 200, "*": REDIRECT},
        note="an authenticated user is sent home",
    ),
    Entry("logout", method="POST", expect={"*": 302, "anonymous": 302}),
    Entry("password_reset", expect=EVERYONE, public=True),
    Entry("password_reset_done", expect=EVERYONE, public=True),
    Entry(
        "password_reset_confirm",
        kwargs={"uidb64": "MQ", "token": "aucun-jeton"},
        expect=EVERYONE,
        public=True,
        note="an invalid link shows a French explanation",
    ),
    Entry("password_reset_complete", expect=EVERYONE, public=True),
    Entry("accessibility", expect=EVERYONE, public=True),
    Entry("legal_notice", expect=EVERYONE, public=True),
    Entry("personal_data", expect=EVERYONE, public=True),
    Entry("health", expect=EVERYONE, public=True, canary=False),
    Entry("access_log", expect=only("admin")),
    # Second factor (OTP_REQUIRED_ROLES empty here: enrolment is voluntary).
    Entry("otp_setup", expect=EVERYONE),
    Entry("otp_verify", expect={"*": REDIRECT}, note="no device: sent to enrolment"),
    Entry("otp_recovery_codes", expect={"*": REDIRECT}, note="no device: sent to enrolment"),
    # « Mon compte »: one's own account only (no object in the address).
    Entry("account", expect=EVERYONE),
    Entry("password_change", expect=EVERYONE),
    Entry(
        "otp_remove",
        method="POST",
        expect={"*": 302},
        note="without this session's second factor: sent to verification",
    ),
    Entry("sessions_end_others", method="POST", expect={"*": 302}),
)

# --- iscg: the departmental administration's pages ---------------------------------------
ADMINISTRATION = only("admin", ok=SAME_DEPARTMENT)
register(
    Entry("administration:user_list", expect=only("admin")),
    Entry("administration:user_invite", expect=only("admin")),
    Entry("administration:user_detail", obj="iscg.user", expect=ADMINISTRATION),
    Entry("administration:user_edit", obj="iscg.user", expect=ADMINISTRATION),
    Entry("administration:membership_add", obj="iscg.user", expect=ADMINISTRATION),
    Entry(
        "administration:membership_end",
        obj="iscg.membership",
        kwargs=lambda obj: {"pk": obj.user_id, "item": obj.pk},
        expect=ADMINISTRATION,
    ),
    Entry("administration:unit_list", expect=only("admin")),
    Entry("administration:unit_create", expect=only("admin")),
    Entry("administration:unit_edit", obj="iscg.unit", expect=ADMINISTRATION),
    Entry("administration:site_list", expect=only("admin")),
    Entry("administration:site_create", expect=only("admin")),
    Entry("administration:site_edit", obj="iscg.site", expect=ADMINISTRATION),
    Entry("administration:post_list", expect=only("admin")),
    Entry("administration:post_create", expect=only("admin")),
    *[
        Entry(f"administration:{name}", obj="iscg.post", expect=ADMINISTRATION)
        for name in ("post_detail", "post_edit", "holding_add")
    ],
    Entry(
        "administration:holding_end",
        obj="iscg.holding",
        kwargs=lambda obj: {"pk": obj.post_id, "item": obj.pk},
        expect=ADMINISTRATION,
    ),
    *[
        Entry(
            "administration:user_action",
            obj="iscg.user",
            kwargs=lambda obj, action=action: {"pk": obj.pk, "action": action},
            method="POST",
            expect=only("admin", ok={"other_department": 404, "*": REDIRECT}),
            id=f"administration:user_action[{action}]",
        )
        for action in ("deactivate", "reactivate", "otp_reset", "reinvite")
    ],
    Entry("administration:reference_lists", expect=only("admin", ok=REDIRECT)),
    *[
        Entry(
            f"administration:{name}",
            kwargs={"kind": kind},
            expect=only("admin"),
            id=f"administration:{name}[{kind}]",
        )
        for name in ("reference_list", "reference_entry_create")
        for kind in ("problematiques", "types-d-actes", "types-de-partenaires")
    ],
    Entry(
        "administration:reference_entry_edit",
        obj="iscg.own_problem",
        kwargs=lambda obj: {"kind": "problematiques", "pk": obj.pk},
        expect=ADMINISTRATION,
        note="the département's own entry: another département's is never hers",
    ),
    Entry(
        "administration:reference_entry_switch",
        obj="iscg.own_problem",
        kwargs=lambda obj: {"kind": "problematiques", "pk": obj.pk},
        method="POST",
        data={"in_use": "non"},
        expect=only("admin", ok={"other_department": 404, "*": REDIRECT}),
    ),
)

# --- iscg: history pages, on every kind of object with a history -----------------------
register(
    *[
        Entry("history", obj=kind, kwargs=history_kwargs, expect=WORKER_FILE)
        for kind in (
            "cases.beneficiary",
            "cases.case",
            "cases.action",
            "cases.orientation",
            "cases.anonymouscontact",
        )
    ],
    Entry("history", obj="cases.referral", kwargs=history_kwargs, expect=UNIT_REFERRAL),
    Entry(
        "history",
        obj="cases.unitfeedback",
        kwargs=history_kwargs,
        expect={"*": 404},
        note="no visible_to on UnitFeedback: no generic history page",
    ),
    *[
        Entry("history", obj=kind, kwargs=history_kwargs, expect={"*": SAME_DEPARTMENT})
        for kind in ("iscg.employer", "iscg.unit", "iscg.funder", "iscg.site", "partners.partner")
    ],
    Entry(
        "history",
        obj="iscg.post",
        kwargs=history_kwargs,
        expect={
            "worker": OWN,
            "employer_manager": OWN_EMPLOYER,
            "prefecture": SAME_DEPARTMENT,
            "admin": SAME_DEPARTMENT,
            "*": 404,
        },
    ),
    Entry(
        "history",
        obj="iscg.accesslog",
        kwargs=history_kwargs,
        expect={"*": 404},
        note="the access log has no history",
    ),
)
