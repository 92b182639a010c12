"""Bilans."""

from tests.permissions.matrix.core import (
    EVERYONE,
    OWN,
    OWN_EMPLOYER,
    REACHED,
    REDIRECT,
    SAME_DEPARTMENT,
    Entry,
    only,
    register,
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
