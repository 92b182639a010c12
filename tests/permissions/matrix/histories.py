"""History pages of the other apps' objects."""

from tests.permissions.matrix.conventions import CONVENTION_READERS
from tests.permissions.matrix.core import (
    WORKER_FILE,
    Entry,
    history_kwargs,
    register,
)
from tests.permissions.matrix.reports import REPORT_READERS

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
