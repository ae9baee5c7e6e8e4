from django.contrib import admin

from baqylau.core.admin import BaqylauAdmin

from .models import WaterAssumption, WaterSource, WaterSourceStage, WaterZone


class StageInline(admin.TabularInline):
    model = WaterSourceStage
    extra = 0
    fields = [
        "position",
        "capacity_m3_day",
        "facility",
        "planned_date",
        "actual_date",
        "source",
        "estimate_note",
    ]
    autocomplete_fields = ["facility"]


@admin.register(WaterSource)
class WaterSourceAdmin(BaqylauAdmin):
    list_display = ["code", "name", "kind", "region", "baseline_m3_day"]
    list_filter = ["region", "kind"]
    search_fields = ["code", "name", "name_ru", "name_kk"]
    inlines = [StageInline]


@admin.register(WaterZone)
class WaterZoneAdmin(BaqylauAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "name_ru", "name_kk"]
    filter_horizontal = ["territories"]


@admin.register(WaterAssumption)
class WaterAssumptionAdmin(BaqylauAdmin):
    list_display = ["kind", "zone", "water_source", "month", "value", "is_estimate"]
    list_filter = ["region", "kind", "zone", "water_source"]
    search_fields = ["source", "estimate_note"]
    list_select_related = ["zone", "water_source"]

    @admin.display(boolean=True, description="estimate")
    def is_estimate(self, obj):
        return obj.is_estimate
