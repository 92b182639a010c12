"""Home blocks of the conventions: alerts for admin and employers, own conventions for
funders, funding figures for the préfecture."""

from django.db.models import Sum
from django.utils import timezone

from conventions.alerts import pending_alerts
from conventions.models import Convention, FundingLine, Payment
from iscg.enums import Role
from iscg.home_blocks import register


@register(Role.ADMIN, order=60)
@register(Role.PREFECTURE, order=60)
@register(Role.EMPLOYER_MANAGER, order=60)
def convention_alerts(request):
    conventions = Convention.objects.visible_to(request.user)
    return {
        "template": "conventions/blocks/alerts.html",
        "alerts": pending_alerts(conventions),
        "count": conventions.count(),
    }


@register(Role.PREFECTURE, order=61)
@register(Role.ADMIN, order=61)
def funding_summary(request):
    year = timezone.localdate().year
    conventions = Convention.objects.visible_to(request.user).editable_by(request.user)
    lines = FundingLine.objects.filter(convention__in=conventions, year=year)
    granted = lines.aggregate(total=Sum("granted"))["total"]
    paid = Payment.objects.filter(funding_line__in=lines).aggregate(total=Sum("amount"))["total"]
    return {
        "template": "conventions/blocks/funding_summary.html",
        "year": year,
        "granted": granted or 0,
        "paid": paid or 0,
    }


@register(Role.FUNDER, order=60)
def funder_conventions(request):
    conventions = Convention.objects.visible_to(request.user).select_related("employer")
    return {"template": "conventions/blocks/funder_conventions.html", "conventions": conventions}
