from django.contrib import admin

from baqylau.core.admin import BaqylauAdmin

from .models import Actual, Indicator, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["period_end", "value", "source", "estimate_note"]


class ActualInline(admin.TabularInline):
    model = Actual
    extra = 0
    fields = ["period_end", "value", "reported_by", "reported_on", "note", "source", "estimate_note"]


@admin.register(Indicator)
class IndicatorAdmin(BaqylauAdmin):
    list_display = ["code", "name", "unit", "direction", "measure", "baseline_value", "baseline_date"]
    list_filter = ["plan", "direction", "measure__sphere"]
    search_fields = ["code", "name", "name_ru", "name_kk", "measure__code"]
    autocomplete_fields = ["measure"]
    list_select_related = ["measure"]
    inlines = [TargetInline, ActualInline]
