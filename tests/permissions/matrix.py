"""The permission matrix: one entry per URL name, the expected status per role and scope.

HOW TO ADD A URL (a few lines; the consistency test fails until every pattern is here)::

    Entry(
        "cases:case_detail",              # URL name, with its namespace
        obj="cases.case",                 # builder kind (tests/permissions/builders.py)
        expect={"worker": OWN, "*": 404}, # per role; "*" = every other logged-in role
    ),

- ``obj``: the kind of object the URL is about; the object is built for each scope
  (own, other_unit, other_employer, other_department — see world.py) and passed to
  ``kwargs`` (default ``{"pk": obj.pk}``). Without ``obj`` the URL takes no object and
  is requested once per role (``kwargs`` is then a dict, or a function of the world).
- ``expect``: role -> status, or role -> {scope: status, "*": status}. Statuses are HTTP
  codes or ``LOGIN`` (302 to the login page), ``ADMIN_LOGIN`` (302 to the admin login),
  ``REDIRECT`` (any 302).
  Anonymous defaults to ``LOGIN`` (``PUBLIC`` entries: to the "*" value).
- ``method="POST"`` with ``data={...}`` for POST views; each POST is undone (savepoint
  rolled back) so that every role meets the same world; a GET on it must not answer 200
  unless a GET entry of the same URL name says so. The canary test POSTs them too and
  reads the answers (exports), without following redirects.
- Several entries may share a URL name (e.g. the history page on several models).

Shortcuts: ``OWN`` (200 on own objects, 404 elsewhere), ``OWN_EMPLOYER`` (own and
other_unit, i.e. the user's employer), ``SAME_DEPARTMENT`` (200 within département A, 404
in B), ``EVERYONE`` (200 for every logged-in role); whole expectations ``WORKER_FILE``
(case data), ``UNIT_REFERRAL`` (a referral: its post's workers and its unit's users) and
``only(*roles, ok=..., other=403)``. Examples::

    Entry("cases:case_detail", obj="cases.case", expect=WORKER_FILE),
    Entry("cases:referral_detail", obj="cases.referral", expect=UNIT_REFERRAL),
    Entry("cases:case_export_csv", expect=only("worker")),
    Entry("conventions:list", expect=only("prefecture", "admin", "funder", "employer_manager")),
    Entry(
        "conventions:detail",
        obj="conventions.convention",
        expect={**only("prefecture", "admin", ok=SAME_DEPARTMENT), "funder": OWN,
                "employer_manager": OWN_EMPLOYER},
    ),
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.permissions.world import ROLES, SCOPES

LOGIN = "login"
ADMIN_LOGIN = "admin_login"
REDIRECT = "redirect"

OWN = {"own": 200, "*": 404}
OWN_EMPLOYER = {"own": 200, "other_unit": 200, "*": 404}
SAME_DEPARTMENT = {"other_department": 404, "*": 200}
EVERYONE = {"*": 200}

# Whole expectations for the usual cases.
WORKER_FILE = {"worker": OWN, "*": 404}  # case data: the post's workers only
UNIT_REFERRAL = {"worker": OWN, "unit_agent": OWN, "unit_lead": OWN, "*": 404}


def only(*roles, ok=EVERYONE, other=403) -> dict:
    """``only("admin", "prefecture", ok=SAME_DEPARTMENT)``: those roles ``ok``, others 403."""
    return {**dict.fromkeys(roles, ok), "*": other}


@dataclass
class Entry:
    url_name: str
    expect: dict
    obj: str | None = None
    kwargs: Callable | dict | None = None
    method: str = "GET"
    data: dict | None = None
    public: bool = False
    canary: bool = True
    note: str = ""
    id: str = field(default="")

    def __post_init__(self):
        if not self.id:
            self.id = self.url_name + (f"[{self.obj}]" if self.obj else "")

    def expected(self, role: str, scope: str | None):
        if role == "anonymous" and "anonymous" not in self.expect:
            value = self.expect.get("*") if self.public else LOGIN
        else:
            value = self.expect.get(role, self.expect.get("*"))
        if isinstance(value, dict):
            value = value.get(scope, value.get("*"))
        if value is None:
            raise AssertionError(f"{self.id}: no expectation for {role}/{scope}")
        return value

    def build_kwargs(self, world, obj):
        if self.obj is None:
            if callable(self.kwargs):
                return self.kwargs(world)
            return dict(self.kwargs or {})
        if self.kwargs is None:
            return {"pk": obj.pk}
        return self.kwargs(obj)

    def scopes(self):
        return SCOPES if self.obj else (None,)


def history_kwargs(obj):
    return {"app_label": obj._meta.app_label, "model_name": obj._meta.model_name, "pk": obj.pk}


MATRIX: list[Entry] = []


def register(*entries: Entry) -> None:
    MATRIX.extend(entries)


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


# --- cases: the worker's screens (worker only, even the admin gets 403) ----------------
WORKER_ONLY_OBJECT = {"worker": OWN, "*": 403}
REACHED = 302  # a POST that reached its service, which redirects (done or refused in French)

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

# --- lifecycle: imports, archives, the DPO's register, rights of the people -------------
# The batches are the worker's (uploader of the scope's batches): the employer manager
# reaches only the batches they uploaded themselves.
IMPORT_BATCH = {"worker": OWN, "employer_manager": {"*": 404}, "*": 403}
RIGHTS = {"worker": OWN, "admin": SAME_DEPARTMENT, "*": 403}
register(
    Entry("lifecycle:import_start", expect=only("worker", "employer_manager")),
    *[
        Entry(
            "lifecycle:import_template",
            kwargs={"template": template, "fmt": fmt},
            expect=only("worker", "employer_manager"),
            id=f"lifecycle:import_template[{template}.{fmt}]",
        )
        for template in ("actes", "personnes")
        for fmt in ("csv", "xlsx")
    ],
    Entry("lifecycle:import_preview", obj="lifecycle.importbatch", expect=IMPORT_BATCH),
    Entry(
        "lifecycle:import_preview",
        obj="lifecycle.previewbatch",
        expect=IMPORT_BATCH,
        note="re-read from the stored file: the canary test checks no name is shown",
    ),
    *[
        Entry(
            f"lifecycle:{name}",
            obj=kind,
            method="POST",
            expect={
                "worker": {"own": REACHED, "*": 404},
                "employer_manager": {"*": 404},
                "*": 403,
            },
        )
        for name in ("import_confirm", "import_undo")
        for kind in ("lifecycle.importbatch", "lifecycle.previewbatch")
    ],
    Entry("lifecycle:archive_list", expect=only("admin")),
    Entry("lifecycle:register", expect=only("admin")),
    Entry("lifecycle:archive_open", obj="cases.archived", expect=only("admin", ok=SAME_DEPARTMENT)),
    Entry(
        "lifecycle:archive_open",
        obj="cases.archived",
        method="POST",
        data={"reason": "Demande du procureur de la République"},
        expect=only("admin", ok=SAME_DEPARTMENT),
        id="lifecycle:archive_open[POST]",
        note="the opened archive, read by the canary test: no confidential note",
    ),
    Entry(
        "lifecycle:archive_open",
        obj="cases.beneficiary",
        expect=only("admin", ok=404),
        note="a file still in use is not an archive",
    ),
    *[
        Entry(f"lifecycle:{name}", obj="cases.beneficiary", expect=RIGHTS)
        for name in ("rights", "rights_export", "rights_rectify", "rights_erase")
    ],
    *[
        Entry(
            "lifecycle:rights_export",
            obj="cases.beneficiary",
            method="POST",
            data={"format": fmt, "reason": "Demande écrite de la personne du 2 mars"},
            expect=RIGHTS,
            id=f"lifecycle:rights_export[POST {fmt}]",
            note="the export itself; the admin's (DPO) holds no confidential note",
        )
        for fmt in ("json", "pdf")
    ],
)

# --- conventions --------------------------------------------------------------------------
CONVENTION_READERS = {
    "admin": SAME_DEPARTMENT,
    "prefecture": SAME_DEPARTMENT,
    "employer_manager": OWN_EMPLOYER,
    "funder": OWN_EMPLOYER,  # F1 is a party of the conventions of E1 (own, other_unit)
    "*": 403,
}
CONVENTION_EDITORS = only("admin", "prefecture", ok=SAME_DEPARTMENT)


def convention_item(obj):
    return {"pk": obj.convention_id, "item": obj.pk}


register(
    Entry("conventions:list", expect=only("admin", "prefecture", "employer_manager", "funder")),
    Entry("conventions:create", expect=only("admin", "prefecture")),
    Entry("conventions:dashboard", expect=only("admin", "prefecture")),
    Entry("conventions:dashboard_export", expect=only("admin", "prefecture")),
    Entry("conventions:detail", obj="conventions.convention", expect=CONVENTION_READERS),
    Entry("conventions:plan_export", obj="conventions.convention", expect=CONVENTION_READERS),
    Entry(
        "conventions:document_download",
        obj="conventions.document",
        kwargs=convention_item,
        expect=CONVENTION_READERS,
    ),
    Entry(
        "conventions:amendment_document",
        obj="conventions.amendment",
        kwargs=convention_item,
        expect=CONVENTION_READERS,
    ),
    *[
        Entry(f"conventions:{name}", obj="conventions.convention", expect=CONVENTION_EDITORS)
        for name in (
            "edit",
            "party_add",
            "post_add",
            "budget_set",
            "funding_add",
            "amendment_add",
            "document_add",
        )
    ],
    *[
        Entry(
            f"conventions:{name}",
            obj="conventions.funding",
            kwargs=convention_item,
            expect=CONVENTION_EDITORS,
        )
        for name in ("funding_edit", "payment_add")
    ],
    Entry(
        "conventions:item_delete",
        obj="conventions.funding",
        kwargs=lambda obj: {"pk": obj.convention_id, "kind": "funding", "item": obj.pk},
        method="POST",
        expect=only("admin", "prefecture", ok={"other_department": 404, "*": REACHED}),
    ),
)

# --- reporting: the bilans ------------------------------------------------------------------
REPORT_READERS = {
    "admin": SAME_DEPARTMENT,
    "prefecture": SAME_DEPARTMENT,
    "worker": OWN,
    "employer_manager": OWN_EMPLOYER,
    "funder": OWN_EMPLOYER,  # sent to F1, the funder of the posts of E1
    "unit_lead": OWN,  # a monthly bilan of a post serving their unit
    "*": 404,
}


def _viewers_forbidden(allowed: dict) -> dict:
    """Viewers of the bilan who may not do this get 403; the others never see it (404)."""
    result = {}
    for role, seen in REPORT_READERS.items():
        if role == "*":
            continue
        if isinstance(seen, dict):
            result[role] = {scope: 403 if code == 200 else code for scope, code in seen.items()}
        else:
            result[role] = seen
    result.update(allowed)
    result["*"] = 404
    return result


register(
    Entry(
        "reporting:list",
        expect=only("worker", "employer_manager", "prefecture", "funder", "unit_lead", "admin"),
    ),
    Entry(
        "reporting:dashboard",
        expect=only("worker", "employer_manager", "unit_lead", "prefecture", "funder", "admin"),
    ),
    Entry("reporting:create", expect=only("worker", "employer_manager")),
    Entry("reporting:methodology", expect=EVERYONE),
    Entry("reporting:detail", obj="reporting.report", expect=REPORT_READERS),
    Entry("reporting:status", obj="reporting.report", expect=REPORT_READERS),
    Entry("reporting:download", obj="reporting.report", expect=REPORT_READERS),
    *[
        Entry(
            "reporting:export",
            obj="reporting.report",
            kwargs=lambda obj, fmt=fmt: {"pk": obj.pk, "fmt": fmt},
            expect=REPORT_READERS,
            id=f"reporting:export[{fmt}]",
        )
        for fmt in ("csv", "xlsx")
    ],
    Entry(
        "reporting:evaluation",
        obj="reporting.report",
        kwargs=lambda obj: {"pk": obj.pk, "part": "worker"},
        method="POST",
        data={"worker-text": "Texte"},
        expect=_viewers_forbidden({"worker": {"own": REACHED, "*": 404}}),
        id="reporting:evaluation[worker]",
    ),
    Entry(
        "reporting:evaluation",
        obj="reporting.report",
        kwargs=lambda obj: {"pk": obj.pk, "part": "employer"},
        method="POST",
        data={"employer-text": "Texte"},
        expect=_viewers_forbidden(
            {"employer_manager": {"own": REACHED, "other_unit": REACHED, "*": 404}}
        ),
        id="reporting:evaluation[employer]",
    ),
    *[
        Entry(
            f"reporting:{name}",
            obj="reporting.report",
            method="POST",
            expect=_viewers_forbidden(
                {"employer_manager": {"own": REACHED, "other_unit": REACHED, "*": 404}}
            ),
        )
        for name in ("validate", "send")
    ],
    # The confirmation pages: the world's bilan is already sent, so its manager is sent
    # back to it (the pages themselves are tested in tests/reporting/test_report_steps.py).
    *[
        Entry(
            f"reporting:{name}",
            obj="reporting.report",
            expect=_viewers_forbidden(
                {"employer_manager": {"own": REDIRECT, "other_unit": REDIRECT, "*": 404}}
            ),
            id=f"reporting:{name}[confirmation]",
        )
        for name in ("validate", "send")
    ],
    Entry(
        "reporting:regenerate",
        obj="reporting.report",
        method="POST",
        expect=_viewers_forbidden(
            {
                "employer_manager": {"own": REACHED, "other_unit": REACHED, "*": 404},
                "worker": {"own": REACHED, "*": 404},
            }
        ),
    ),
    Entry(
        "reporting:retry_pdf",
        obj="reporting.report",
        method="POST",
        expect=_viewers_forbidden(
            {
                "employer_manager": {"own": REACHED, "other_unit": REACHED, "*": 404},
                "worker": {"own": REACHED, "*": 404},
            }
        ),
    ),
)

# --- history pages of the other apps' objects --------------------------------------------
register(
    *[
        Entry("history", obj=kind, kwargs=history_kwargs, expect={**CONVENTION_READERS, "*": 404})
        for kind in (
            "conventions.convention",
            "conventions.funding",
            "conventions.document",
            "conventions.amendment",
        )
    ],
    Entry("history", obj="cases.worker_referral", kwargs=history_kwargs, expect=WORKER_FILE),
    Entry("history", obj="reporting.report", kwargs=history_kwargs, expect=REPORT_READERS),
    Entry(
        "history",
        obj="cases.archived",
        kwargs=history_kwargs,
        expect={"*": 404},
        note="an archived file leaves every page but the DPO's archive",
    ),
)


# --- Django admin, as a group ------------------------------------------------------------
# Every URL under admin/ is covered by this group: the index, and for each registered
# model its changelist and add page, for every role. The admin site is the technical
# operator's (superusers): every role, the departmental administrator included, gets 403.
ADMIN_PREFIX = "admin:"


def admin_entries() -> list[Entry]:
    from django.contrib import admin

    # The admin index is login_not_required (Django redirects to its own login page);
    # the other admin views go through LoginRequiredMiddleware first.
    entries = [Entry("admin:index", expect={"*": 403, "anonymous": ADMIN_LOGIN})]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        entries.append(Entry(f"{prefix}_changelist", expect={"*": 403}))
        entries.append(Entry(f"{prefix}_add", expect={"*": 403}, canary=False))
    return entries


def all_entries() -> list[Entry]:
    return [*MATRIX, *admin_entries()]


__all__ = ["ROLES", "SCOPES", "Entry", "MATRIX", "register", "all_entries"]
