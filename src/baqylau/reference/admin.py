from django.contrib import admin

from baqylau.core.admin import BaqylauAdmin

from .models import Agency, FacilityKind, Population, Sphere, Territory


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 0
    fields = ["on", "people", "source", "estimate_note"]


@admin.register(Territory)
class TerritoryAdmin(BaqylauAdmin):
    list_display = ["code", "name", "name_ru", "kind", "parent", "centre_name", "lat", "lon"]
    list_filter = ["kind", "parent"]
    search_fields = ["code", "name", "name_ru", "name_kk", "centre_name"]
    inlines = [PopulationInline]


@admin.register(Sphere)
class SphereAdmin(BaqylauAdmin):
    list_display = ["code", "name", "name_ru", "name_kk"]
    search_fields = ["code", "name", "name_ru", "name_kk"]


@admin.register(FacilityKind)
class FacilityKindAdmin(BaqylauAdmin):
    list_display = ["code", "name", "name_ru", "name_kk"]
    search_fields = ["code", "name", "name_ru", "name_kk"]


@admin.register(Agency)
class AgencyAdmin(BaqylauAdmin):
    list_display = ["code", "name", "name_ru", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_ru", "name_kk"]
