"""Indicators with their targets and actuals."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.indicators.models import Actual, Indicator, Target

from .base import code_field


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["period_end", "value", "source", "estimate_note"]


class ActualSerializer(serializers.ModelSerializer):
    reported_by = code_field(allow_null=True)

    class Meta:
        model = Actual
        fields = ["period_end", "value", "reported_by", "reported_on", "note", "source", "estimate_note"]


class IndicatorSerializer(serializers.ModelSerializer):
    plan = code_field()
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))
    measure_code = serializers.CharField(source="measure.code", read_only=True, allow_null=True)
    targets = TargetSerializer(many=True, read_only=True)
    actuals = ActualSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "code",
            "name",
            "name_ru",
            "name_kk",
            "label",
            "unit",
            "direction",
            "measure",
            "measure_code",
            "baseline_value",
            "baseline_date",
            "source",
            "estimate_note",
            "targets",
            "actuals",
        ]
