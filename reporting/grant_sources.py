"""Who receives a sent bilan: funder users of the recipient funders, the managers of the
employer, and (monthly bilans) the leads of the recipient units."""

from iscg.enums import Role
from iscg.grants import GrantSource
from iscg.models import Membership
from reporting.models import Report, ReportStatus


def report_recipients(user_ids):
    def restrict(queryset):
        return queryset if user_ids is None else queryset.filter(user_id__in=user_ids)

    sent = Report.objects.filter(status=ReportStatus.SENT)
    memberships = restrict(Membership.objects.active().filter(user__is_active=True))
    pairs = set(
        memberships.filter(role=Role.FUNDER, funder__reports__in=sent).values_list(
            "user_id", "funder__reports"
        )
    )
    pairs.update(
        memberships.filter(role=Role.EMPLOYER_MANAGER, employer__reports__in=sent).values_list(
            "user_id", "employer__reports"
        )
    )
    reports_by_unit: dict[int, set[int]] = {}
    for unit_id, report_id in Report.recipient_units.through.objects.filter(
        report__in=sent
    ).values_list("unit_id", "report_id"):
        reports_by_unit.setdefault(unit_id, set()).add(report_id)
    if reports_by_unit:
        for membership in memberships.filter(role=Role.UNIT_LEAD).select_related("unit"):
            for unit_id in membership.unit.descendant_ids():
                pairs.update((membership.user_id, r) for r in reports_by_unit.get(unit_id, ()))
    return pairs


SOURCES = [
    GrantSource("reporting.ReportUserObjectPermission", "view_report", report_recipients),
]
