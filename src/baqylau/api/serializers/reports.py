"""Reports: reading, writing, and the review transitions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.accounts.rules import visible_instructions, visible_measures
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure
from baqylau.reports.models import Report, ReportActual, ReportAttachment

from ..rows import Computed
from .base import (
    ApiDateField,
    ApiDecimalField,
    StrictInputMixin,
    StrictModelSerializer,
    VersionedInputMixin,
    _version_field,
    code_field,
)


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

    row_values = {"url": Computed(lambda row: _attachment_url(row["id"]), ("id",))}  # api/rows.py

    def get_url(self, attachment) -> str:
        return _attachment_url(attachment.pk)


def _attachment_url(pk) -> str:
    from django.urls import reverse

    return reverse("web:attachment", args=[pk])


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

    # A list page reads rows (api/rows.py): the item is the measure when there is one, as in _item.
    row_values = {
        "plan": Computed(
            lambda row: row[
                "measure__plan__code" if row["measure"] is not None else "instruction__plan__code"
            ],
            ("measure", "measure__plan__code", "instruction__plan__code"),
        ),
        "item_code": Computed(
            lambda row: row["measure__code" if row["measure"] is not None else "instruction__code"],
            ("measure", "measure__code", "instruction__code"),
        ),
    }

    def _item(self, report):
        return report.measure or report.instruction

    def get_plan(self, report) -> str:
        return self._item(report).plan.code

    def get_item_code(self, report) -> str:
        return self._item(report).code


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
