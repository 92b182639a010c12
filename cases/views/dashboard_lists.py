"""The full lists behind the worker's dashboard blocks (a block shows the first rows)."""

from django.shortcuts import render

from cases.home import STALE_CASE_ROW
from cases.models import Beneficiary
from cases.permissions import worker_required
from cases.selectors import files as selectors
from cases.views.view_helpers import _page


@worker_required
def stale_case_list(request):
    page = _page(request, selectors.stale_cases(request.user).values(*STALE_CASE_ROW))
    for row in page.object_list:
        row["person"] = Beneficiary.name_of(
            row["beneficiary_id"], row["beneficiary__last_name"], row["beneficiary__first_name"]
        )
    return render(
        request, "cases/stale_case_list.html", {"page_obj": page, "days": selectors.STALE_DAYS}
    )
