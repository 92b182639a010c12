"""A paginator that reads a page and the number of rows in one query."""

from django.core.paginator import Paginator
from django.db.models import Count, Window


class OneQueryPaginator(Paginator):
    """Each row of the page carries ``COUNT(*) OVER ()``: no separate ``COUNT``, which on
    a search reads every matching row a second time. A page past the end falls back to
    Django's rules (the last page, counted as usual)."""

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(total_rows_over=Window(Count("pk")))[
                bottom : bottom + self.per_page
            ]
        )
        if rows or number == 1:
            self.__dict__["count"] = rows[0].total_rows_over if rows else 0
            return self._get_page(rows, number, self)
        return super().get_page(number)
