"""One calendar arithmetic, one age rule, one birth-year rule (iscg.dates), used by the
files, the saisines, the imports, the bilans' periods and the conventions."""

import datetime

import pytest
import time_machine

from cases.files.forms import BeneficiaryForm
from cases.referrals.forms.person import PersonForm
from iscg.dates import EARLIEST_BIRTH_YEAR, add_months, age_on, birth_year_problem
from reporting.periods import due_date, month_of, quarter_of
from tests.iscg.factories import UserFactory

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 11, 1), 3, D(2027, 2, 1)),
        (D(2026, 1, 1), -12, D(2025, 1, 1)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
    ],
)
def test_months_are_added_as_people_count_them(day, months, expected):
    assert add_months(day, months) == expected


def test_the_bilans_periods_and_deadlines_read_the_same_months():
    assert quarter_of(D(2026, 11, 15)).end == D(2026, 12, 31)
    assert due_date("quarterly", quarter_of(D(2026, 2, 1))) == D(2026, 4, 30)
    assert due_date("annual", quarter_of(D(2025, 12, 1))) == D(2026, 3, 31)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (D(2000, 12, 5), D(2026, 12, 4), 25),
        (D(2000, 12, 5), D(2026, 12, 5), 26),
        (D(2004, 2, 29), D(2026, 2, 28), 21),
        (D(2004, 2, 29), D(2026, 3, 1), 22),
        (D(2004, 2, 29), D(2028, 2, 29), 24),
    ],
)
def test_an_age_is_the_number_of_birthdays_passed(born, day, age):
    assert age_on(day, birth_date=born) == age


def test_without_a_date_of_birth_the_age_reached_in_the_year():
    assert age_on(D(2026, 1, 2), birth_year=2000) == 26
    assert age_on(D(2026, 1, 2)) is None


@time_machine.travel(datetime.datetime(2026, 12, 4, 12, tzinfo=datetime.UTC), tick=False)
def test_one_birth_year_rule_and_one_message_on_every_form(db):
    assert birth_year_problem(EARLIEST_BIRTH_YEAR) is None
    assert birth_year_problem(2026) is None and birth_year_problem(None) is None
    message = birth_year_problem(1890)
    assert message == birth_year_problem(2027)
    assert message == "Année de naissance impossible : indiquez une année entre 1900 et 2026."
    # The worker's form of a person and the unit's form of a saisine say the same.
    worker = UserFactory(worker=True)
    person = BeneficiaryForm({"birth_year": "1890"}, user=worker)
    referral = PersonForm({"person_birth_year": "1890"})
    assert not person.is_valid() and not referral.is_valid()
    assert person.errors["birth_year"] == [message]
    assert referral.errors["person_birth_year"] == [message]


def test_a_month_is_whole_from_any_day_in_it():
    assert (month_of(D(2026, 1, 31)).start, month_of(D(2026, 1, 31)).end) == (
        D(2026, 1, 1),
        D(2026, 1, 31),
    )
    assert month_of(D(2028, 2, 15)).end == D(2028, 2, 29)
