"""The rows of a scope's perturbed live figures, summed from its posts' frozen answers,
come in the order of the indicators (the reference lists' order), as in its bilans.

Reproduced before: summed from the answers alone, the rows that no post listed together
were ordered by label: the demo employer's problems read « Conflit conjugal sans
violence » before « Violences intrafamiliales (hors couple) », against the list's order.
"""

import datetime
import re

import pytest
from django.core.management import call_command

from iscg.demo import EMPLOYER_NAME
from iscg.models import Employer
from reporting import indicators
from reporting.live import live_figures
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy.layout import tables_of

pytestmark = pytest.mark.django_db

# The tables of records (a kind of acte or of partner is a reference list).
RECORDS = re.compile(r'"(cases_(case|beneficiary|referral|action|orientation)|partners_partner)"')
ORDERED = ("problem", "actes", "orientation", "referral_unit")


def test_the_demo_employers_live_rows_follow_the_reference_order():
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
    employer = Employer.objects.get(name=EMPLOYER_NAME)
    quarter = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    scope = Scope.for_employer(employer)
    shown = tables_of(live_figures(scope=scope, period=quarter, masked=True).figures)
    true = tables_of(indicators.compute(scope, quarter))
    compared = 0
    for key in ORDERED:
        if shown[key].get("withheld"):  # a post withheld it (the keys drawn by the database)
            continue
        listed = [row["label"] for row in shown[key]["rows"]]
        assert listed == [row["label"] for row in true[key]["rows"] if row["label"] in listed], key
        compared += len(listed) >= 2
    assert compared >= 2


def test_the_reference_orders_read_no_record():
    """The orders come from the reference lists and the département's units only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.iscg.factories import DepartmentFactory

    department = DepartmentFactory()
    with CaptureQueriesContext(connection) as queries:
        orders = indicators.row_orders(department.pk)
    assert set(orders) == set(ORDERED)
    assert orders["problem"][-1] == "Problématique non renseignée"
    assert len(queries) == 4
    assert not [q["sql"] for q in queries.captured_queries if RECORDS.search(q["sql"])]
