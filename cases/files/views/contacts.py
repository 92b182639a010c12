"""Worker screens: anonymous contacts (list, creation)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cases.files.filters import AnonymousContactFilter
from cases.files.forms import AnonymousContactForm
from cases.files.services.contacts import anonymous_contact_log
from cases.models import AnonymousContact
from cases.permissions import worker_required
from cases.view_helpers import _bounded_page, _query_without_page
from iscg.forms import apply_service_errors


@worker_required
def contact_list(request):
    queryset = (
        AnonymousContact.objects.visible_to(request.user)
        .select_related("site", "problem", "source_unit", "post")
        .order_by("-occurred_on", "-pk")
    )
    filterset = AnonymousContactFilter(request.GET or None, queryset=queryset, request=request)
    return render(
        request,
        "cases/files/contact_list.html",
        {
            "filter": filterset,
            "page_obj": _bounded_page(request, filterset.qs),
            "query": _query_without_page(request),
        },
    )


@worker_required
def contact_create(request):
    form = AnonymousContactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            anonymous_contact_log(
                acting_user=request.user, post=form.cleaned_data["post"], **form.service_fields()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Contact anonyme enregistré.")
            return redirect("cases:contact_list")
    return render(request, "cases/files/contact_form.html", {"form": form})
