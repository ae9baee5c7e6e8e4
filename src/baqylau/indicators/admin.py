from django.contrib import admin
from django.db.models import Q

from baqylau.accounts.rules import visible_measures
from baqylau.core.admin import BaqylauAdmin
from baqylau.plans.models import Measure

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

    def get_queryset(self, request):
        # As the API: an agency sees the indicators of its own measures and the plan-wide ones.
        measures = visible_measures(request.user, Measure.objects.all()).values("pk")
        return super().get_queryset(request).filter(Q(measure__isnull=True) | Q(measure__in=measures))
