"""The partner directory, for workers and the departmental administrator.

Partners are public information of the département; the orientations towards them are
case data, so the detail page shows only their count.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from cases.permissions import roles_required
from iscg.enums import Role
from partners.filters import PartnerFilter
from partners.models import Partner

DIRECTORY_ROLES = (Role.WORKER, Role.ADMIN)


@roles_required(*DIRECTORY_ROLES)
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


@roles_required(*DIRECTORY_ROLES)
def partner_detail(request, pk):
    partner = get_object_or_404(
        Partner.objects.visible_to(request.user).select_related("kind", "commune"), pk=pk
    )
    return render(
        request,
        "partners/partner_detail.html",
        {"partner": partner, "orientation_count": partner.orientations.count()},
    )
