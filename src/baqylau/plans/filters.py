"""Filtering measures: one filterset for the register page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baqylau.reference.models import Agency, Sphere, Territory

from .models import Measure


class MeasureFilter(django_filters.FilterSet):
    sphere = django_filters.ModelChoiceFilter(
        queryset=Sphere.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("any"),
        label=_("Sphere"),
    )
    territory = django_filters.ModelChoiceFilter(
        queryset=Territory.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("any"),
        field_name="territories",
        label=_("Territory"),
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("any"),
        method="filter_agency",
        label=_("Agency"),
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Measure
        fields = ["sphere", "territory", "agency", "q"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:  # the region's own territories, not every territory in the country
            region = Territory.objects.filter(Q(pk=plan.region_id) | Q(parent_id=plan.region_id))
            self.filters["territory"].queryset = region.order_by("code")

    def filter_agency(self, queryset, name, agency):
        """Lead agency or co-executor."""
        return queryset.filter(Q(lead_agency=agency) | Q(co_agencies=agency)).distinct()

    def filter_text(self, queryset, name, value):
        words = Q()
        for field in ("code", "title", "title_ru", "title_kk"):
            words |= Q(**{f"{field}__icontains": value})
        return queryset.filter(words)
