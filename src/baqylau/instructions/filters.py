"""Filtering instructions: one filterset for the register page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from baqylau.reference.models import Agency

from .models import Event, Instruction


class InstructionFilter(django_filters.FilterSet):
    event = django_filters.ModelChoiceFilter(
        queryset=Event.objects.order_by("date"), to_field_name="code", empty_label=_("any"), label=_("Event")
    )
    executor = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("any"),
        field_name="executors",
        label=_("Executor"),
    )
    due_after = django_filters.DateFilter(field_name="due", lookup_expr="gte", label=_("Due from"))
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("Due until"))

    class Meta:
        model = Instruction
        fields = ["event", "executor", "due_after", "due_before"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:  # the events of the plan in view, not of every plan in the country
            self.filters["event"].queryset = Event.objects.filter(plan=plan).order_by("date", "code")
