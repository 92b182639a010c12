"""Pages of a list: rows and their number in one query (``COUNT(*) OVER ()``), or, for
long lists, a page and a count both bounded whatever the list's length."""

from math import ceil

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Window
from django.utils.functional import cached_property


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


# A long list counts its rows up to this many; past it, it says « plus de 1 000 ». The
# exact figure would have the database read every row of the list to show one page.
COUNT_LIMIT = 1000


class BoundedPage(Page):
    """A page that knows whether another follows from the extra row it read."""

    def __init__(self, object_list, number, paginator, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def next_page_number(self) -> int:
        return self.number + 1


class BoundedCountPaginator(Paginator):
    """A page and a count that both read a bounded number of rows, whatever the list's
    length: the page with one row more (is there a next page?), and the rows counted up to
    ``count_limit`` + 1 in a subquery. Past the limit the count is a lower bound
    (``count_exceeds``) and the last page is not known: the page says « Page n », not
    « sur N », and offers no link to the last page. A page past the end falls back to
    Django's rules (the last page, counted in full), as for a number typed by hand."""

    def __init__(self, object_list, per_page, count_limit: int | None = None):
        super().__init__(object_list, per_page)
        self.count_limit = count_limit or COUNT_LIMIT
        self.current_number = 1

    @cached_property
    def bounded_count(self) -> int:
        if isinstance(self.object_list, OrderedParts):
            return self.object_list.count_up_to(self.count_limit + 1)
        return self.object_list.order_by()[: self.count_limit + 1].count()

    @property
    def count_limit_text(self) -> str:
        """« 1 000 »: French thousands, a narrow no-break space."""
        return f"{self.count_limit:,}".replace(",", "\u202f")

    @property
    def count_exceeds(self) -> bool:
        return self.bounded_count > self.count_limit

    @cached_property
    def count(self) -> int:
        return self.count_limit if self.count_exceeds else self.bounded_count

    @cached_property
    def num_pages(self) -> int:
        if self.count_exceeds:  # a lower bound: at least one page after the current one
            return max(self.current_number + 1, ceil(self.count_limit / self.per_page))
        return super().num_pages

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        self.current_number = number
        if number > MAX_DIRECT_PAGE:
            return self._exact().get_page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            return self._exact().get_page(number)
        return BoundedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    def _exact(self) -> Paginator:
        return Paginator(self.object_list, self.per_page)


class OrderedParts:
    """The rows of disjoint querysets of one model (each row in one part only), merged in
    one order and read a slice at a time, as the paginators read a queryset.

    Each of ``parts`` is ordered and limited to the slice's end inside one ``UNION ALL``:
    PostgreSQL reads it in that order from an index, stops at the limit and merges the
    parts (Merge Append). Ordered by the union alone, it planned each part for all its
    rows and sorted them (the 5,036 people of a post read and sorted to show 25). Each of
    ``small`` is read whole and sorted: a part bounded by the user's own rows whose
    ``ORDER BY … LIMIT`` would invite PostgreSQL, when its statistics lag, to walk an index
    of the whole table in that order rather than find its few rows. SQLite allows neither
    ``ORDER BY`` nor ``LIMIT`` in a part: the union is ordered and sliced whole."""

    ordered = True

    def __init__(self, parts, order, small=()):
        self.parts, self.order, self.small = list(parts), tuple(order), list(small)
        # A worker holding no post today has no post's part, only the « small » one.
        self.model = [*self.parts, *self.small][0].model

    def union(self, stop: int | None):
        if len(self.parts) + len(self.small) == 1:  # no union (Django returns the part)
            return [*self.parts, *self.small][0].order_by(*self.order)
        limited = connection.features.supports_slicing_ordering_in_compound
        parts = [
            part.order_by(*self.order)[:stop] if limited else part.order_by() for part in self.parts
        ]
        parts += [part.order_by() for part in self.small]
        return parts[0].union(*parts[1:], all=True).order_by(*self.order)

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("OrderedParts reads slices only")
        return list(self.union(item.stop)[item])

    def __iter__(self):
        return iter(self.union(None))

    def all(self):
        return self

    def map(self, narrow):
        """Each part narrowed by ``narrow`` (a queryset's filters): the union of the
        narrowed parts is the narrowed union."""
        return OrderedParts(
            [narrow(part) for part in self.parts], self.order, [narrow(part) for part in self.small]
        )

    def order_by(self, *fields):
        return OrderedParts(self.parts, fields, self.small) if fields else self

    def count(self) -> int:
        return self._ids(None).count()

    def count_up_to(self, limit: int) -> int:
        return self._ids(limit)[:limit].count()

    def _ids(self, stop: int | None):
        """The rows' ids, each part limited to ``stop`` in whatever order is quickest to
        read (an order would make PostgreSQL sort a part of 1,500 rows to count 1,001)."""
        limited = connection.features.supports_slicing_ordering_in_compound
        parts = [part.order_by().values("pk") for part in [*self.parts, *self.small]]
        if len(parts) == 1:
            return parts[0]
        if limited and stop is not None:
            parts = [part[:stop] for part in parts]
        return parts[0].union(*parts[1:], all=True)
