"""Orientations come in with the activity they belong to.

Reproduced before: the templates had no orientation column, so a post's orientations
could not be imported and its first bilan's orientations table stayed empty.
"""

from cases.enums import OrientationStatus
from cases.lifecycle.imports import services
from cases.lifecycle.imports.columns import template_columns
from cases.models import ImportTemplate, Orientation
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload
from tests.iscg.factories import DepartmentFactory
from tests.partners.factories import PartnerFactory

HEADER = [
    *ACTION_HEADER,
    "Orientation : partenaire",
    "Orientation : date",
    "Orientation : motif",
    "Orientation : suite",
]


def _row(partner="", on="", reason="", status="", **overrides):
    return [*action_row(**overrides), partner, on, reason, status]


def _import(worker, post, rows):
    return services.import_preview(
        post=post, uploaded_file=upload("o.csv", csv_bytes(HEADER, rows)), acting_user=worker
    )


def test_both_templates_offer_the_orientation_columns():
    for template in ImportTemplate.values:
        headers = [column.header for column in template_columns(template)]
        assert "Orientation : partenaire" in headers and "Orientation : suite" in headers


def test_an_orientation_is_imported_with_its_partner_date_reason_and_outcome():
    worker, _, _, post = _world()
    cidff = PartnerFactory(name="CIDFF de l'Ain", department=post.employer.department)
    rows = [
        _row(),
        _row(
            partner="cidff de l’ain",
            on="15/03/2025",
            reason="Accompagnement juridique",
            status="Effectuée",
            **{"Date de l'acte": "12/03/2025"},
        ),
        _row(partner="CIDFF DE L'AIN", **{"Date de l'acte": "20/03/2025"}),
    ]
    batch, parsed = _import(worker, post, rows)
    assert parsed.is_valid, parsed.errors
    assert batch.counts["orientations"] == 2
    services.import_commit(batch=batch, acting_user=worker)
    first, second = Orientation.objects.order_by("oriented_on")
    assert (first.partner, str(first.oriented_on), first.reason, first.status) == (
        cidff,
        "2025-03-15",
        "Accompagnement juridique",
        OrientationStatus.DONE,
    )
    # Without a date, the acte's; without a reason or outcome, said so.
    assert (str(second.oriented_on), second.reason, second.status) == (
        "2025-03-20",
        "Motif non précisé",
        OrientationStatus.PROPOSED,
    )
    assert first.case_id == second.case_id and first.post_id == post.pk
    batch.refresh_from_db()
    services.import_undo(batch=batch, acting_user=worker)
    assert not Orientation.objects.exists()


def test_wrong_orientations_are_reported_on_their_line():
    worker, _, _, post = _world()
    department = post.employer.department
    PartnerFactory(name="France Victimes 01", department=department)
    PartnerFactory(name="Mission locale", department=department)
    PartnerFactory(name="Mission locale", department=department)
    PartnerFactory(name="CIDFF du Rhône", department=DepartmentFactory(code="69"))
    rows = [
        _row(partner="CIDFF du Rhône"),
        _row(partner="Mission locale"),
        _row(on="15/03/2025"),
        _row(partner="France Victimes 01", on="15/02/2025"),  # before the opening (01/03)
        _row(partner="France Victimes 01", status="Peut-être"),
        _row(partner="France Victimes 01", **{"Contact anonyme": "Oui"}),
    ]
    _batch, parsed = _import(worker, post, rows)
    messages = {error.line: error.message for error in parsed.errors}
    assert "absent de l'annuaire des partenaires du département" in messages[2]
    assert "ambigu" in messages[3]
    assert "le partenaire est manquant" in messages[4]
    assert "en dehors de l'accompagnement (ouvert le 01/03/2025)" in messages[5]
    assert "Orientation : suite : « Peut-être » n'est pas une valeur reconnue." in messages[6]
    assert 7 not in messages  # "Contact anonyme" is not a column of this file: ignored
    assert Orientation.objects.count() == 0


def test_an_anonymous_contact_cannot_carry_an_orientation():
    worker, _, _, post = _world()
    PartnerFactory(name="France Victimes 01", department=post.employer.department)
    header = [*HEADER, "Contact anonyme"]
    row = [*_row(partner="France Victimes 01", **{"Nom": "", "Prénom": ""}), "Oui"]
    _batch, parsed = services.import_preview(
        post=post, uploaded_file=upload("o.csv", csv_bytes(header, [row])), acting_user=worker
    )
    assert any("un contact anonyme n'a pas de dossier" in e.message for e in parsed.errors)
