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
- ``method="POST"`` with ``data={...}`` for POST-only views (a GET then expects 405);
  POST entries are not walked by the canary test.
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
    # Second factor (OTP_REQUIRED_ROLES empty here: enrolment is voluntary).
    Entry("otp_setup", expect=EVERYONE),
    Entry("otp_verify", expect={"*": REDIRECT}, note="no device: sent to enrolment"),
    Entry("otp_recovery_codes", expect={"*": REDIRECT}, note="no device: sent to enrolment"),
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


# --- Django admin, as a group ------------------------------------------------------------
# Every URL under admin/ is covered by this group: the index, and for each registered
# model its changelist and add page, for every role (only the admin role is staff).
# Object pages are reached by the canary crawl of the admin role.
ADMIN_PREFIX = "admin:"


def admin_entries() -> list[Entry]:
    from django.contrib import admin

    from iscg.roles import ROLE_PERMISSIONS

    admin_perms = ROLE_PERMISSIONS["admin"]
    # The admin index is login_not_required (Django redirects to its own login page);
    # the other admin views go through LoginRequiredMiddleware first.
    entries = [
        Entry("admin:index", expect={"admin": 200, "*": ADMIN_LOGIN, "anonymous": ADMIN_LOGIN})
    ]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        perm = f"{opts.app_label}.%s_{opts.model_name}"
        can_view = any(perm % action in admin_perms for action in ("view", "change"))
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        entries.append(
            Entry(
                f"{prefix}_changelist",
                expect={"admin": 200 if can_view else 403, "*": ADMIN_LOGIN, "anonymous": LOGIN},
            )
        )
        entries.append(
            Entry(
                f"{prefix}_add",
                expect={
                    "admin": 200 if _admin_can_add(model_admin, perm % "add", admin_perms) else 403,
                    "*": ADMIN_LOGIN,
                    "anonymous": LOGIN,
                },
                canary=False,
            )
        )
    return entries


def _admin_can_add(model_admin, perm, admin_perms) -> bool:
    from django.contrib.admin import ModelAdmin

    overridden = type(model_admin).has_add_permission is not ModelAdmin.has_add_permission
    if overridden:
        return False
    return perm in admin_perms


def all_entries() -> list[Entry]:
    return [*MATRIX, *admin_entries()]


__all__ = ["ROLES", "SCOPES", "Entry", "MATRIX", "register", "all_entries"]
