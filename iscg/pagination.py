"""Rows and the number of rows of a queryset in one query (``COUNT(*) OVER ()``)."""

from django.core.paginator import Paginator
from django.db.models import Count, Window


def rows_and_total(queryset, start: int, stop: int) -> tuple[list, int | None]:
    """``queryset[start:stop]`` and how many rows the whole queryset has, in one query:
    each row carries the count. The total is None when the slice is empty (past the end).
    Rows are model instances, or dicts after ``values()``."""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[start:stop])
    if not rows:
        return rows, None
    return rows, (rows[0]["total_rows"] if isinstance(rows[0], dict) else rows[0].total_rows)


# Past this page the offset no longer fits PostgreSQL's bigint (``?page=99999999999999999999``
# answered 500); Django's own rules (the last page) apply, which count the rows first.
MAX_DIRECT_PAGE = 10**6


class OneQueryPaginator(Paginator):
    """A page and the number of rows in one query: no separate ``COUNT``, which on a
    search reads every matching row a second time. A page past the end falls back to
    Django's rules (the last page, counted as usual)."""

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        if number > MAX_DIRECT_PAGE:
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows, total = rows_and_total(self.object_list, bottom, bottom + self.per_page)
        if total is not None or number == 1:
            self.__dict__["count"] = total or 0
            return self._get_page(rows, number, self)
        return super().get_page(number)
