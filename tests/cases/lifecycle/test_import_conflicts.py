"""One person described differently on two lines of an import: said in the preview.

Reproduced before: conflicting values for one person across rows were settled silently
by the first row.
"""

from cases.lifecycle.imports import services
from cases.models import Beneficiary
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload
from tests.iscg.factories import CommuneFactory


def _preview(worker, post, rows):
    return services.import_preview(
        post=post, uploaded_file=upload("a.csv", csv_bytes(ACTION_HEADER, rows)), acting_user=worker
    )


def test_a_person_described_differently_is_reported_line_against_line():
    worker, _, _, post = _world()
    CommuneFactory(code="01093", name="Châtillon", department=post.employer.department)
    batch, parsed = _preview(
        worker,
        post,
        [
            action_row(),
            action_row(**{"Sexe": "Homme", "Code commune (INSEE)": "01093"}),
            action_row(**{"Sexe": "", "Situation familiale": ""}),  # unknown: no conflict
        ],
    )
    assert parsed.is_valid
    assert batch.report["warnings"] == [
        "Ligne 3 : la même personne qu'à la ligne 2 y est décrite autrement (sexe, commune) ; "
        "les valeurs de la ligne 2 sont retenues. Corrigez le fichier si elles ne sont pas "
        "les bonnes."
    ]
    assert "DURAND" not in " ".join(batch.report["warnings"])
    services.import_commit(batch=batch, acting_user=worker)
    person = Beneficiary.objects.get()
    assert person.sex == "F"


def test_the_same_description_on_every_line_says_nothing():
    worker, _, _, post = _world()
    batch, _ = _preview(worker, post, [action_row(), action_row()])
    assert batch.report["warnings"] == []
