"""The partner directory, for workers and the departmental administrator.

Partners are public information of the département; the orientations towards them are
case data, so the detail page shows only their count.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from iscg import access
from iscg.enums import Role
from iscg.forms import apply_service_errors
from iscg.permissions import Roles, role_required
from partners.filters import PartnerFilter
from partners.forms import PartnerForm
from partners.models import Partner
from partners.services import partner_update

DIRECTORY_ROLES = Roles((Role.WORKER, Role.ADMIN))
PARTNER_EDITORS = Roles((Role.ADMIN,))


@role_required(DIRECTORY_ROLES)
def partner_list(request):
    queryset = (
        Partner.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("kind", "commune")
        .order_by("name")
    )
    filterset = PartnerFilter(request.GET or None, queryset=queryset, request=request)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "partners/partner_list.html",
        {
            "filter": filterset,
            "page_obj": Paginator(filterset.qs, 25).get_page(request.GET.get("page")),
            "query": params.urlencode(),
        },
    )


@role_required(DIRECTORY_ROLES)
def partner_detail(request, pk):
    partner = get_object_or_404(
        Partner.objects.visible_to(request.user).select_related("kind", "commune"), pk=pk
    )
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "orientation_count": partner.orientations.count(),
            "can_edit": partner.department_id
            in access.department_ids(request.user, roles=[Role.ADMIN]),
        },
    )


@role_required(PARTNER_EDITORS)
def partner_edit(request, pk):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    department_ids = access.department_ids(request.user, roles=[Role.ADMIN])
    if partner.department_id not in department_ids:
        raise Http404
    form = PartnerForm(request.POST or None, instance=partner, department_ids=department_ids)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        partner.refresh_from_db()  # the form wrote on the instance: the service sets it
        try:
            partner_update(partner=partner, acting_user=request.user, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Le partenaire « {partner.name} » est enregistré.")
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(
        request,
        "iscg/admin/form.html",
        {
            "form": form,
            "title": f"Modifier le partenaire « {partner.name} »",
            "back": "partners:partner_detail",
            "back_pk": partner.pk,
        },
    )
