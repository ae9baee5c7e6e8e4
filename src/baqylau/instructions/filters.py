"""Filtering instructions: one filterset for the register page and the API."""

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baqylau.reference.models import Agency

from .models import Event, ExtensionRequest, Instruction

CONTROL = [
    ("on_control", _("on control")),
    ("due_this_week", _("due this week")),
    ("reported", _("execution reported")),
    ("extension_requested", _("extension requested")),
    ("removed", _("removed from control")),
]


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
    responsible = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("any"),
        label=_("Responsible executor"),
    )
    issuer = django_filters.CharFilter(field_name="issued_by", label=_("Issued by"))
    control = django_filters.ChoiceFilter(choices=CONTROL, method="in_control", label=_("Control"))
    due_after = django_filters.DateFilter(field_name="due", lookup_expr="gte", label=_("Due from"))
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("Due until"))

    class Meta:
        model = Instruction
        fields = ["event", "executor", "responsible", "issuer", "control", "due_after", "due_before"]

    def __init__(self, *args, plan=None, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if plan is not None:  # the events of the plan in view, not of every plan in the country
            self.filters["event"].queryset = Event.objects.filter(plan=plan).order_by("date", "code")

    def in_control(self, queryset, name, value):
        """Where instructions stand in their control: the register's and the queues' presets."""
        on_control = queryset.filter(status=Instruction.Status.OPEN)
        if value == "on_control":
            return on_control
        if value == "due_this_week":
            return on_control.filter(due__gte=self.today, due__lte=self.today + dt.timedelta(days=6))
        if value == "reported":
            return on_control.filter(stage=Instruction.Stage.REPORTED)
        if value == "extension_requested":
            pending = ExtensionRequest.objects.filter(
                instruction=OuterRef("pk"), state=ExtensionRequest.State.REQUESTED
            )
            return on_control.filter(Exists(pending))
        if value == "removed":
            return queryset.filter(status=Instruction.Status.EXECUTED)
        return queryset
