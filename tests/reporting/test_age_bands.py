"""The age band on a date, computed by the database, at the edges of each band."""

import datetime

import pytest

from cases.enums import AgeBand
from cases.models import Beneficiary
from reporting.indicators.ages import age_band_at, years_before
from tests.cases.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def band_on(at, **birth):
    person = BeneficiaryFactory(**{"birth_year": None, "birth_date": None, **birth})
    return (
        Beneficiary.objects.filter(pk=person.pk)
        .annotate(band=age_band_at(at, prefix=""))
        .values_list("band", flat=True)
        .get()
    )


@pytest.mark.parametrize(
    ("birth_date", "band"),
    [
        (datetime.date(2008, 3, 31), AgeBand.AGE_18_24),  # 18 on the day itself
        (datetime.date(2008, 4, 1), AgeBand.UNDER_18),  # 18 tomorrow
        (datetime.date(2001, 3, 31), AgeBand.AGE_25_34),
        (datetime.date(2001, 4, 1), AgeBand.AGE_18_24),  # still 24
        (datetime.date(1961, 3, 31), AgeBand.AGE_65_PLUS),
        (datetime.date(1961, 4, 1), AgeBand.AGE_55_64),  # still 64
        (datetime.date(2026, 3, 31), AgeBand.UNDER_18),  # born that day
        (datetime.date(2026, 4, 1), AgeBand.UNKNOWN),  # a birth date after the date
    ],
)
def test_band_from_the_birth_date(birth_date, band):
    assert band_on(datetime.date(2026, 3, 31), birth_date=birth_date) == band


def test_born_on_29_february_is_a_year_older_on_1_march_of_a_common_year():
    born = datetime.date(2008, 2, 29)
    assert band_on(datetime.date(2026, 2, 28), birth_date=born) == AgeBand.UNDER_18
    assert band_on(datetime.date(2026, 3, 1), birth_date=born) == AgeBand.AGE_18_24


def test_on_29_february_someone_born_on_the_28th_has_had_their_birthday():
    assert years_before(datetime.date(2028, 2, 29), 18) == datetime.date(2010, 2, 28)
    at = datetime.date(2028, 2, 29)
    assert band_on(at, birth_date=datetime.date(2010, 2, 28)) == AgeBand.AGE_18_24
    assert band_on(at, birth_date=datetime.date(2010, 3, 1)) == AgeBand.UNDER_18


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (2008, AgeBand.AGE_18_24),  # the age reached during the year
        (2009, AgeBand.UNDER_18),
        (1961, AgeBand.AGE_65_PLUS),
        (1962, AgeBand.AGE_55_64),
        (2027, AgeBand.UNKNOWN),
    ],
)
def test_band_from_the_birth_year(birth_year, band):
    assert band_on(datetime.date(2026, 3, 31), birth_year=birth_year) == band


def test_the_recorded_band_when_neither_is_known():
    at = datetime.date(2026, 3, 31)
    assert band_on(at, age_band=AgeBand.AGE_35_44) == AgeBand.AGE_35_44
