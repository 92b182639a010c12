"""Worker screens: orientations of a case, partner search and quick creation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cases.files.forms import OrientationForm, OrientationStatusForm, PartnerQuickForm
from cases.files.services.orientations import orientation_create, orientation_update
from cases.files.views.worker_objects import _visible_case
from cases.models import Orientation
from cases.permissions import worker_required
from iscg.forms import apply_service_errors
from partners.models import Partner
from partners.services import partner_create


def _partner_results(request, query: str):
    partners = Partner.objects.visible_to(request.user).filter(is_active=True)
    partners = partners.select_related("kind", "commune")
    for token in query.split():
        partners = partners.filter(
            Q(name__icontains=token)
            | Q(kind__label__icontains=token)
            | Q(commune__name__icontains=token)
        )
    return partners.order_by("name")[:15]


@worker_required
def orientation_create_view(request, pk):
    case = _visible_case(request, pk)
    initial = {}
    if request.GET.get("partenaire"):
        initial["partner"] = request.GET["partenaire"]
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        # A partner picked among the search results wins over the drop-down list.
        if data.get("partner_pick"):
            data["partner"] = data["partner_pick"]
    form = OrientationForm(data, user=request.user, initial=initial)
    query = (request.POST or request.GET).get("partner_query", "").strip()
    if request.method == "POST" and "search" in request.POST:
        form = OrientationForm(
            initial={**data.dict(), "partner": data.get("partner") or None},
            user=request.user,
        )
    elif request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "partner_query"}
        try:
            orientation_create(case=case, acting_user=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Orientation vers {data['partner']} enregistrée.")
            return redirect(reverse("cases:case_detail", args=[pk]) + "#orientations")
    return render(
        request,
        "cases/files/orientation_form.html",
        {
            "case": case,
            "form": form,
            "query": query,
            "partners": _partner_results(request, query) if query else None,
        },
    )


@worker_required
def partner_search(request):
    """htmx fragment: partners matching the search box of the orientation form."""
    query = request.GET.get("partner_query", "").strip()
    return render(
        request,
        "cases/files/_partner_results.html",
        {"partners": _partner_results(request, query) if query else None, "query": query},
    )


@worker_required
def partner_quick_create(request, pk):
    case = _visible_case(request, pk)
    form = PartnerQuickForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Partenaire « {partner.name} » ajouté à l'annuaire.")
            return redirect(
                reverse("cases:orientation_create", args=[pk]) + f"?partenaire={partner.pk}"
            )
    return render(request, "cases/files/partner_quick_form.html", {"case": case, "form": form})


@worker_required
def orientation_update_view(request, pk):
    orientation = get_object_or_404(
        Orientation.objects.visible_to(request.user).select_related("case", "partner"), pk=pk
    )
    form = OrientationStatusForm(request.POST or None, instance=orientation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        orientation.refresh_from_db()
        try:
            orientation_update(orientation=orientation, acting_user=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Orientation mise à jour.")
            return redirect(
                reverse("cases:case_detail", args=[orientation.case_id]) + "#orientations"
            )
    return render(
        request,
        "cases/files/orientation_update.html",
        {"orientation": orientation, "case": orientation.case, "form": form},
    )
