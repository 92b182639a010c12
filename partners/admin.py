from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from iscg.admin import VisibleToAdminMixin
from partners.models import Partner, PartnerKind


@admin.register(PartnerKind)
class PartnerKindAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(Partner)
class PartnerAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "phone", "is_active"]
    list_filter = ["kind", "is_active", "department"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["commune"]
    list_select_related = ["kind", "commune"]
    # Without a scheme, a typed address is taken as https (Django 6 default; no warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
