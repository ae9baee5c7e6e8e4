"""The API's filters: the register pages' filtersets, plus the plan, the as-of date and judged verdicts.

Measures and instructions filter exactly as their register pages do (``plans.filters.MeasureFilter``,
``instructions.filters.InstructionFilter``); the API adds ``plan`` (the pages take it from the page
scope), ``as_of`` (the date the judgement is made on) and ``status`` / ``confidence``, which are judged,
not stored, so the views apply them after judging (the filters here only validate them).
"""

import copy

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from baqylau.core.dates import ERA_END, ERA_PATTERN, ERA_START, era_message, in_era
from baqylau.indicators.models import Indicator
from baqylau.instructions.discipline import GROUPINGS
from baqylau.instructions.filters import InstructionFilter
from baqylau.instructions.models import Event, Instruction
from baqylau.judging import Confidence, InstructionStatus, MeasureStatus
from baqylau.plans.filters import MeasureFilter
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, FacilityKind, Territory
from baqylau.reports.models import Report

# Judging far outside any plan's life says nothing and risks date arithmetic at the ends of the calendar.
AS_OF_MIN, AS_OF_MAX = ERA_START, ERA_END


class AsOfField(forms.DateField):
    def validate(self, value):
        super().validate(value)
        if value is not None and not in_era(value):
            raise forms.ValidationError(era_message(), code="out_of_range")


@extend_schema_field({"type": "string", "format": "date", "pattern": r"^$|" + ERA_PATTERN})
class AsOfFilter(django_filters.DateFilter):
    """``as_of=YYYY-MM-DD``: the date judgements are made on (default today). Validated, never filtered on."""

    field_class = AsOfField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Judge as of (YYYY-MM-DD, default today)"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """An item's id: a whole number within the database's range (not any decimal); the schema says so."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


def _plan_filter(field_name="plan"):
    return django_filters.ModelChoiceFilter(
        queryset=Plan.objects.order_by("code"), to_field_name="code", field_name=field_name, label=_("Plan")
    )


class JudgedFilterMixin(django_filters.FilterSet):
    as_of = AsOfFilter()

    def keep(self, queryset, name, value):
        """Judged values (status, confidence) are applied by the view after judging."""
        return queryset


class MeasureApiFilter(JudgedFilterMixin, MeasureFilter):
    plan = _plan_filter()
    # The page's agency filter takes a code through a method; say so in the schema.
    agency = extend_schema_field(OpenApiTypes.STR)(copy.deepcopy(MeasureFilter.base_filters["agency"]))
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.value) for s in MeasureStatus], method="keep", label=_("Judged status")
    )
    confidence = django_filters.ChoiceFilter(
        choices=[(c.value, c.value) for c in Confidence], method="keep", label=_("Judged confidence")
    )

    class Meta(MeasureFilter.Meta):
        model = Measure
        fields = ["plan", *MeasureFilter.Meta.fields, "status", "confidence", "as_of"]


class InstructionApiFilter(JudgedFilterMixin, InstructionFilter):
    plan = _plan_filter()
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.value) for s in InstructionStatus],
        method="keep",
        label=_("Judged status"),
    )

    class Meta(InstructionFilter.Meta):
        model = Instruction
        fields = ["plan", *InstructionFilter.Meta.fields, "status", "as_of"]


class FacilityFilter(django_filters.FilterSet):
    plan = _plan_filter()
    measure = IdFilter(field_name="measure_id", label=_("Measure id"))
    kind = django_filters.ModelChoiceFilter(
        queryset=FacilityKind.objects.order_by("code"), to_field_name="code", label=_("Kind")
    )
    territory = django_filters.ModelChoiceFilter(
        queryset=Territory.objects.order_by("code"), to_field_name="code", label=_("Territory")
    )

    class Meta:
        model = Facility
        fields = ["plan", "measure", "kind", "territory"]


class IndicatorFilter(django_filters.FilterSet):
    plan = _plan_filter()
    measure = IdFilter(field_name="measure_id", label=_("Measure id"))

    class Meta:
        model = Indicator
        fields = ["plan", "measure"]


class EventFilter(django_filters.FilterSet):
    plan = _plan_filter()
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, label=_("Kind"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Event
        fields = ["plan", "kind", "date_after", "date_before"]


class ReportFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.order_by("code"), to_field_name="code", method="filter_plan", label=_("Plan")
    )
    state = django_filters.ChoiceFilter(choices=Report.State.choices, label=_("State"))
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.order_by("code"), to_field_name="code", label=_("Agency")
    )
    measure = IdFilter(field_name="measure_id", label=_("Measure id"))
    instruction = IdFilter(field_name="instruction_id", label=_("Instruction id"))
    period_end_after = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_end_before = django_filters.DateFilter(field_name="period_end", lookup_expr="lte")

    class Meta:
        model = Report
        fields = [
            "plan",
            "state",
            "agency",
            "measure",
            "instruction",
            "period_end_after",
            "period_end_before",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def filter_plan(self, queryset, name, plan):
        # Subqueries, not joins: each side is an index search on its own column, so a national
        # database's reports are not scanned whole.
        return queryset.filter(
            Q(measure__in=Measure.objects.filter(plan=plan).values("pk"))
            | Q(instruction__in=Instruction.objects.filter(plan=plan).values("pk"))
        )


class DisciplineQuery(forms.Form):
    """The discipline endpoint's query: a plan, a grouping and a period of original due dates (a period
    that ends before it starts holds nothing, as the lists' due_after / due_before do)."""

    plan = forms.CharField(max_length=40)
    by = forms.ChoiceField(choices=[(b, b) for b in GROUPINGS], required=False)
    start = AsOfField(required=False)
    end = AsOfField(required=False)
    as_of = AsOfField(required=False)

    def __init__(self, data, *args, **kwargs):
        data = {("start" if k == "from" else "end" if k == "to" else k): v for k, v in data.items()}
        super().__init__(data, *args, **kwargs)
