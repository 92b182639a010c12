"""The admin site's view of the conventions, for the technical operator: read-only.

Conventions, parties, covered posts, budgets, funding lines, payments, amendments and
documents are written on the convention pages only, through ``conventions.services`` (sums
reconciled, readers' grants recomputed).
"""

from django.contrib import admin

from conventions.models import (
    Amendment,
    BudgetLine,
    Convention,
    ConventionDocument,
    ConventionParty,
    ConventionPost,
    FundingLine,
    Payment,
    SentAlert,
)
from iscg.admin import VisibleToAdminMixin
from iscg.admin_site import ReadOnlyAdminMixin, ScopedHistoryAdmin


class _ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class PartyInline(_ReadOnlyInline):
    model = ConventionParty


class CoveredPostInline(_ReadOnlyInline):
    model = ConventionPost


class BudgetInline(_ReadOnlyInline):
    model = BudgetLine


class FundingInline(_ReadOnlyInline):
    model = FundingLine


class AmendmentInline(_ReadOnlyInline):
    model = Amendment


class PaymentInline(_ReadOnlyInline):
    model = Payment


class _ReadOnlyConventionAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, ScopedHistoryAdmin):
    pass


@admin.register(Convention)
class ConventionAdmin(_ReadOnlyConventionAdmin):
    list_display = ["title", "kind", "employer", "start", "end", "status"]
    list_filter = ["status", "kind", "tacit_renewal"]
    search_fields = ["title", "reference", "employer__name"]
    date_hierarchy = "start"
    inlines = [PartyInline, CoveredPostInline, BudgetInline, FundingInline, AmendmentInline]


@admin.register(FundingLine)
class FundingLineAdmin(_ReadOnlyConventionAdmin):
    list_display = ["convention", "funder", "year", "requested", "granted", "due_date"]
    list_filter = ["year", "funder__kind"]
    search_fields = ["convention__title", "funder__name"]
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(_ReadOnlyConventionAdmin):
    list_display = ["funding_line", "date", "amount", "reference"]
    date_hierarchy = "date"
    search_fields = ["funding_line__convention__title", "funding_line__funder__name"]


@admin.register(Amendment)
class AmendmentAdmin(_ReadOnlyConventionAdmin):
    list_display = ["convention", "number", "date"]


@admin.register(ConventionDocument)
class ConventionDocumentAdmin(_ReadOnlyConventionAdmin):
    list_display = ["convention", "title", "uploaded_at"]


@admin.register(SentAlert)
class SentAlertAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["convention", "kind", "deadline", "message", "sent_at"]
    list_filter = ["kind"]
