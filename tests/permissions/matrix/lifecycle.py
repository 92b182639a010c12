"""The data's lifecycle: imports, archives, register, rights."""

from tests.permissions.matrix.core import (
    OWN,
    REACHED,
    SAME_DEPARTMENT,
    Entry,
    only,
    register,
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
