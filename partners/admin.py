from django.contrib import admin
from django.db import models

from iscg.admin import VisibleToAdminMixin
from iscg.admin_site import ScopedHistoryAdmin
from partners.models import Partner, PartnerKind


@admin.register(PartnerKind)
class PartnerKindAdmin(ScopedHistoryAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(Partner)
class PartnerAdmin(VisibleToAdminMixin, ScopedHistoryAdmin):
    list_display = ["name", "kind", "commune", "phone", "is_active"]
    list_filter = ["kind", "is_active", "department"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["commune"]
    list_select_related = ["kind", "commune"]
    # A website typed without its scheme is an https one (Django 6 default, stated now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
