"""Filters shared by the lists."""

import django_filters
from django import forms

# Years a list may be filtered on: outside them the year lookup builds dates Python or
# PostgreSQL cannot hold (year 0, -1, 99999) and the page answered 500.
FIRST_YEAR = 1990
LAST_YEAR = 2100


class YearFilter(django_filters.NumberFilter):
    """A whole year between FIRST_YEAR and LAST_YEAR; anything else is a form error and
    the list is shown unfiltered by year."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)
