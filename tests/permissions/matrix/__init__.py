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

from tests.permissions.matrix import (  # noqa: F401 - each section registers its entries
    conventions,
    files,
    histories,
    lifecycle,
    organisation,
    referrals,
    reports,
)
from tests.permissions.matrix.core import (
    ADMIN_LOGIN,
    ADMIN_PREFIX,
    LOGIN,
    MATRIX,
    REDIRECT,
    ROLES,
    SCOPES,
    Entry,
    admin_entries,
    register,
)


def all_entries() -> list[Entry]:
    return [*MATRIX, *admin_entries()]


__all__ = [
    "ADMIN_LOGIN",
    "ADMIN_PREFIX",
    "LOGIN",
    "MATRIX",
    "REDIRECT",
    "ROLES",
    "SCOPES",
    "Entry",
    "all_entries",
    "register",
]
