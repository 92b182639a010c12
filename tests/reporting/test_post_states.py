"""Each post's data state recorded with a bilan (Report.post_states): the same digest for a
post in every bilan of a period computed from the same rows of it, whatever the bilan's
scope, another once its rows changed; the secrecy reads them to tell which bilans share a
post's counts (reporting.secrecy.versions)."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from reporting import services
from reporting.indicators import compute_with_sources
from reporting.models import Report, ReportKind
from reporting.periods import year_of
from reporting.scope import Scope
from reporting.secrecy.related import related_publications
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    UserFactory,
)
from tests.reporting.test_secrecy_late_quarter import _made, _people

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_posts():
    year = timezone.localdate().year - 1
    department = DepartmentFactory(code="01")
    employer = EmployerFactory(department=department)
    manager = UserFactory(employer_manager=True, employer=employer, department=department)
    a, b = PostFactory(employer=employer), PostFactory(employer=employer)
    x = CommuneFactory(department=department, code="01001", name="X")
    w = CommuneFactory(department=department, code="01004", name="W")
    _people(a, x, year, 3, 5)
    _people(a, w, year, 4, 10)
    _people(b, x, year, 5, 1)
    _people(b, w, year, 6, 6)
    return year_of(datetime.date(year, 1, 1)), employer, manager, a, b, w


def test_a_post_has_the_same_state_in_its_bilan_and_in_its_employers(two_posts):
    period, employer, _, a, b, _ = two_posts
    _, _, alone = compute_with_sources(Scope.for_post(a), period)
    _, _, both = compute_with_sources(Scope.for_employer(employer), period)
    assert set(both) == {str(a.pk), str(b.pk)}
    assert both[str(a.pk)] == alone[str(a.pk)]
    assert both[str(b.pk)] != both[str(a.pk)]


def test_a_correction_changes_the_posts_state_and_no_other(two_posts):
    period, employer, _, a, b, w = two_posts
    _, _, before = compute_with_sources(Scope.for_employer(employer), period)
    person = a.cases.filter(beneficiary__commune__name="X").first().beneficiary
    person.commune = w
    person.save()
    _, _, after = compute_with_sources(Scope.for_employer(employer), period)
    assert after[str(a.pk)] != before[str(a.pk)]
    assert after[str(b.pk)] == before[str(b.pk)]


def test_a_bilan_made_with_a_posts_first_version_counts_its_data(two_posts):
    """The employer's bilan made the day of post A's first version, A recalculated after
    a correction, post B's bilan made last: audited with all of them, the employer's
    counts of A are those of A's first version (one data state, set apart from the
    second's), not those of the second (the program put them so before)."""
    period, employer, manager, a, b, w = two_posts
    first = _made(ReportKind.ANNUAL, period, Scope.for_post(a), manager)
    whole = _made(ReportKind.ANNUAL, period, Scope.for_employer(employer), manager)
    assert whole.post_states[str(a.pk)] == first.post_states[str(a.pk)]
    for case in a.cases.filter(beneficiary__commune__name="X")[:2]:
        case.beneficiary.commune = w
        case.beneficiary.save()
    second = services.report_regenerate(report=first, acting_user=manager)
    assert second.post_states[str(a.pk)] != first.post_states[str(a.pk)]
    last = _made(ReportKind.ANNUAL, period, Scope.for_post(b), manager)

    held = dict(related_publications(last))
    assert set(held) == {first.pk, whole.pk, second.pk}
    assert held[second.pk].renamed == {}  # the latest: A's reference state
    apart, state = held[first.pk].renamed[a.pk]
    assert held[whole.pk].renamed == {a.pk: (apart, state)}
    assert state == ("digest", first.post_states[str(a.pk)])
    assert {q[2] for q in apart if q[1] == "commune"} >= {"X (01001)", "W (01004)"}


def test_a_posts_bilan_frozen_before_states_gets_the_digest_of_its_frozen_rows(two_posts):
    """The migration that fills the states of the posts' own bilans frozen before they
    were recorded digests their frozen rows: the same digest as computed with them."""
    period, employer, manager, a, _, _ = two_posts
    own = _made(ReportKind.ANNUAL, period, Scope.for_post(a), manager)
    whole = _made(ReportKind.ANNUAL, period, Scope.for_employer(employer), manager)
    recorded = own.post_states
    Report.objects.update(post_states={})

    import_module("reporting.migrations.0011_backfill_post_states").backfill(apps, None)

    own.refresh_from_db()
    whole.refresh_from_db()
    assert own.post_states == recorded
    assert whole.post_states == {}  # its rows are summed over its posts: inferred


def test_an_employers_bilan_made_after_a_correction_of_a_posts_rows_is_published(two_posts):
    """Post A's bilan made, two of its people's commune corrected from X to W, the
    employer's bilan made next (post B without a bilan of its own): its counts of A are
    not A's bilan's. Tied to them, the employer's X (3 + 1) minus A's bilan's X (5) left
    B's X at -1, and the employer's bilan was refused (failed before). What the
    correction changed is told by A's bilan computed today and recorded with the
    employer's, for the bilans protected after it."""
    period, employer, manager, a, b, w = two_posts
    first = _made(ReportKind.ANNUAL, period, Scope.for_post(a), manager)
    for case in a.cases.filter(beneficiary__commune__name="X")[:2]:
        case.beneficiary.commune = w
        case.beneficiary.save()

    whole = _made(ReportKind.ANNUAL, period, Scope.for_employer(employer), manager)

    assert whole.audit_passed, whole.audit_report
    ((post, now, then, quantities),) = whole.audit_report["state_changes"]
    assert (post, now, then) == (a.pk, whole.post_states[str(a.pk)], first.post_states[str(a.pk)])
    assert {q[2] for q in quantities if q[1] == "commune"} == {"X (01001)", "W (01004)"}
    # Post B's bilan made last reads them from the employer's.
    last = _made(ReportKind.ANNUAL, period, Scope.for_post(b), manager)
    assert last.audit_passed, last.audit_report
    held = dict(related_publications(last))
    apart, state = held[first.pk].renamed[a.pk]
    assert state == ("digest", first.post_states[str(a.pk)]) and held[whole.pk].renamed == {}


def test_a_bilan_left_to_its_pdf_task_keeps_what_a_correction_changed(two_posts, monkeypatch):
    """As above, the employer's bilan joined to more bilans than a request protects
    (``INLINE_JOINED``): left « en cours » for the task that makes its PDF. Post A's rows
    corrected again before the task runs: A's bilan computed that day is no longer what
    the employer's counted. Failed before: the task found nothing to tell (the change
    was read again from the day's rows and dropped), and A's counts in the two bilans
    were set apart whole, as if every one had changed (reporting.secrecy.changes: the
    unchanged ones unseen by the audit). What the request was told is kept."""
    secrecy_reports = import_module("reporting.secrecy.reports")
    period, employer, manager, a, b, w = two_posts
    first = _made(ReportKind.ANNUAL, period, Scope.for_post(a), manager)
    x_cases = list(a.cases.filter(beneficiary__commune__name="X"))
    for case in x_cases[:2]:
        case.beneficiary.commune = w
        case.beneficiary.save()
    monkeypatch.setattr(secrecy_reports, "INLINE_JOINED", 0)
    whole = services.report_create(
        kind=ReportKind.ANNUAL,
        period=period,
        scope=Scope.for_employer(employer),
        acting_user=manager,
    )
    assert secrecy_reports.secrecy_pending(whole)
    x_cases[2].beneficiary.commune = w  # corrected again before the task
    x_cases[2].beneficiary.save()

    secrecy_reports.report_protect(whole, in_request=False)

    assert whole.audit_passed, whole.audit_report
    ((post, now, then, quantities),) = whole.audit_report["state_changes"]
    assert (post, now, then) == (a.pk, whole.post_states[str(a.pk)], first.post_states[str(a.pk)])
    assert {q[2] for q in quantities if q[1] == "commune"} == {"X (01001)", "W (01004)"}
