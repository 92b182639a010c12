"""Helpers shared by the worker views: a service's errors on a form, paged lists."""

from django.core.exceptions import ValidationError

from iscg.pagination import OneQueryPaginator

PAGE_SIZE = 25


def _apply_errors(form, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form, on its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _page(request, queryset):
    return OneQueryPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
