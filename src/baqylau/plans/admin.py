from django.contrib import admin

from baqylau.accounts.rules import visible_measures
from baqylau.core.admin import BaqylauAdmin, VersionedAdmin

from .editing import editable_fields
from .models import Facility, Measure, Plan


@admin.register(Plan)
class PlanAdmin(BaqylauAdmin):
    list_display = ["code", "title", "region", "start", "end", "declared_measures", "is_public"]
    list_filter = ["region", "is_public"]
    search_fields = ["code", "title", "title_ru", "title_kk"]


class FacilityInline(admin.TabularInline):
    model = Facility
    extra = 0
    fields = [
        "code",
        "name",
        "kind",
        "capacity_unit",
        "capacity_baseline",
        "capacity_target",
        "commission_planned",
        "commission_actual",
    ]
    show_change_link = True


@admin.register(Measure)
class MeasureAdmin(VersionedAdmin):
    list_display = ["code", "title", "plan", "sphere", "lead_agency", "start", "due", "weight"]
    list_filter = ["plan", "sphere", "lead_agency", "territories", "due"]
    search_fields = ["code", "title", "title_ru", "title_kk", "source"]
    autocomplete_fields = ["parent", "territories", "co_agencies", "lead_agency", "sphere"]
    date_hierarchy = "due"
    list_select_related = ["plan", "sphere", "lead_agency"]
    readonly_fields = ["version", "updated_at"]
    inlines = [FacilityInline]

    def get_queryset(self, request):
        return visible_measures(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        """The same field policy as the edit page and the API (plans/editing.py), whatever the staff flag:
        the project office changes every field, an agency editor only the facts of execution."""
        fixed = list(self.readonly_fields)
        if request.user.has_perm("plans.add_measure"):
            return fixed
        editable = set(editable_fields(request.user))
        opts = self.model._meta
        return fixed + [
            f.name
            for f in [*opts.fields, *opts.many_to_many]
            if f.editable and not f.auto_created and f.name not in editable and f.name not in fixed
        ]


@admin.register(Facility)
class FacilityAdmin(BaqylauAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "measure",
        "territory",
        "capacity_unit",
        "capacity_baseline",
        "capacity_target",
        "commission_planned",
        "commission_actual",
    ]
    list_filter = ["plan", "kind", "territory"]
    search_fields = ["code", "name", "name_ru", "name_kk", "measure__code"]
    autocomplete_fields = ["measure", "territory", "kind"]
    list_select_related = ["measure", "territory", "kind"]

    def get_queryset(self, request):
        measures = visible_measures(request.user, Measure.objects.all()).values("pk")
        return super().get_queryset(request).filter(measure__in=measures)
