"""Reference lists only: beneficiaries, cases and actes are never shown in the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import ActionKind, Problem


@admin.register(Problem)
class ProblemAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(ActionKind)
class ActionKindAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "legal_report", "is_contact", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["legal_report", "is_contact", "is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}
