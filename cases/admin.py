"""Reference lists only: beneficiaries, cases and actes are never shown in the admin."""

from django.contrib import admin

from cases.models import ActionKind, Problem
from iscg.admin_site import ScopedHistoryAdmin


@admin.register(Problem)
class ProblemAdmin(ScopedHistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(ActionKind)
class ActionKindAdmin(ScopedHistoryAdmin):
    list_display = ["label", "code", "legal_report", "is_contact", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["legal_report", "is_contact", "is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}
