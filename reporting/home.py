"""Home blocks: the bilans owed and when, the latest bilans each role may read, and the way
to the statistics."""

from iscg.enums import Role
from iscg.home_blocks import register
from reporting.models import Report
from reporting.obligations import owed_reports
from reporting.roles import LIVE_ROLES


@register(Role.WORKER, order=55)
@register(Role.EMPLOYER_MANAGER, order=55)
@register(Role.PREFECTURE, order=55)
@register(Role.FUNDER, order=55)
@register(Role.UNIT_LEAD, order=55)
@register(Role.ADMIN, order=55)
def owed(request):
    owed = owed_reports(request.user)
    return {"template": "reporting/blocks/owed_reports.html", "owed": owed} if owed else None


@register(Role.WORKER, order=60)
@register(Role.EMPLOYER_MANAGER, order=60)
@register(Role.PREFECTURE, order=60)
@register(Role.FUNDER, order=60)
@register(Role.UNIT_LEAD, order=60)
@register(Role.ADMIN, order=60)
def latest_reports(request):
    user = request.user
    reports = (
        Report.objects.visible_to(user)
        .latest_versions()
        .summaries()
        .order_by("-period_end", "-pk")[:5]
    )
    return {
        "template": "reporting/blocks/latest_reports.html",
        "reports": reports,
        "with_dashboard": LIVE_ROLES.allow(user),
    }
