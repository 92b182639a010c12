"""Bilans made period after period: what the third quarter's bilan says of the second
must not, through the second quarter's bilan, give away the first quarter
(reporting.secrecy.continuity)."""

import datetime

import pytest

from reporting import services
from reporting.models import ReportKind
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy import MASKED, Publication, audit, cells_of
from reporting.secrecy.layout import tables_of
from reporting.secrecy.reports import related_publications, report_masked_figures
from tests.cases.factories import CaseFactory
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    UserFactory,
)

QUARTERS = [
    Period(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
    Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
    Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
]
# People per commune (five communes) in each quarter, each followed within the quarter
# only: found by a search over small tables, the first whose three quarterly bilans,
# each protected with the bilans of its quarter and of the quarter before, let a reader
# of the three narrow a count of 2 of the first quarter to [0, 2].
PEOPLE = [[8, 0, 4, 5, 3], [0, 1, 2, 4, 1], [4, 5, 2, 3, 0], [5, 4, 8, 2, 0]]


@pytest.fixture
def post_with_three_quarters():
    ain = DepartmentFactory(code="01")
    post = PostFactory(employer=EmployerFactory(department=ain))
    communes = [
        CommuneFactory(department=ain, code=f"01{900 + i}", name=f"Commune {i}") for i in range(5)
    ]
    for quarter, counts in zip(QUARTERS, PEOPLE, strict=True):
        for commune, n in zip(communes, counts, strict=True):
            for k in range(n):
                CaseFactory(
                    beneficiary__post=post,
                    beneficiary__commune=commune,
                    opened_on=quarter.start + datetime.timedelta(days=k),
                    closed_on=quarter.start + datetime.timedelta(days=30 + k),
                    closing_reason="goals_met",
                )
    manager = UserFactory(employer_manager=True, employer=post.employer, department=ain)
    return post, manager


def _make(post, manager, quarter):
    return services.report_create(
        kind=ReportKind.QUARTERLY, period=quarter, scope=Scope.for_post(post), acting_user=manager
    )


def test_three_quarters_made_one_after_the_other_are_protected_together(
    post_with_three_quarters,
):
    post, manager = post_with_three_quarters
    reports = [_make(post, manager, quarter) for quarter in QUARTERS[1:]]
    assert all(report.audit_passed for report in reports)
    publications = [
        Publication(r.figures, cells_of(r.masked_cells), posts=frozenset({post.pk}))
        for r in reports
    ]
    assert [(f.publication, f.cell, f.value) for f in audit(publications)] == []


def test_the_previous_column_is_the_previous_bilan_as_it_was_published(
    post_with_three_quarters,
):
    post, manager = post_with_three_quarters
    first, second = (_make(post, manager, quarter) for quarter in QUARTERS[1:3])
    assert second.figures["continuity"] == {"report": first.pk, "sealed": True}
    before = tables_of(report_masked_figures(first))["commune"]
    after = tables_of(report_masked_figures(second))["commune"]
    published = {row["label"]: row["values"][0] for row in before["rows"]}
    for row in after["rows"]:
        assert row["values"][1] == published.get(row["label"], 0), row["label"]
    assert after["total"][1] == before["total"][0]
    assert MASKED in [row["values"][1] for row in after["rows"]]
    # Rows of the second quarter only: commune 4 (one person in the first, none since).
    assert [row["label"] for row in after["rows"] if row["values"][0] == 0] == []
    assert "Commune 4 (01904)" in published
    assert "Commune 4 (01904)" not in [row["label"] for row in after["rows"]]


def test_a_sealed_bilan_ends_the_chain_and_one_that_is_not_extends_it(
    post_with_three_quarters,
):
    post, manager = post_with_three_quarters
    first, second = (_make(post, manager, quarter) for quarter in QUARTERS[1:3])
    third = _make(post, manager, QUARTERS[3])
    assert [pk for pk, _ in related_publications(third)] == [second.pk]
    # Made again after its previous bilan was refused or never made, a bilan computes its
    # previous column afresh: not sealed, it ties the quarter before it to the chain.
    second.figures["continuity"]["sealed"] = False
    second.save(update_fields=["figures"])
    assert [pk for pk, _ in related_publications(third)] == [first.pk, second.pk]
