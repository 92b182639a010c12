"""Django admin of the conventions, in French; every queryset goes through visible_to."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
from conventions.services import refresh_convention_readers
from iscg.admin import VisibleToAdminMixin


class ReadOnlyInlineMixin:
    """Money is entered on the convention screens, where the services keep sums reconciled."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PartyInline(admin.TabularInline):
    model = ConventionParty
    extra = 0
    fields = ["role", "label", "funder", "employer", "unit", "signed_on"]
    autocomplete_fields = ["funder", "employer", "unit"]


class CoveredPostInline(admin.TabularInline):
    model = ConventionPost
    extra = 0
    autocomplete_fields = ["post"]


class BudgetInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = BudgetLine
    extra = 0


class FundingInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = FundingLine
    extra = 0
    fields = ["funder", "year", "requested", "granted", "decision_reference", "due_date"]
    show_change_link = True


class AmendmentInline(admin.TabularInline):
    model = Amendment
    extra = 0


@admin.register(Convention)
class ConventionAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "employer", "start", "end", "status"]
    list_filter = ["status", "kind", "tacit_renewal"]
    search_fields = ["title", "reference", "employer__name"]
    date_hierarchy = "start"
    autocomplete_fields = ["employer"]
    readonly_fields = ["notice_deadline", "initial_end"]
    inlines = [PartyInline, CoveredPostInline, BudgetInline, FundingInline, AmendmentInline]

    def save_model(self, request, obj, form, change):
        obj.notice_deadline = obj.compute_notice_deadline()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_convention_readers(form.instance)


class PaymentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["date", "amount", "reference"]


@admin.register(FundingLine)
class FundingLineAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["convention", "funder", "year", "requested", "granted", "due_date"]
    list_filter = ["year", "funder__kind"]
    search_fields = ["convention__title", "funder__name"]
    autocomplete_fields = ["convention", "funder"]
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["funding_line", "date", "amount", "reference"]
    date_hierarchy = "date"
    autocomplete_fields = ["funding_line"]
    search_fields = ["funding_line__convention__title", "funding_line__funder__name"]


@admin.register(Amendment)
class AmendmentAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["convention", "number", "date"]
    autocomplete_fields = ["convention"]


@admin.register(ConventionDocument)
class ConventionDocumentAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["convention", "title", "uploaded_at"]
    autocomplete_fields = ["convention"]
    readonly_fields = ["uploaded_by"]


@admin.register(SentAlert)
class SentAlertAdmin(ReadOnlyAdminMixin, VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["convention", "kind", "deadline", "message", "sent_at"]
    list_filter = ["kind"]
