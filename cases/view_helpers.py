"""Helpers shared by the worker views: paged lists."""

from iscg.pagination import BoundedCountPaginator, OneQueryPaginator

PAGE_SIZE = 25


def _page(request, queryset):
    return OneQueryPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _bounded_page(request, queryset):
    """For lists that grow with the years (every person a post ever met): the page and a
    count bounded whatever the list's length (iscg.pagination.BoundedCountPaginator)."""
    return BoundedCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
