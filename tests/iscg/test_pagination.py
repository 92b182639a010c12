"""One query for a page and the number of rows; Django's rules past the end."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iscg.models import Commune
from iscg.pagination import BoundedCountPaginator, OneQueryPaginator, OrderedParts
from tests.iscg.factories import CommuneFactory, DepartmentFactory


@pytest.fixture
def communes():
    department = DepartmentFactory(code="01")
    for index in range(23):
        CommuneFactory(department=department, code=f"01{index:03d}", name=f"Commune {index:02d}")
    return Commune.objects.order_by("name")


def test_a_page_and_the_count_come_in_one_query(communes):
    with CaptureQueriesContext(connection) as context:
        page = OneQueryPaginator(communes, 10).get_page("2")
        names = [commune.name for commune in page]
        assert (page.paginator.count, page.paginator.num_pages) == (23, 3)
        assert page.has_next() and page.has_previous()
    assert len(context.captured_queries) == 1
    assert names == [f"Commune {index:02d}" for index in range(10, 20)]
    assert (page.start_index(), page.end_index()) == (11, 20)


@pytest.mark.parametrize("asked, shown", [(None, 1), ("abc", 1), ("0", 1), ("-3", 1), ("9", 3)])
def test_invalid_or_out_of_range_numbers_follow_djangos_rules(communes, asked, shown):
    page = OneQueryPaginator(communes, 10).get_page(asked)
    assert page.number == shown
    assert page.paginator.count == 23
    if shown == 3:
        assert [commune.name for commune in page] == ["Commune 20", "Commune 21", "Commune 22"]


def test_an_empty_list_has_one_empty_page(db):
    page = OneQueryPaginator(Commune.objects.order_by("name"), 10).get_page("1")
    assert list(page) == [] and page.paginator.count == 0 and page.paginator.num_pages == 1


def test_a_bounded_page_reads_one_row_more_and_counts_up_to_the_limit(communes):
    with CaptureQueriesContext(connection) as context:
        page = BoundedCountPaginator(communes, 5, count_limit=10).get_page("2")
        names = [commune.name for commune in page]
        assert page.has_next() and page.has_previous() and page.next_page_number() == 3
        assert page.paginator.count_exceeds and page.paginator.count == 10
    assert names == [f"Commune {index:02d}" for index in range(5, 10)]
    page_sql, count_sql = (query["sql"] for query in context.captured_queries)
    assert "LIMIT 6" in page_sql and "OFFSET 5" in page_sql and "OVER" not in page_sql
    assert "LIMIT 11" in count_sql  # never the whole list
    assert (page.start_index(), page.end_index()) == (6, 10)


def test_past_the_limit_the_last_page_is_found_by_walking_and_past_the_end_by_counting(communes):
    last = BoundedCountPaginator(communes, 5, count_limit=10).get_page("5")
    assert [commune.name for commune in last][-1] == "Commune 22"
    assert not last.has_next() and last.has_previous()
    beyond = BoundedCountPaginator(communes, 5, count_limit=10).get_page("40")
    assert beyond.number == 5 and beyond.paginator.count == 23  # Django's rules


def test_under_the_limit_the_count_is_exact(communes):
    page = BoundedCountPaginator(communes, 10).get_page("3")
    assert not page.paginator.count_exceeds
    assert (page.paginator.count, page.paginator.num_pages) == (23, 3)
    assert not page.has_next()


def test_ordered_parts_merge_disjoint_lists_page_by_page(db):
    """Two départements' communes, each a part: merged in name order, a slice and the
    pages of a bounded paginator are those of the one list; one part alone is the same."""
    first, second = DepartmentFactory(code="01"), DepartmentFactory(code="02")
    for index, name in enumerate(["Ars", "Bey", "Cize", "Dortan", "Evosges", "Foissiat"]):
        CommuneFactory(department=(first, second)[index % 2], name=name, code=f"9{index:04d}")
    parts = [Commune.objects.filter(department=d) for d in (first, second)]
    merged = OrderedParts(parts, ("name", "pk"))
    assert [c.name for c in merged[1:4]] == ["Bey", "Cize", "Dortan"]
    assert (merged.count(), merged.count_up_to(3)) == (6, 3)
    page = BoundedCountPaginator(merged, 4, count_limit=5).get_page(2)
    assert [c.name for c in page] == ["Evosges", "Foissiat"] and not page.has_next()
    assert [c.name for c in merged.order_by("-name")[:2]] == ["Foissiat", "Evosges"]
    alone = OrderedParts(parts[:1], ("name",))
    assert ([c.name for c in alone[0:2]], alone.count_up_to(2)) == (["Ars", "Cize"], 2)
