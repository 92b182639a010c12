"""The access log, read by the departmental administrator in the application."""

from django.shortcuts import render

from iscg.filters import AccessLogFilter
from iscg.pagination import BoundedCountPaginator
from iscg.permissions import administrator_required
from iscg.selectors import access_log_rows


@administrator_required
def access_log(request):
    queryset = access_log_rows(request.user)
    filterset = AccessLogFilter(request.GET or None, queryset=queryset)
    return render(
        request,
        "iscg/admin/access_log.html",
        {
            "filter": filterset,
            # The log grows with every read: its count stops at 1,000 (iscg.pagination).
            "page_obj": BoundedCountPaginator(filterset.qs, 50).get_page(request.GET.get("page")),
        },
    )
