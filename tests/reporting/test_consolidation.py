"""Consolidated figures: the frozen rows of the employers' bilans, added up, give the
figures computed directly over all their posts."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command

from cases.enums import AgeBand, ContactMode, OrientationStatus, Profile, ReferralOrigin, Sex
from iscg.models import Post
from reporting import indicators, services
from reporting.consolidation import consolidate
from reporting.indicators import tables_by_key
from reporting.models import Report, ReportKind, ReportStatus
from reporting.periods import Period
from reporting.scope import Scope
from tests.cases.factories import (
    ActionFactory,
    AnonymousContactFactory,
    BeneficiaryFactory,
    CaseFactory,
    OrientationFactory,
    ReferralFactory,
    action_kind,
    problem,
)
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
)
from tests.partners.factories import PartnerFactory, partner_kind

YEAR = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
KINDS = ["entretien-physique", "entretien-telephonique", "signalement-procureur"]
PROBLEMS = ["violences-conjugales", "precarite"]


class PostsScope(Scope):
    """Given posts, whatever their département: the direct computation to compare with."""

    def __new__(cls, post_ids):
        scope = super().__new__(cls)
        object.__setattr__(scope, "_posts", post_ids)
        return scope

    def __init__(self, post_ids):
        super().__init__("department", 0)

    def post_ids(self):
        return Post.objects.filter(pk__in=self._posts).values("pk")


def _day(rng, year):
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def _activity(rng, employer, communes):
    department = employer.department
    unit = UnitFactory(department=department)
    site = SiteFactory(department=department)
    post = PostFactory(employer=employer, units=[unit], sites=[site])
    worker = UserFactory(worker=True, post=post, department=department)
    partner = PartnerFactory(department=department, kind=partner_kind(rng.choice(["cidff", "caf"])))
    for _ in range(12):
        beneficiary = BeneficiaryFactory(
            post=post,
            created_by=worker,
            profile=rng.choice(list(Profile.values)),
            sex=rng.choice([Sex.FEMALE, Sex.MALE]),
            birth_date=None,
            birth_year=rng.choice([None, 1960, 1990, 2009]),
            age_band=AgeBand.AGE_25_34,
            commune=rng.choice(communes),
        )
        for _ in range(rng.choice([1, 1, 2])):
            opened = _day(rng, rng.choice([2024, 2025]))
            closed = opened + datetime.timedelta(days=rng.randrange(400))
            closed = closed if closed < datetime.date(2025, 12, 31) and rng.random() < 0.7 else None
            case = CaseFactory(
                beneficiary=beneficiary,
                post=post,
                opened_on=opened,
                closed_on=closed,
                closing_reason="goals_met" if closed else "",
                created_by=worker,
            )
            when = datetime.datetime.combine(
                max(opened, datetime.date(2024, 1, 2)), datetime.time(10), tzinfo=datetime.UTC
            )
            ActionFactory(
                case=case, kind=action_kind(rng.choice(KINDS)), occurred_at=when, site=site
            )
            OrientationFactory(
                case=case,
                partner=partner,
                oriented_on=opened,
                status=rng.choice(list(OrientationStatus.values)),
            )
        ReferralFactory(
            post=post,
            received_at=datetime.datetime.combine(
                _day(rng, rng.choice([2024, 2025])), datetime.time(9), tzinfo=datetime.UTC
            ),
            source_unit=unit,
            origin=rng.choice([ReferralOrigin.FSI_DIRECT, ReferralOrigin.FSI_INDIRECT]),
            main_problem=problem(rng.choice(PROBLEMS)),
        )
        AnonymousContactFactory(
            post=post,
            occurred_on=_day(rng, rng.choice([2024, 2025])),
            mode=rng.choice([ContactMode.PHONE, ContactMode.IN_PERSON]),
            author=worker,
        )
    return post


def _bilan(employer, status=ReportStatus.VALIDATED):
    manager = UserFactory(employer_manager=True, employer=employer, department=employer.department)
    report = services.report_create(
        kind=ReportKind.ANNUAL,
        period=YEAR,
        scope=Scope.for_employer(employer),
        acting_user=manager,
    )
    Report.objects.filter(pk=report.pk).update(status=status)
    return report


@pytest.fixture
def two_departments():
    rng = random.Random(2025)
    ain, rhone = DepartmentFactory(code="01"), DepartmentFactory(code="69")
    communes = [
        CommuneFactory(department=ain, code="01001", name="Ambérieu"),
        CommuneFactory(department=rhone, code="69001", name="Lyon"),
        None,
    ]
    employers = [EmployerFactory(department=ain), EmployerFactory(department=rhone)]
    posts = [_activity(rng, employer, communes) for employer in employers]
    return employers, posts


def test_consolidated_figures_equal_the_figures_computed_over_all_posts(two_departments):
    employers, posts = two_departments
    for employer in employers:
        _bilan(employer)
    direct = tables_by_key(indicators.compute(PostsScope([p.pk for p in posts]), YEAR))
    result = consolidate(period=YEAR)
    consolidated = tables_by_key(result.figures)

    assert len(result.reports) == 2 and result.missing == []
    assert direct["activity"]["rows"][0]["values"][0] > 0  # people were accompanied
    assert set(consolidated) == set(direct)
    for key in direct:
        if key not in ("residence", "commune"):  # see below
            assert consolidated[key] == direct[key], key
    # The communes of residence, added up by département (one commune in each here).
    ain, rhone = (employer.department for employer in employers)
    renamed = {
        "Ambérieu (01001)": f"{ain.name} (01)",
        "Lyon (69001)": f"{rhone.name} (69)",
        "Commune non renseignée": "Commune non renseignée",
    }
    by_department = consolidated["commune"]
    assert by_department["title"] == "Personnes accompagnées par département de résidence"
    assert {row["label"]: row["values"] for row in by_department["rows"]} == {
        renamed[row["label"]]: row["values"] for row in direct["commune"]["rows"]
    }
    assert by_department["total"] == direct["commune"]["total"]
    # Residence: in the département of the bilan that counted the person.
    own = [
        tables_by_key(indicators.compute(Scope.for_employer(e), YEAR))["residence"]
        for e in employers
    ]
    inside = sum(t["rows"][0]["values"][0] for t in own)
    assert consolidated["residence"]["rows"][0]["values"][0] == inside


def test_only_the_latest_validated_version_of_each_employer_is_added_up(two_departments):
    employers, posts = two_departments
    _bilan(employers[0], status=ReportStatus.DRAFT)
    first = _bilan(employers[1])
    second = _bilan(employers[1], status=ReportStatus.SENT)
    Report.objects.filter(pk=second.pk).update(version=2, previous_version=first)

    draft = _bilan(employers[1], status=ReportStatus.DRAFT)  # a third version, not validated
    Report.objects.filter(pk=draft.pk).update(version=3, previous_version=second)

    result = consolidate(period=YEAR)
    assert [report_id for report_id, _, _ in result.reports] == [second.pk]
    assert result.missing == [("01", employers[0].name)]
    # Only the Rhône's activity is in the figures.
    rhone = indicators.compute(Scope.for_employer(employers[1]), YEAR)
    assert tables_by_key(result.figures)["actes"] == tables_by_key(rhone)["actes"]
    # Restricted to the Ain, nothing is consolidated and the Ain's employer is missing.
    ain_only = consolidate(period=YEAR, department_ids=[employers[0].department_id])
    assert ain_only.reports == [] and ain_only.missing == [("01", employers[0].name)]


def test_consolidation_reads_no_file_acte_or_referral(
    two_departments, django_assert_max_num_queries
):
    employers, _ = two_departments
    for employer in employers:
        _bilan(employer)
    # The bilans, the employers without one, the départements' names.
    with django_assert_max_num_queries(3) as captured:
        consolidate(period=YEAR)
    assert not any('"cases_' in query["sql"] for query in captured.captured_queries)


def test_the_command_prints_the_key_figures_and_writes_the_tables(two_departments, tmp_path):
    from io import StringIO

    from openpyxl import load_workbook

    employers, _ = two_departments
    _bilan(employers[0])
    out = StringIO()
    output = tmp_path / "national.xlsx"
    call_command("consolidate_reports", "--year", "2025", "--output", str(output), stdout=out)
    printed = out.getvalue()
    assert "Bilans consolidés : 1 (du 01/01/2025 au 31/12/2025)." in printed
    assert f"69 — {employers[1].name}" in printed
    assert "Personnes accompagnées : " in printed
    assert "cases masquées ; l'audit ne retrouve aucune case masquée." in printed
    sheet = load_workbook(output).active
    assert sheet["A1"].value == "Période"
    # What is written is protected: no count of 1 or 2, masked cells read « s ».
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert not any(isinstance(v, int | float) and 0 < v < 3 for v in values)
    assert "s" in values

    with pytest.raises(CommandError, match="Départements inconnus : 99."):
        call_command("consolidate_reports", "--year", "2025", "--departments", "01", "99")
    with pytest.raises(CommandError, match="doit finir par .csv ou .xlsx"):
        call_command("consolidate_reports", "--year", "2025", "--output", "bilan.pdf")


def test_rows_frozen_by_another_version_are_matched_by_field_name():
    from reporting.indicators.base import merge_packed

    today = {"fields": ["mode", "channel", "current", "previous"], "rows": [["phone", "x", 2, 1]]}
    older = {"fields": ["previous", "current", "mode"], "rows": [[4, 3, "phone"], [1, 1, "visit"]]}
    rows = merge_packed([today, older], ("current", "previous"))
    assert sorted(rows, key=lambda r: (r["mode"], r["channel"] or "")) == [
        {"mode": "phone", "channel": None, "current": 3, "previous": 4},
        {"mode": "phone", "channel": "x", "current": 2, "previous": 1},
        {"mode": "visit", "channel": None, "current": 1, "previous": 1},
    ]


def test_frozen_rows_are_read_back_as_written_and_a_bilan_without_them_is_skipped(
    two_departments,
):
    employers, _ = two_departments
    bilan = _bilan(employers[0])
    reloaded = Report.objects.get(pk=bilan.pk)
    assert reloaded.sources == bilan.sources and reloaded.sources["people"]["rows"]
    # A bilan frozen before the rows were kept has none: it is not consolidated.
    Report.objects.filter(pk=bilan.pk).update(sources={})
    assert Report.objects.get(pk=bilan.pk).sources == {}
    result = consolidate(period=YEAR)
    assert result.reports == [] and result.missing == sorted(
        (e.department.code, e.name) for e in employers
    )


def test_the_garbage_collector_runs_again_after_a_consolidation(two_departments, monkeypatch):
    import gc

    from reporting import consolidation

    employers, _ = two_departments
    _bilan(employers[0])
    seen = []
    real = consolidation._consolidate

    def watched(*args):
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(consolidation, "_consolidate", watched)
    consolidate(period=YEAR)
    assert seen == [False] and gc.isenabled()

    def failing(*args):
        raise RuntimeError("bilan illisible")

    monkeypatch.setattr(consolidation, "_consolidate", failing)
    with pytest.raises(RuntimeError):
        consolidate(period=YEAR)
    assert gc.isenabled()
