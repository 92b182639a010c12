"""Bilans made period after period: what the third quarter's bilan says of the second
must not, through the second quarter's bilan, give away the first quarter
(reporting.secrecy.continuity)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from reporting import services
from reporting.models import ReportKind
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy import MASKED, Publication, audit, cells_of
from reporting.secrecy.layout import tables_of
from reporting.secrecy.related import related_publications
from reporting.secrecy.reports import report_masked_figures
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


MONTHS = [
    Period(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31)),
    Period(datetime.date(2026, 8, 1), datetime.date(2026, 8, 31)),
    Period(datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)),
]


def test_a_quarter_minus_its_shown_months_does_not_give_the_masked_month():
    """A post's monthly bilans of July, August and September, then the quarter's: 5, 2 and
    5 files opened (and closed) in the months. The quarter's 12 minus July's and
    September's 5 gave August's 2, masked in its own bilan."""
    ain = DepartmentFactory(code="01")
    post = PostFactory(employer=EmployerFactory(department=ain))
    for month, opened in zip(MONTHS, (5, 2, 5), strict=True):
        for k in range(opened):
            CaseFactory(
                beneficiary__post=post,
                opened_on=month.start + datetime.timedelta(days=k),
                closed_on=month.start + datetime.timedelta(days=10 + k),
                closing_reason="goals_met",
            )
    manager = UserFactory(employer_manager=True, employer=post.employer, department=ain)
    scope = Scope.for_post(post)
    months = [
        services.report_create(
            kind=ReportKind.MONTHLY, period=month, scope=scope, acting_user=manager
        )
        for month in MONTHS
    ]
    quarter = services.report_create(
        kind=ReportKind.QUARTERLY, period=QUARTERS[3], scope=scope, acting_user=manager
    )
    assert all(report.audit_passed for report in [*months, quarter])
    shown = [tables_of(report_masked_figures(report)) for report in [*months, quarter]]
    derived = []
    for key, label in [
        ("activity", "Accompagnements ouverts"),
        ("activity", "Accompagnements clôturés"),
    ]:
        values = [
            next(row["values"][0] for row in tables[key]["rows"] if row["label"] == label)
            for tables in shown
        ]
        *parts, whole = values
        masked = [i for i, value in enumerate(parts) if value == MASKED]
        if whole != MASKED and len(masked) == 1:
            derived.append((label, whole - sum(v for v in parts if v != MASKED)))
    assert derived == []
    publications = [
        Publication(r.figures, cells_of(r.masked_cells), posts=frozenset({post.pk}))
        for r in [*months, quarter]
    ]
    assert audit(publications) == []
    assert set(quarter.audit_report["with_reports"]) == {r.pk for r in months}


def test_a_bilan_joined_to_many_is_protected_by_its_pdf_task(
    post_with_three_quarters, monkeypatch, client
):
    """Past INLINE_JOINED bilans joined (an annual bilan after a year of monthly ones: 55 s
    on the departmental base), the request leaves the secrecy « en cours »: no count
    shown, no validation; the task that makes the PDF decides it, then renders."""
    from reporting.secrecy import reports as secrecy_reports
    from reporting.services.pdf_generation import pdf_generate
    from reporting.services.steps import SECRECY_PENDING

    post, manager = post_with_three_quarters
    first = _make(post, manager, QUARTERS[1])
    monkeypatch.setattr(secrecy_reports, "INLINE_JOINED", 0)
    second = _make(post, manager, QUARTERS[2])
    assert second.audit_passed is None and second.audit_report["pending"]
    assert second.audit_report["with_reports"] == [first.pk]
    shown = report_masked_figures(second)
    assert not [
        v
        for table in tables_of(shown).values()
        for row in [*(r["values"] for r in table["rows"]), table["total"] or []]
        for c, v in enumerate(row)
        if isinstance(v, int) and str(c) not in (table.get("shares") or {})
    ]
    with pytest.raises(ValidationError, match="en cours de calcul"):
        services.report_validate(report=second, acting_user=manager)
    client.force_login(manager)
    page = client.get(reverse("reporting:detail", args=[second.pk])).content.decode()
    assert escape(SECRECY_PENDING) in page and "Valider le bilan" not in page
    assert pdf_generate(report_id=second.pk, worker="test", may_retry=False) == "done"
    second.refresh_from_db()
    assert second.audit_passed is True and "pending" not in second.audit_report
    assert second.audit_report["with_reports"] == [first.pk] and second.masked_cells
    assert second.pdf
    services.report_validate(report=second, acting_user=manager)


def test_an_entry_made_late_between_the_months_and_the_quarter_is_no_error():
    """Monthly bilans of April to June, then a phone contact of 20 May entered late, then
    the quarter: its 28 calls are no longer the months' 10 + 8 + 9. The program had no
    solution and the quarter's creation failed with an error page; the relation the
    frozen counts break is now left out, and the others still hold."""
    from cases.enums import ContactMode
    from tests.cases.factories import AnonymousContactFactory

    ain = DepartmentFactory(code="01")
    post = PostFactory(employer=EmployerFactory(department=ain))
    manager = UserFactory(employer_manager=True, employer=post.employer, department=ain)
    q2 = QUARTERS[2]
    months = [
        Period(datetime.date(2026, m, 1), datetime.date(2026, m + 1, 1) - datetime.timedelta(1))
        for m in (4, 5, 6)
    ]
    for month, phone, on_site in zip(months, (10, 8, 9), (1, 6, 7), strict=True):
        for mode, n in ((ContactMode.PHONE, phone), (ContactMode.IN_PERSON, on_site)):
            AnonymousContactFactory.create_batch(
                n, post=post, mode=mode, occurred_on=month.start + datetime.timedelta(9)
            )
    scope = Scope.for_post(post)
    made = [
        services.report_create(kind=ReportKind.MONTHLY, period=m, scope=scope, acting_user=manager)
        for m in months
    ]
    AnonymousContactFactory(
        post=post, mode=ContactMode.PHONE, occurred_on=datetime.date(2026, 5, 20)
    )
    quarter = services.report_create(
        kind=ReportKind.QUARTERLY, period=q2, scope=scope, acting_user=manager
    )
    assert quarter.audit_passed is True
    # April's 1 on site is still protected: the quarter's 14 is not shown beside May's and
    # June's.
    shown = [tables_of(report_masked_figures(r))["anonymous"] for r in [*made, quarter]]
    on_site = [
        next(row["values"][0] for row in t["rows"] if row["label"] == "Sur place") for t in shown
    ]
    assert on_site[0] == MASKED
    assert on_site[3] == MASKED or MASKED in on_site[1:3]


def post_of_three_people() -> Scope:
    """A post's scope: three people from April 2026, their files closed on 10 July."""
    post = PostFactory(employer=EmployerFactory(department=DepartmentFactory(code="01")))
    for day in range(3):
        CaseFactory(
            beneficiary__post=post,
            opened_on=datetime.date(2026, 4, 1 + day),
            closed_on=datetime.date(2026, 7, 10),
            closing_reason="goals_met",
        )
    scope = Scope.for_post(post)
    return scope


def test_a_table_the_previous_bilan_did_not_have_keeps_its_own_previous_counts():
    """A bilan frozen before a table existed: its rows are not taken for zeros, and the
    bilan carrying it is not sealed (its previous column is computed afresh there)."""
    from reporting import indicators
    from reporting.secrecy.continuity import carry_previous

    scope = post_of_three_people()
    source = indicators.compute(scope, QUARTERS[2])
    source["sections"] = [
        {**s, "tables": [t for t in s["tables"] if t["key"] != "commune"]}
        for s in source["sections"]
    ]
    figures = indicators.compute(scope, QUARTERS[3])
    fresh = {r["label"]: r["values"][1] for r in tables_of(figures)["commune"]["rows"]}
    carry_previous(figures, source, set())
    carried = {r["label"]: r["values"][1] for r in tables_of(figures)["commune"]["rows"]}
    assert carried == fresh and sum(fresh.values()) == 3
    assert figures["continuity"]["sealed"] is False


def test_a_bilan_audited_while_the_task_decided_makes_it_decide_again(
    post_with_three_quarters, monkeypatch
):
    """The PDF task decides a pending bilan's secrecy without the département's lock; a
    bilan audited meanwhile (another request) makes it decide again, with that one."""
    from reporting.secrecy import reports as secrecy_reports
    from reporting.services import pdf_generation

    post, manager = post_with_three_quarters
    first = _make(post, manager, QUARTERS[1])
    monkeypatch.setattr(secrecy_reports, "INLINE_JOINED", 0)
    second = _make(post, manager, QUARTERS[2])
    assert second.audit_report["pending"]
    decided = []
    real_protect = pdf_generation.report_protect

    def protect_meanwhile(report, **kwargs):
        real_protect(report, **kwargs)
        decided.append(list(report.audit_report["with_reports"]))
        if len(decided) == 1:  # a bilan of the third quarter is made meanwhile
            monkeypatch.setattr(secrecy_reports, "INLINE_JOINED", 40)
            decided.append(_make(post, manager, QUARTERS[3]).pk)

    monkeypatch.setattr(pdf_generation, "report_protect", protect_meanwhile)
    pdf_generation._secrecy_completed(second)
    second.refresh_from_db()
    third = decided[1]
    assert decided == [[first.pk], third, [first.pk, third]]
    assert second.audit_passed is True
    assert second.audit_report["with_reports"] == [first.pk, third]


def test_a_previous_bilan_listing_one_label_twice_is_not_carried_for_that_table():
    """A bilan frozen when two reference entries of one label were two rows (« Entretien
    physique » 2 and 3): carried, this bilan's previous column showed 2, the first row
    only, for 5 actes. The table keeps its own previous counts and the bilan is not
    sealed."""
    from reporting import indicators
    from reporting.secrecy.continuity import carry_previous
    from tests.cases.factories import ActionFactory, action_kind

    post = PostFactory(employer=EmployerFactory(department=DepartmentFactory(code="01")))
    case = CaseFactory(beneficiary__post=post, opened_on=datetime.date(2026, 4, 1))
    paris = datetime.timezone(datetime.timedelta(hours=2))
    for day in (*range(1, 6), 80):  # five in May (the second quarter), one in July
        ActionFactory(
            case=case,
            kind=action_kind("entretien-physique"),
            occurred_at=datetime.datetime(2026, 5, 1, 10, tzinfo=paris) + datetime.timedelta(day),
        )
    scope = Scope.for_post(post)
    source = indicators.compute(scope, QUARTERS[2])
    actes = tables_of(source)["actes"]
    assert [r["values"][0] for r in actes["rows"] if r["label"] == "Entretien physique"] == [5]
    row = next(r for r in actes["rows"] if r["label"] == "Entretien physique")
    actes["rows"].append({**row, "values": [3, *row["values"][1:]]})
    row["values"][0] = 2
    figures = indicators.compute(scope, QUARTERS[3])
    carry_previous(figures, source, set())
    carried = {r["label"]: r["values"] for r in tables_of(figures)["actes"]["rows"]}
    assert carried["Entretien physique"] == [1, 5]
    assert figures["continuity"]["sealed"] is False
