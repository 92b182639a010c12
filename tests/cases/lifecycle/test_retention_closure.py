"""A file left without contact for the active period is closed when it is archived."""

import datetime

import time_machine

from cases.enums import ClosingReason
from cases.files.forms import CaseCloseForm
from cases.lifecycle.services import retention
from cases.models import Case
from reporting import indicators
from reporting.indicators import tables_by_key
from reporting.periods import Period, year_of
from reporting.scope import Scope
from reporting.secrecy import MASKED, apply_mask, protect
from tests.cases.factories import CaseFactory
from tests.cases.lifecycle import test_retention
from tests.cases.lifecycle.test_retention import ACTIVE, ARCHIVE, T0
from tests.iscg.factories import PostFactory

world = test_retention.world  # the same fixture: a person with an open file opened at T0


def _figures(post, period):
    found = tables_by_key(indicators.compute(Scope.for_post(post), period))
    return {
        "activity": {r["label"]: r["values"] for r in found["activity"]["rows"]},
        "durations": {r["label"]: r["values"] for r in found["duration_median"]["rows"]},
    }


def test_an_open_file_is_closed_when_archived_and_counted_apart(world):
    post, old = world["post"], world["old"]
    when = T0 + ACTIVE + datetime.timedelta(days=1)
    run_day = when.date()
    before = {
        year: _figures(post, year_of(datetime.date(year, 1, 1))) for year in (2021, 2022, 2023)
    }
    # The part of the run year before the run day: the file was open all along.
    until_eve = Period(datetime.date(run_day.year, 1, 1), run_day - datetime.timedelta(days=1))
    before["eve"] = _figures(post, until_eve)
    assert before[2023]["activity"]["Accompagnements en cours en fin de période"] == [1, 1]
    with time_machine.travel(when, tick=False):
        dry = retention.apply_retention()
        report = retention.apply_retention(dry_run=False)
    assert dry.closed_cases == report.closed_cases == 1
    case = Case.objects.get(beneficiary=old)
    assert case.closed_on == run_day
    assert case.closing_reason == ClosingReason.NO_CONTACT
    assert case.get_closing_reason_display() == "Sans contact, clôture automatique"
    assert case.history.first().closing_reason == ClosingReason.NO_CONTACT
    # Periods already ended keep their figures.
    assert _figures(post, until_eve) == before["eve"]
    for year in (2021, 2022):
        assert _figures(post, year_of(datetime.date(year, 1, 1))) == before[year]
    # The run year counts the closure apart from the durations; later years no more.
    run_year = _figures(post, year_of(run_day))
    assert run_year["activity"]["Accompagnements clôturés"] == [1, 0]
    assert run_year["activity"]["Accompagnements en cours en fin de période"] == [0, 1]
    assert run_year["durations"]["Accompagnements clôturés"] == [0, 0]
    assert run_year["durations"]["Clôtures automatiques sans contact (hors durée)"] == [1, 0]
    for year in (2027, 2030, 2040):
        later = _figures(post, year_of(datetime.date(year, 1, 1)))
        assert later["activity"]["Personnes accompagnées"] == [0, 0]
        assert later["activity"]["Accompagnements en cours en fin de période"] == [0, 0]
    # Idempotent: nothing more to close.
    with time_machine.travel(when + ARCHIVE, tick=False):
        assert retention.apply_retention(dry_run=False).closed_cases == 0


def test_workers_never_pick_the_automatic_reason():
    reasons = dict(CaseCloseForm().fields["reason"].choices)
    assert ClosingReason.NO_CONTACT not in reasons and ClosingReason.GOALS_MET in reasons


def test_the_secrecy_audit_knows_closed_files_include_automatic_closures():
    """Files closed = closed with a duration + automatic closures: with the first two shown,
    a masked count of automatic closures would be a subtraction away."""
    post = PostFactory()
    for index in range(10):
        CaseFactory(
            beneficiary__post=post,
            post=post,
            opened_on=datetime.date(2023, 1, 2),
            closed_on=datetime.date(2023, 2, 1 + index),
            closing_reason=ClosingReason.NO_CONTACT if index == 0 else ClosingReason.GOALS_MET,
        )
    figures = indicators.compute(Scope.for_post(post), year_of(datetime.date(2023, 1, 1)))
    hidden, findings = protect(figures)
    assert findings == []
    shown = tables_by_key(apply_mask(figures, hidden))
    activity = {r["label"]: r["values"][0] for r in shown["activity"]["rows"]}
    durations = {r["label"]: r["values"][0] for r in shown["duration_median"]["rows"]}
    assert durations["Clôtures automatiques sans contact (hors durée)"] == MASKED
    assert MASKED in (activity["Accompagnements clôturés"], durations["Accompagnements clôturés"])
