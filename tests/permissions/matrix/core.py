"""The matrix's vocabulary: entries, expectations and their shortcuts."""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.permissions.world import ROLES, SCOPES  # noqa: F401 - ROLES: for the package

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

WORKER_ONLY_OBJECT = {"worker": OWN, "*": 403}
REACHED = 302  # a POST that reached its service, which redirects (done or refused in French)


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
