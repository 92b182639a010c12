"""Home blocks of the conventions: alerts for admin and employers, own conventions for
funders, funding figures for the préfecture."""

from django.db.models import OuterRef, Subquery, Sum
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
    paid_per_line = (
        Payment.objects.filter(funding_line=OuterRef("pk"))
        .order_by()
        .values("funding_line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    # Granted and paid in one query over the year's lines of the user's conventions (a
    # few per funder): the payments are summed per line in a subquery, the lines here
    # (SQLite's SUM over that subquery gave 0).
    lines = list(
        FundingLine.objects.filter(convention__in=conventions, year=year)
        .annotate(paid=Subquery(paid_per_line))
        .values_list("granted", "paid")
    )
    granted = sum(line_granted or 0 for line_granted, _ in lines)
    paid = sum(line_paid or 0 for _, line_paid in lines)
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
