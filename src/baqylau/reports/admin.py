from django.contrib import admin

from baqylau.core.admin import VersionedAdmin

from .models import Report


@admin.register(Report)
class ReportAdmin(VersionedAdmin):
    list_display = [
        "__str__",
        "agency",
        "period_end",
        "progress",
        "executed",
        "state",
        "submitted_on",
        "reviewed_on",
    ]
    list_filter = ["state", "agency", "measure__plan", "period_end"]
    search_fields = ["narrative", "measure__code", "instruction__code", "review_comment"]
    autocomplete_fields = ["measure", "instruction", "agency"]
    list_select_related = ["measure", "instruction", "agency"]
    readonly_fields = ["version", "updated_at"]
