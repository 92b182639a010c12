"""When adding masks one at a time stops helping, the tables of the cells found are masked
whole before every table is.

A bilan protected without the bilans to come that the others give away, whose rounds
found the same cells three times, was refused, publishing no figure, although masked
whole it passed with the bilans kept (the département's fourth quarter made after the
annual bilans stalled so on the bench year_late before its rows were chosen better); one
whose rounds found no cell left to choose was masked whole. Either is now published with
the tables of the cells found masked whole (else every table), never refused for it."""

import sys

import pytest

from reporting.indicators.base import table
from reporting.secrecy import Publication, audit
from tests.reporting.test_secrecy_attacks import communes, figures

pytestmark = pytest.mark.no_db
# The module, which the package's ``protect`` (the function) shadows.
protect_module = sys.modules["reporting.secrecy.protect"]


def _activity(values):
    labels = ["Personnes accompagnées", "Accompagnements (dossiers) actifs"]
    return table("activity", "A", "M", list(zip(labels, values, strict=True)), total=False)


def test_a_bilan_whose_masks_stall_masks_the_tables_found_whole(monkeypatch):
    """The masks chosen one at a time help nothing here (the choice of each cell stubbed
    out): commune A's 1 is found by subtraction. Failed before: every figure of the
    bilan masked, the activity's too."""
    figs = figures(
        communes([("A (01001)", [1, 0]), ("B (01002)", [5, 0]), ("C (01003)", [6, 0])]),
        _activity([[12, 0], [14, 0]]),
    )
    monkeypatch.setattr(protect_module, "_candidate", lambda *args: None)
    monkeypatch.setattr(protect_module, "_local_pass", lambda lay, hidden, equations: hidden)

    hidden, findings = protect_module.protect(figs)

    assert findings == []
    me = Publication(figs, hidden)
    assert {c for c in me.lay.cells if c[0] == "commune"} <= hidden
    assert not {c for c in me.lay.cells if c[0] == "activity"} & hidden
    assert audit([me]) == []
