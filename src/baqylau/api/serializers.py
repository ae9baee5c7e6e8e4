"""What the API reads and writes. Reference data is named by code, plan items by id (and code)."""

import datetime as dt
from collections.abc import Mapping

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.accounts.rules import visible_instructions, visible_measures
from baqylau.core.dates import ERA_END, ERA_START, era_message, in_era
from baqylau.core.spreadsheet import UNHOLDABLE
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.judging import Confidence, ForecastNote, InstructionStatus, MeasureStatus
from baqylau.plans.editing import OFFICE_FIELDS
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, FacilityKind, Sphere, Territory
from baqylau.reports.models import Report, ReportActual, ReportAttachment

# Validity range of every date a client writes: the plan era (core/dates.py).
DATE_MIN, DATE_MAX = ERA_START, ERA_END


class ApiDateField(serializers.DateField):
    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not in_era(date):
            raise serializers.ValidationError(era_message())
        return date


def code_field(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


class ApiDecimalField(serializers.DecimalField):
    """A decimal, written as a JSON number or a string; read back as a string (exact)."""


def _json_type_error(field, value):
    """The message when a value is not of the JSON type the schema gives the field; None when it is."""
    if value is None:
        return None  # whether null is allowed is the field's own check
    if isinstance(field, serializers.BooleanField):
        ok, expected = isinstance(value, bool), _("true or false")
    elif isinstance(field, serializers.DecimalField):
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        expected = _("a number")
    elif isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        ok, expected = isinstance(value, int) and not isinstance(value, bool), _("a whole number")
    elif isinstance(field, serializers.CharField | serializers.DateField | serializers.ChoiceField):
        ok, expected = isinstance(value, str), _("a string")
        if ok and UNHOLDABLE.search(value):
            return _("The text contains a control character (or a lone surrogate) that cannot be stored.")
    else:
        return None
    return None if ok else _("Expected %(type)s.") % {"type": expected}


class StrictInputMixin:
    # Input as the schema says it: no unknown keys, and JSON types as declared (DRF would coerce
    # "5" to 5 or 1 to true, which the schema does not promise). A comment, not a docstring: drf-spectacular
    # would show a docstring as the description of every input object.

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name: field for name, field in self.fields.items() if not field.read_only}
            errors = {name: [_("This field cannot be written here.")] for name in set(data) - set(writable)}
            for name, field in writable.items():
                message = _json_type_error(field, data[name]) if name in data else None
                if message:
                    errors[name] = [message]
            if errors:
                raise serializers.ValidationError(dict(sorted(errors.items())))
        return super().to_internal_value(data)


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: ApiDecimalField,
    }


# --- reading ------------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictChangeSerializer(serializers.Serializer):
    user = serializers.CharField()
    when = serializers.DateTimeField()
    fields = serializers.ListField(child=serializers.CharField())


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What happened, in the request's language."))
    code = serializers.ChoiceField(choices=["edit_conflict", "wrong_state"])
    current_version = serializers.IntegerField(allow_null=True, required=False)
    changes = ConflictChangeSerializer(many=True, required=False)


class SphereSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))

    class Meta:
        model = Sphere
        fields = ["id", "code", "name", "name_ru", "name_kk", "label"]


class FacilityKindSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))

    class Meta:
        model = FacilityKind
        fields = ["id", "code", "name", "name_ru", "name_kk", "label"]


class TerritorySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))
    parent = code_field(allow_null=True)

    class Meta:
        model = Territory
        fields = [
            "id",
            "code",
            "name",
            "name_ru",
            "name_kk",
            "label",
            "kind",
            "parent",
            "centre_name",
            "lat",
            "lon",
            "source",
            "estimate_note",
        ]


class AgencySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("The name in the request's language."))

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "name_ru", "name_kk", "label", "kind", "source", "estimate_note"]


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
    explanation = serializers.CharField(help_text=_("The judgement explained, in the request's language."))


class InstructionJudgementSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    status = serializers.ChoiceField(choices=[s.value for s in InstructionStatus])
    days_to_due = serializers.IntegerField(help_text=_("due - as_of; negative once the deadline passed"))
    executed_on = serializers.DateField(allow_null=True)
    last_report_on = serializers.DateField(allow_null=True)
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


class EventSerializer(serializers.ModelSerializer):
    plan = code_field()
    label = serializers.CharField(read_only=True, help_text=_("The title in the request's language."))

    class Meta:
        model = Event
        fields = [
            "id",
            "plan",
            "code",
            "title",
            "title_ru",
            "title_kk",
            "label",
            "kind",
            "date",
            "held_by",
            "place",
            "source",
            "estimate_note",
        ]


class DeadlineChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineChange
        fields = ["changed_on", "old_due", "new_due", "reason", "decided_by"]


class InstructionSerializer(serializers.ModelSerializer):
    plan = code_field()
    label = serializers.CharField(read_only=True, help_text=_("The text in the request's language."))
    event = code_field(allow_null=True)
    executors = code_field(many=True)
    measure_codes = serializers.SerializerMethodField()
    initial_due = serializers.SerializerMethodField(help_text=_("The deadline as first set."))
    deadline_changes = DeadlineChangeSerializer(many=True, read_only=True)
    judgement = InstructionJudgementSerializer(read_only=True)

    class Meta:
        model = Instruction
        fields = [
            "id",
            "plan",
            "code",
            "text",
            "text_ru",
            "text_kk",
            "label",
            "event",
            "issued_on",
            "issued_by",
            "executors",
            "term_days",
            "initial_due",
            "due",
            "deadline_changes",
            "measures",
            "measure_codes",
            "status",
            "closed_on",
            "source",
            "estimate_note",
            "version",
            "updated_at",
            "judgement",
        ]
        extra_kwargs = {"measures": {"read_only": True}}

    def get_measure_codes(self, instruction) -> list[str]:
        return [m.code for m in instruction.measures.all()]

    def get_initial_due(self, instruction) -> dt.date:
        # From the prefetched changes (ordered by date), not Instruction.initial_due, which queries.
        changes = list(instruction.deadline_changes.all())
        return changes[0].old_due if changes else instruction.due


class ReportValueSerializer(StrictInputMixin, serializers.Serializer):
    """An indicator value reported for the period; it becomes the indicator's actual on acceptance."""

    indicator = serializers.CharField(max_length=40, help_text=_("Code of one of the measure's indicators."))
    value = ApiDecimalField(max_digits=18, decimal_places=4)

    def validate(self, attrs):
        # Inside a PATCH, DRF makes nested fields optional too; an indicator value needs both, always.
        missing = {
            name: [_("This field is required.")] for name in ("indicator", "value") if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class ReportActualSerializer(serializers.ModelSerializer):
    indicator = code_field()

    class Meta:
        model = ReportActual
        fields = ["indicator", "value"]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Download address (a web page; session login)."))

    class Meta:
        model = ReportAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, attachment) -> str:
        from django.urls import reverse

        return reverse("web:attachment", args=[attachment.pk])


class ReportSerializer(serializers.ModelSerializer):
    plan = serializers.SerializerMethodField()
    item_code = serializers.SerializerMethodField(help_text=_("Code of the measure or instruction."))
    agency = code_field()
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    indicator_values = ReportActualSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "plan",
            "measure",
            "instruction",
            "item_code",
            "agency",
            "period_start",
            "period_end",
            "narrative",
            "progress",
            "executed",
            "indicator_values",
            "attachments",
            "state",
            "author",
            "submitted_on",
            "reviewed_on",
            "reviewed_by",
            "review_comment",
            "source",
            "version",
            "updated_at",
        ]

    def _item(self, report):
        return report.measure or report.instruction

    def get_plan(self, report) -> str:
        return self._item(report).plan.code

    def get_item_code(self, report) -> str:
        return self._item(report).code


# --- writing ------------------------------------------------------------------------------------------


class VersionedInputMixin(StrictInputMixin):
    """Writes state the version the client read; ``partial`` must not make it optional."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        return attrs


def _version_field():
    return serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The version you read; a stale version is refused with 409 and nothing is saved."),
    )


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


class ReportValuesMixin:
    def validate_indicator_values(self, values):
        codes = [v["indicator"] for v in values]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise serializers.ValidationError(
                _("Each indicator once; repeated: %(codes)s") % {"codes": ", ".join(duplicates)}
            )
        return values

    def resolve_indicators(self, measure, values, errors):
        """Codes -> the measure's Indicator objects; unknown codes are field errors."""
        if not values:
            return {}
        if measure is None:
            errors["indicator_values"] = [_("Indicator values are reported on measures only.")]
            return {}
        known = {i.code: i for i in measure.indicators.all()}
        unknown = [v["indicator"] for v in values if v["indicator"] not in known]
        if unknown:
            errors["indicator_values"] = [
                _("Not an indicator of measure %(measure)s: %(codes)s")
                % {"measure": measure.code, "codes": ", ".join(unknown)}
            ]
            return {}
        return {known[v["indicator"]]: v["value"] for v in values}


def _report_kind_errors(attrs, is_measure: bool) -> dict:
    errors = {}
    if is_measure and attrs.get("executed"):
        errors["executed"] = [_("Execution is reported on instructions; report progress on a measure.")]
    if not is_measure and attrs.get("progress") is not None:
        errors["progress"] = [_("Progress is reported on measures; say whether an instruction is executed.")]
    start, end = attrs.get("period_start"), attrs.get("period_end")
    if start and end and end < start:
        errors["period_end"] = [_("The period end must not be before its start.")]
    return errors


def _progress_field():
    return ApiDecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text=_("Share of the measure done at the end of the period, 0 to 100; null when unknown."),
    )


class ReportCreateSerializer(ReportValuesMixin, StrictModelSerializer):
    """A new draft report on one measure (progress) or one instruction (executed)."""

    # Exactly one item; progress and indicator values for a measure, "executed" for an instruction.
    schema_rules = {
        "oneOf": [
            {
                "required": ["measure"],
                "properties": {
                    "measure": {"type": "integer"},
                    "instruction": {"not": {"type": "integer"}},  # null or absent
                    "executed": {"not": {"enum": [True]}},
                },
            },
            {
                "required": ["instruction"],
                "properties": {
                    "instruction": {"type": "integer"},
                    "measure": {"not": {"type": "integer"}},
                    "progress": {"not": {"anyOf": [{"type": "number"}, {"type": "string"}]}},
                    "indicator_values": {"maxItems": 0},
                },
            },
        ]
    }

    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.none(), required=False, allow_null=True, help_text=_("Measure id")
    )
    instruction = serializers.PrimaryKeyRelatedField(
        queryset=Instruction.objects.none(), required=False, allow_null=True, help_text=_("Instruction id")
    )
    period_start = ApiDateField(required=False, allow_null=True)
    period_end = ApiDateField()
    progress = _progress_field()
    indicator_values = ReportValueSerializer(many=True, required=False)

    class Meta:
        model = Report
        fields = [
            "measure",
            "instruction",
            "period_start",
            "period_end",
            "narrative",
            "progress",
            "executed",
            "indicator_values",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Items the user cannot see do not exist for them (400, the same as an unknown id).
            self.fields["measure"].queryset = visible_measures(request.user, Measure.objects.all())
            self.fields["instruction"].queryset = visible_instructions(
                request.user, Instruction.objects.all()
            )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        measure, instruction = attrs.get("measure"), attrs.get("instruction")
        if bool(measure) == bool(instruction):
            raise serializers.ValidationError(
                {"measure": [_("A report is on exactly one measure or one instruction: give one of them.")]}
            )
        errors = _report_kind_errors(attrs, measure is not None)
        attrs["indicator_values"] = self.resolve_indicators(measure, attrs.get("indicator_values"), errors)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReportUpdateSerializer(ReportValuesMixin, VersionedInputMixin, StrictModelSerializer):
    """Changes to a draft or returned report, with the version it was read at."""

    version = _version_field()
    period_start = ApiDateField(required=False, allow_null=True)
    period_end = ApiDateField(required=False)
    progress = _progress_field()
    indicator_values = ReportValueSerializer(many=True, required=False)

    class Meta:
        model = Report
        fields = [
            "period_start",
            "period_end",
            "narrative",
            "progress",
            "executed",
            "indicator_values",
            "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        report = self.instance
        merged = {
            "period_start": attrs.get("period_start", report.period_start),
            "period_end": attrs.get("period_end", report.period_end),
            "progress": attrs.get("progress"),
            "executed": attrs.get("executed"),
        }
        errors = _report_kind_errors(merged, report.measure_id is not None)
        attrs["indicator_values"] = self.resolve_indicators(
            report.measure, attrs.get("indicator_values"), errors
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TransitionSerializer(StrictInputMixin, serializers.Serializer):
    """A review decision on a submitted report, with the version it was read at."""

    version = _version_field()
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Review comment: required to return a report, optional to accept it."),
    )


class ReturnSerializer(TransitionSerializer):
    """Returning a submitted report for rework: the comment says why, so it is required."""

    comment = serializers.CharField(
        max_length=5000, help_text=_("Why the report goes back to its agency (kept with the report).")
    )


class SubmitSerializer(StrictInputMixin, serializers.Serializer):
    """Submitting a report, with the version it was read at."""

    version = _version_field()


class DeadlineChangeInputSerializer(StrictInputMixin, serializers.Serializer):
    """A new deadline for an instruction, with the reason and the version it was read at."""

    new_due = ApiDateField(help_text=_("The new deadline."))
    reason = serializers.CharField(max_length=5000, help_text=_("Why the deadline moves (kept in history)."))
    changed_on = ApiDateField(required=False, help_text=_("When it was decided; default today."))
    decided_by = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = _version_field()

    def validate(self, attrs):
        instruction = self.context["instruction"]
        errors = {}
        if attrs["new_due"] == instruction.due:
            errors["new_due"] = [_("This is already the deadline; a change must move the date.")]
        elif attrs["new_due"] < instruction.issued_on:
            errors["new_due"] = [
                _("The deadline must not be before the date of issue, %(date)s.")
                % {"date": instruction.issued_on.isoformat()}
            ]
        if errors:
            raise serializers.ValidationError(errors)
        attrs.setdefault("changed_on", timezone.localdate())
        return attrs
