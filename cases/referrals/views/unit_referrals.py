"""The unit's side of a referral: submit it, follow it, read the feedback. Nothing else."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.enums import ReferralOrigin, ReferralStatus
from cases.models import Referral
from cases.referrals.access import UNIT_ROLES
from cases.referrals.forms.unit import UnitReferralFilterForm, UnitReferralForm
from cases.referrals.selectors import (
    by_unit,
    monthly_counts,
    unit_projection,
    units_for_submission,
)
from cases.referrals.services.referrals import referral_create
from cases.referrals.services.unit_visits import referral_list_visit
from cases.view_helpers import _query_without_page
from iscg import access
from iscg.audit import audited
from iscg.commune_input import commune_suggestions
from iscg.enums import Role
from iscg.models import AccessAction
from iscg.pagination import BoundedCountPaginator
from iscg.permissions import role_required

LIST_FIELDS = (
    "number",
    "received_at",
    "source_unit__name",
    "status",
    "urgency",
    "person_last_name",
    "person_first_name",
    "main_problem__label",
)


def _communes_for(user):
    return commune_suggestions(access.department_ids(user))


@role_required(UNIT_ROLES)
def unit_referral_create(request):
    units = units_for_submission(request.user).order_by("name")
    if not units:  # evaluates the units once for the form and the template
        raise PermissionDenied("Aucune unité ne vous est rattachée pour transmettre une saisine.")
    form = UnitReferralForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        referral = referral_create(
            acting_user=request.user, origin=ReferralOrigin.FSI_DIRECT, **form.referral_fields()
        )
        return redirect("referrals:unit_confirmation", pk=referral.pk)
    return render(
        request,
        "cases/referrals/unit_form.html",
        {"form": form, "communes": _communes_for(request.user), "single_unit": len(units) == 1},
    )


def _unit_referral(request, pk):
    return get_object_or_404(Referral.objects.for_units_of(request.user), pk=pk)


@role_required(UNIT_ROLES)
def unit_referral_confirmation(request, pk):
    referral = _unit_referral(request, pk)
    return render(
        request,
        "cases/referrals/unit_confirmation.html",
        {"number": referral.number, "pk": referral.pk, "routed": referral.post_id is not None},
    )


@role_required(UNIT_ROLES)
def unit_referral_list(request):
    is_lead = access.has_role(request.user, Role.UNIT_LEAD)
    referrals = Referral.objects.for_units_of(request.user)
    filters = UnitReferralFilterForm(request.GET or None)
    filtered = referrals
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            filtered = filtered.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["month"]:
            month = filters.cleaned_data["month"]
            filtered = filtered.filter(
                received_at__gte=_month_start(month),
                received_at__lt=_month_start(month + relativedelta(months=1)),
            )
    since = _seen_since(request)
    rows = filtered.values("pk", "last_feedback_at", *LIST_FIELDS)
    # A page of each unit's saisines from its own index, merged: a lead's units' saisines
    # were all read and sorted to show 20.
    units = access.followed_unit_ids(request.user)
    rows = by_unit(rows, units, ("-received_at", "-pk")) if units else rows.order_by("-pk")
    # The unit's saisines of every year: a count bounded like the workers' lists.
    page = BoundedCountPaginator(rows, 20).get_page(request.GET.get("page"))
    status_labels = dict(ReferralStatus.choices)
    for row in page.object_list:
        row["status_label"] = status_labels[row["status"]]
        row["anonymous"] = not (row["person_last_name"] or row["person_first_name"])
        row["new_feedback"] = row["last_feedback_at"] is not None and (
            since is None or row["last_feedback_at"] > since
        )
    context = {
        "since": since,
        "is_lead": is_lead,
        "page_obj": page,
        "filters": filters,
        "querystring": _query_without_page(request),
    }
    if is_lead:
        context["monthly"] = _pivot(
            monthly_counts(referrals.filter(received_at__gte=_months_ago()))
        )
        context["monthly_months"] = MONTHLY_MONTHS
        context["statuses"] = ReferralStatus.choices
    return render(request, "cases/referrals/unit_list.html", context)


SEEN_SINCE_KEY = "referrals_seen_since"


def _seen_since(request):
    """When the user had last looked at their saisines before this session's first look:
    the feedback that arrived since stays marked "nouveau" while they page and filter,
    and the next session starts from this one's first look."""
    if SEEN_SINCE_KEY not in request.session:
        since = referral_list_visit(acting_user=request.user)
        request.session[SEEN_SINCE_KEY] = since.isoformat() if since else ""
    stored = request.session[SEEN_SINCE_KEY]
    return datetime.datetime.fromisoformat(stored) if stored else None


# The table of saisines per month covers the last year: the list above reaches older ones
# (by month), and a table of every month since the first saisine grew with the years.
MONTHLY_MONTHS = 12


def _month_start(day: datetime.date) -> datetime.datetime:
    """The first instant of ``day``'s month, local time (a range the unit's index reads,
    where the month of every saisine was computed to compare)."""
    return timezone.make_aware(datetime.datetime.combine(day.replace(day=1), datetime.time.min))


def _months_ago(months: int = MONTHLY_MONTHS) -> datetime.datetime:
    """The start of the month ``months - 1`` months before this one (local time)."""
    return _month_start(timezone.localdate().replace(day=1) - relativedelta(months=months - 1))


def _pivot(counts) -> list[dict]:
    """Months as rows, statuses as columns; the counts come grouped from the database."""
    months: dict = {}
    for row in counts:
        month = (
            timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
        )
        key = (month.year, month.month)
        entry = months.setdefault(key, {"month": month, "counts": {}, "total": 0})
        entry["counts"][row["status"]] = row["count"]
        entry["total"] += row["count"]
    result = []
    for entry in months.values():
        entry["cells"] = [entry["counts"].get(status, 0) for status in ReferralStatus.values]
        result.append(entry)
    return result


@role_required(UNIT_ROLES)
@audited
def unit_referral_detail(request, pk):
    referral = _unit_referral(request, pk)
    request.audit = (AccessAction.VIEW, referral)
    return render(
        request, "cases/referrals/unit_detail.html", {"referral": unit_projection(referral)}
    )
