"""The full lists behind the worker's dashboard blocks (a block shows the first rows)."""

from django.shortcuts import render

from cases.files import selectors
from cases.home import STALE_CASE_ROW, TODAYS_ACTION_ROW, name_todays_actions
from cases.models import Beneficiary
from cases.permissions import worker_required
from cases.view_helpers import _page


@worker_required
def stale_case_list(request):
    page = _page(request, selectors.stale_cases(request.user).values(*STALE_CASE_ROW))
    for row in page.object_list:
        row["person"] = Beneficiary.name_of(
            row["beneficiary_id"], row["beneficiary__last_name"], row["beneficiary__first_name"]
        )
    return render(
        request,
        "cases/files/stale_case_list.html",
        {"page_obj": page, "days": selectors.STALE_DAYS},
    )


@worker_required
def todays_action_list(request):
    page = _page(request, selectors.todays_actions(request.user).values(*TODAYS_ACTION_ROW))
    name_todays_actions(page.object_list)
    return render(request, "cases/files/todays_action_list.html", {"page_obj": page})
