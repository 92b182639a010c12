"""Units and sites pages of the departmental administration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from iscg.enums import UnitKind
from iscg.forms import apply_service_errors
from iscg.models import Site, Unit
from iscg.organisation_forms import OpeningFormSet, SiteForm, UnitForm
from iscg.pagination import OneQueryPaginator
from iscg.permissions import administrator_required
from iscg.selectors import administered_department_ids
from iscg.services.organisation import site_save, unit_save


def _units(request):
    return Unit.objects.administered_by(request.user)


def _sites(request):
    return Site.objects.administered_by(request.user)


def _page(request, queryset):
    return OneQueryPaginator(queryset, 25).get_page(request.GET.get("page"))


@administrator_required
def unit_list(request):
    units = _units(request).select_related("parent", "commune").order_by("kind", "name")
    kind, query = request.GET.get("nature", ""), request.GET.get("q", "").strip()
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(commune__name__icontains=query))
    context = {
        "page_obj": _page(request, units),
        "kinds": UnitKind.choices,
        "kind": kind,
        "q": query,
    }
    return render(request, "iscg/admin/unit_list.html", context)


@administrator_required
def unit_form(request, pk=None):
    unit = Unit() if pk is None else get_object_or_404(_units(request), pk=pk)
    form = UnitForm(
        request.POST or None,
        instance=unit,
        department_ids=administered_department_ids(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit_save(unit=form.instance, acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"L'unité « {unit.name} » est enregistrée.")
            return redirect("administration:unit_list")
    title = "Nouvelle unité" if pk is None else f"Modifier l'unité « {unit.name} »"
    context = {"form": form, "title": title, "back": "administration:unit_list"}
    return render(request, "iscg/admin/form.html", context)


@administrator_required
def site_list(request):
    sites = (
        _sites(request)
        .select_related("commune", "unit")
        .prefetch_related("openings")
        .order_by("-is_active", "name")
    )
    return render(request, "iscg/admin/site_list.html", {"page_obj": _page(request, sites)})


@administrator_required
def site_form(request, pk=None):
    site = Site() if pk is None else get_object_or_404(_sites(request), pk=pk)
    department_ids = administered_department_ids(request.user)
    current_schedule = (
        site.schedule_in_words if site.pk else ""
    )  # before the form sets typed values
    form = SiteForm(request.POST or None, instance=site, department_ids=department_ids)
    initial = [
        {"weekday": o.weekday, "part_of_day": o.part_of_day, "times_per_month": o.times_per_month}
        for o in (site.openings.all() if site.pk else [])
    ]
    openings = OpeningFormSet(request.POST or None, initial=initial, prefix="permanences")
    openings_error = ""
    if request.method == "POST" and form.is_valid() and openings.is_valid():
        chosen = [o for o in (f.opening() for f in openings.forms) if o is not None]
        try:
            site_save(site=form.save(commit=False), openings=chosen, acting_user=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "openings" in error.error_dict:
                openings_error = " ".join(error.message_dict["openings"])
            else:
                apply_service_errors(form, error)
        else:
            messages.success(request, f"Le lieu « {site.name} » est enregistré.")
            return redirect("administration:site_list")
    title = "Nouveau lieu d'accueil" if pk is None else f"Modifier « {site.name} »"
    context = {
        "current_schedule": current_schedule,
        "form": form,
        "openings": openings,
        "openings_error": openings_error,
        "title": title,
    }
    return render(request, "iscg/admin/site_form.html", context)
