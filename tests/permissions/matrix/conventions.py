"""Conventions."""

from tests.permissions.matrix.core import (
    OWN_EMPLOYER,
    REACHED,
    SAME_DEPARTMENT,
    Entry,
    only,
    register,
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
