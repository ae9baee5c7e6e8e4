"""Events, instructions (with their judgement) and deadline changes."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.judging import InstructionStatus

from .base import ApiDateField, StrictInputMixin, _version_field, code_field


class InstructionJudgementSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    status = serializers.ChoiceField(choices=[s.value for s in InstructionStatus])
    days_to_due = serializers.IntegerField(help_text=_("due - as_of; negative once the deadline passed"))
    executed_on = serializers.DateField(allow_null=True)
    last_report_on = serializers.DateField(allow_null=True)
    explanation = serializers.CharField(help_text=_("The judgement explained, in the request's language."))


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
