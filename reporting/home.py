"""Home blocks: the bilans owed and when, the latest bilans each role may read, and the way
to the statistics."""

from iscg.home_blocks import register
from reporting.models import Report
from reporting.obligations import owed_reports
from reporting.roles import LIST_ROLES, LIVE_ROLES


def _for_every_reader(order: int):
    """A home block of every role that reads bilans (reporting.roles.LIST_ROLES)."""

    def decorator(block):
        for role in LIST_ROLES:
            register(role, order=order)(block)
        return block

    return decorator


@_for_every_reader(order=55)
def owed(request):
    owed = owed_reports(request.user)
    return {"template": "reporting/blocks/owed_reports.html", "owed": owed} if owed else None


@_for_every_reader(order=60)
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
