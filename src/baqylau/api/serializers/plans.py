"""Plans, measures (with their judgement) and facilities."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.judging import Confidence, ForecastNote, MeasureStatus
from baqylau.plans.editing import OFFICE_FIELDS
from baqylau.plans.models import Facility, Measure, Plan

from .base import ApiDateField, StrictModelSerializer, VersionedInputMixin, _version_field, code_field


class PlanSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The title in the request's language."))
    region = code_field()

    class Meta:
        model = Plan
        fields = [
            "id",
            "code",
            "title",
            "title_ru",
            "title_kk",
            "label",
            "region",
            "start",
            "end",
            "declared_measures",
            "tolerance_pp",
            "reporting_interval_days",
            "deadline_near_days",
            "is_public",
            "source",
            "estimate_note",
        ]


class MeasureJudgementSerializer(serializers.Serializer):
    """The verdict on a measure as of a date (docs/judging.md). Percentages 0..100; null is unknown."""

    as_of = serializers.DateField()
    status = serializers.ChoiceField(choices=[s.value for s in MeasureStatus])
    confidence = serializers.ChoiceField(choices=[c.value for c in Confidence])
    progress = serializers.FloatField(allow_null=True)
    planned = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(allow_null=True, help_text=_("progress - planned, percentage points"))
    forecast_finish = serializers.DateField(allow_null=True)
    forecast_note = serializers.ChoiceField(
        choices=[n.value for n in ForecastNote],
        allow_null=True,
        help_text=_("Why there is no forecast finish, when there is none."),
    )
    slip_days = serializers.IntegerField(
        allow_null=True, help_text=_("forecast finish - due; positive: late")
    )
    stale = serializers.BooleanField()
    last_report_on = serializers.DateField(allow_null=True)
    likelihood = serializers.FloatField(
        allow_null=True, help_text=_("Probability 0..1 of finishing by the due date (open measures).")
    )
    finish_low = serializers.DateField(
        allow_null=True, help_text=_("Earliest likely finish (80 percent interval).")
    )
    finish_high = serializers.DateField(
        allow_null=True, help_text=_("Latest likely finish (80 percent interval).")
    )
    explanation = serializers.CharField(help_text=_("The judgement explained, in the request's language."))


class MeasureSerializer(serializers.ModelSerializer):
    plan = code_field()
    label = serializers.CharField(read_only=True, help_text=_("The title in the request's language."))
    parent = code_field(allow_null=True)
    sphere = code_field()
    territories = code_field(many=True)
    lead_agency = code_field()
    co_agencies = code_field(many=True)
    facilities = code_field(many=True)
    judgement = MeasureJudgementSerializer(read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "code",
            "title",
            "title_ru",
            "title_kk",
            "label",
            "parent",
            "sphere",
            "territories",
            "lead_agency",
            "co_agencies",
            "start",
            "due",
            "completion_form",
            "weight",
            "budget_planned_kzt",
            "budget_spent_kzt",
            "budget_source",
            "source",
            "estimate_note",
            "facilities",
            "version",
            "updated_at",
            "judgement",
        ]


class FacilitySerializer(serializers.ModelSerializer):
    plan = code_field()
    kind = code_field(help_text=_("Code of the facility kind (/api/v1/facility-kinds/)."))
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))
    measure_code = serializers.CharField(source="measure.code", read_only=True)
    territory = code_field(allow_null=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "plan",
            "code",
            "name",
            "name_ru",
            "name_kk",
            "label",
            "kind",
            "measure",
            "measure_code",
            "territory",
            "lat",
            "lon",
            "capacity_unit",
            "capacity_baseline",
            "capacity_target",
            "commission_planned",
            "commission_actual",
            "source",
            "estimate_note",
        ]


class MeasureUpdateSerializer(VersionedInputMixin, StrictModelSerializer):
    """The fields of a measure one may change (the project office all, an agency its execution)."""

    schema_rules = {"minProperties": 2}  # the version and at least one field to change
    version = _version_field()
    start = ApiDateField(required=False, allow_null=True)
    due = ApiDateField(required=False)

    class Meta:
        model = Measure
        fields = [*OFFICE_FIELDS, "version"]
        extra_kwargs = {
            "weight": {"min_value": 0},
            "budget_planned_kzt": {"min_value": 0},
            "budget_spent_kzt": {"min_value": 0},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not set(attrs) - {"version"}:
            raise serializers.ValidationError(_("Send at least one field to change, with the version."))
        start = attrs.get("start", self.instance.start)
        due = attrs.get("due", self.instance.due)
        if start and due and due < start:
            raise serializers.ValidationError({"due": [_("The due date must not be before the start date.")]})
        return attrs
