"""Financing plans and the funding dashboard, aggregated by the database."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from conventions.enums import BudgetCategory, ConventionStatus
from conventions.models import BudgetLine, ConventionPost, FundingLine, Payment
from iscg.enums import FunderKind
from iscg.models import Post

ZERO = Decimal("0")


def _share(part, whole):
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None


def _sum(values):
    return sum(values, ZERO)


def financing_plan(convention) -> dict:
    """Year × funder: requested, granted, paid, remaining; budget, State share, ETP cost.

    Three queries whatever the convention holds: its funding lines (with what was paid on
    each), its budget lines and its posts' ETP; the totals are added up here.
    """
    lines = list(
        FundingLine.objects.filter(convention=convention)
        .with_paid()
        .select_related("funder")
        .order_by("year", "funder__name")
    )
    budget_lines = list(
        BudgetLine.objects.filter(convention=convention).values_list("year", "category", "amount")
    )
    etp = (
        ConventionPost.objects.filter(convention=convention).aggregate(total=Sum("etp"))["total"]
        or ZERO
    )

    def state(of_lines):
        return _sum(line.granted for line in of_lines if line.funder.kind == FunderKind.FIPD)

    years = []
    for year in convention.years:
        year_lines = [line for line in lines if line.year == year]
        granted = _sum(line.granted for line in year_lines)
        year_state = state(year_lines)
        paid = _sum(line.paid for line in year_lines)
        year_budget_lines = [(c, a) for y, c, a in budget_lines if y == year]
        year_budget = _sum(a for _, a in year_budget_lines) if year_budget_lines else None
        by_category = defaultdict(lambda: None)
        for category, amount in year_budget_lines:
            by_category[category] = (by_category[category] or ZERO) + amount
        years.append(
            {
                "year": year,
                "lines": year_lines,
                "requested": _sum(line.requested for line in year_lines),
                "granted": granted,
                "paid": paid,
                "remaining": granted - paid,
                "state": year_state,
                "state_share": _share(year_state, granted),
                "budget": year_budget,
                "budget_by_category": [
                    (label, by_category[value]) for value, label in BudgetCategory.choices
                ],
                "unfunded": (year_budget - granted) if year_budget is not None else None,
                "etp_cost": (year_budget / etp).quantize(Decimal("0.01"))
                if year_budget is not None and etp
                else None,
            }
        )
    granted = _sum(line.granted for line in lines)
    total_paid = _sum(line.paid for line in lines)
    total_state = state(lines)
    total_budget = _sum(a for _, _, a in budget_lines) if budget_lines else None
    return {
        "years": years,
        "etp": etp,
        "requested": _sum(line.requested for line in lines),
        "granted": granted,
        "paid": total_paid,
        "remaining": granted - total_paid,
        "state": total_state,
        "state_share": _share(total_state, granted),
        "budget": total_budget,
        "etp_cost_per_year": (total_budget / etp / len(convention.years)).quantize(Decimal("0.01"))
        if total_budget is not None and etp
        else None,
        "categories": BudgetCategory.choices,
    }


def timeline(convention, *, parties, amendments) -> list[dict]:
    """Signatures, amendments and payments by date (parties and amendments already read)."""
    events = []
    if convention.signed_on:
        events.append({"date": convention.signed_on, "label": "Signature de la convention"})
    for party in parties:
        if party.signed_on:
            events.append({"date": party.signed_on, "label": f"Signature : {party.name}"})
    for amendment in amendments:
        events.append({"date": amendment.date, "label": f"{amendment} – {amendment.summary}"})
    for payment in Payment.objects.filter(funding_line__convention=convention).select_related(
        "funding_line__funder"
    ):
        line = payment.funding_line
        events.append(
            {
                "date": payment.date,
                "label": f"Versement de {line.funder} ({line.year})",
                "amount": payment.amount,
            }
        )
    return sorted(events, key=lambda e: e["date"])


def funding_dashboard(conventions, today: datetime.date | None = None) -> dict:
    """Per year and funder: granted and paid; FIPD share; ETP funded vs filled; overdue."""
    today = today or timezone.localdate()
    lines = FundingLine.objects.filter(convention__in=conventions).exclude(
        convention__status=ConventionStatus.DRAFT
    )
    granted_rows = list(
        lines.values("year", "funder_id", "funder__name", "funder__kind")
        .annotate(requested=Sum("requested"), granted=Sum("granted"))
        .order_by("-year", "funder__name")
    )
    paid = {
        (row["funding_line__year"], row["funding_line__funder_id"]): row["total"]
        for row in Payment.objects.filter(funding_line__in=lines)
        .values("funding_line__year", "funding_line__funder_id")
        .annotate(total=Sum("amount"))
    }
    # The years' totals add up the rows already read (per year and funder).
    year_totals: dict = {}
    for row in granted_rows:
        totals = year_totals.setdefault(row["year"], {"total_granted": ZERO, "total_state": ZERO})
        totals["total_granted"] += row["granted"] or ZERO
        if row["funder__kind"] == FunderKind.FIPD:
            totals["total_state"] += row["granted"] or ZERO
    paid_by_year: dict = {}
    for (year, _funder), amount in paid.items():
        paid_by_year[year] = paid_by_year.get(year, ZERO) + (amount or ZERO)
    covered = ConventionPost.objects.filter(convention__in=conventions).exclude(
        convention__status__in=[ConventionStatus.DRAFT, ConventionStatus.TERMINATED]
    )
    years = sorted(year_totals, reverse=True)
    etp_funded = {row["year"]: row["total"] for row in _etp_funded_by_year(covered, years)}
    post_ids = covered.values("post_id")
    filled = Post.objects.filter(pk__in=post_ids, is_active=True).filled(today)
    etp_filled = filled.aggregate(total=Sum("etp"))["total"] or ZERO
    result_years = []
    for year in years:
        totals = year_totals[year]
        year_granted = totals["total_granted"] or ZERO
        year_state = totals["total_state"] or ZERO
        year_paid = paid_by_year.get(year) or ZERO
        funders = []
        for row in granted_rows:
            if row["year"] != year:
                continue
            row_paid = paid.get((year, row["funder_id"])) or ZERO
            funders.append(
                {
                    **row,
                    "paid": row_paid,
                    "remaining": row["granted"] - row_paid,
                    "is_state": row["funder__kind"] == FunderKind.FIPD,
                }
            )
        result_years.append(
            {
                "year": year,
                "funders": funders,
                "granted": year_granted,
                "paid": year_paid,
                "remaining": year_granted - year_paid,
                "state": year_state,
                "state_share": _share(year_state, year_granted),
                "etp_funded": etp_funded.get(year) or ZERO,
            }
        )
    overdue = list(
        FundingLine.objects.overdue(today)
        .filter(convention__in=conventions)
        .select_related("funder", "convention")
        .order_by("due_date")
    )
    return {"years": result_years, "etp_filled": etp_filled, "overdue": overdue, "today": today}


def _etp_funded_by_year(covered, years):
    """ETP of the posts covered by conventions running in each year (one query)."""
    rows = list(covered.values_list("etp", "convention__start", "convention__end"))
    for year in years:
        total = _sum(etp for etp, start, end in rows if start.year <= year <= end.year)
        yield {"year": year, "total": total}
