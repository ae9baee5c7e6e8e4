"""Events, instructions (with their judgement) and deadline changes."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from baqylau.instructions.models import DeadlineChange, Event, ExtensionRequest, Instruction
from baqylau.judging import InstructionStatus

from ..rows import Computed
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


class ExtensionRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "requested_on",
            "requested_by",
            "due_then",
            "proposed_due",
            "reason",
            "state",
            "decided_on",
            "decided_by",
            "decision_comment",
        ]


class InstructionSerializer(serializers.ModelSerializer):
    plan = code_field()
    label = serializers.CharField(read_only=True, help_text=_("The text in the request's language."))
    event = code_field(allow_null=True)
    executors = code_field(many=True, help_text=_("Every executing agency, the responsible one included."))
    responsible = code_field(allow_null=True, help_text=_("The responsible executor (the first named)."))
    co_executors = serializers.SerializerMethodField(help_text=_("The executors other than the responsible."))
    controller = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("The controlling user; null: the project office."),
    )
    issuer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    parent = code_field(allow_null=True, help_text=_("The instruction this one was delegated from."))
    children = serializers.SerializerMethodField(
        help_text=_("Codes of the sub-instructions delegated from it.")
    )
    measure_codes = serializers.SerializerMethodField()
    initial_due = serializers.DateField(
        source="original_due", read_only=True, help_text=_("The same as original_due (the former name).")
    )
    deadline_changes = DeadlineChangeSerializer(many=True, read_only=True)
    extension_requests = ExtensionRequestSerializer(many=True, read_only=True)
    state = serializers.CharField(read_only=True, help_text=_("The workflow state (stage while on control)."))
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
            "issuer",
            "controller",
            "executors",
            "responsible",
            "responsible_official",
            "co_executors",
            "parent",
            "children",
            "term_days",
            "original_due",
            "initial_due",
            "due",
            "report_every",
            "deadline_changes",
            "extension_requests",
            "measures",
            "measure_codes",
            "status",
            "stage",
            "state",
            "closed_on",
            "source",
            "estimate_note",
            "version",
            "updated_at",
            "judgement",
        ]
        extra_kwargs = {"measures": {"read_only": True}}

    # What a list page reads for the fields that are not columns (api/rows.py); the same as below.
    row_values = {
        "co_executors": Computed(
            lambda row: [a["code"] for a in row["executors"] if a["pk"] != row["responsible"]],
            needs=("responsible",),
            related={"executors": ("pk", "code")},
        ),
        "children": Computed(
            lambda row: [c["code"] for c in row["children"]], related={"children": ("code",)}
        ),
        "measure_codes": Computed(
            lambda row: [m["code"] for m in row["measures"]], related={"measures": ("code",)}
        ),
        "state": Computed(lambda row: Instruction.state_of(row["status"], row["stage"]), ("status", "stage")),
    }

    def get_measure_codes(self, instruction) -> list[str]:
        return [m.code for m in instruction.measures.all()]

    def get_co_executors(self, instruction) -> list[str]:
        return [a.code for a in instruction.co_executors()]

    def get_children(self, instruction) -> list[str]:
        return [c.code for c in instruction.children.all()]


class InstructionTransitionSerializer(StrictInputMixin, serializers.Serializer):
    """A step of the control workflow, with the version it was read at."""

    action = serializers.ChoiceField(
        choices=["start", "report", "accept", "return", "withdraw"],
        help_text=_(
            "start, report (executors); accept = remove from control, return (the controller or the office); "
            "withdraw (the issuer or the office)."
        ),
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("What was done (report), why it goes back (return) or is withdrawn: required for those."),
    )
    on = ApiDateField(required=False, help_text=_("When; default today."))
    version = _version_field()


class ExtensionRequestInputSerializer(StrictInputMixin, serializers.Serializer):
    """An executor's request for a later deadline, before the current one, with a reason."""

    proposed_due = ApiDateField(help_text=_("The deadline asked for."))
    reason = serializers.CharField(max_length=5000, help_text=_("Why more time is needed (kept in history)."))
    on = ApiDateField(required=False, help_text=_("When it is asked; default today."))


class ExtensionDecisionSerializer(StrictInputMixin, serializers.Serializer):
    """The controller's decision on a pending extension request."""

    request = serializers.IntegerField(help_text=_("The id of the extension request."))
    decision = serializers.ChoiceField(choices=["grant", "refuse"])
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, help_text=_("Required to refuse.")
    )
    on = ApiDateField(required=False, help_text=_("When it is decided; default today."))


class DisciplineRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Agency code, or the official's or issuer's name."))
    label = serializers.CharField()
    issued = serializers.IntegerField()
    due = serializers.IntegerField(help_text=_("Original due date in the period (withdrawn not counted)."))
    on_time = serializers.IntegerField(help_text=_("Executed by the original due date."))
    after_extension = serializers.IntegerField(help_text=_("Executed on time only after an extension."))
    late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text=_("On control and past the current due date now."))
    open = serializers.IntegerField()
    extensions = serializers.IntegerField()
    extensions_per_instruction = serializers.FloatField(allow_null=True)
    avg_delay_days = serializers.FloatField(allow_null=True, help_text=_("Days past the original due date."))
    worst_delay_days = serializers.IntegerField(allow_null=True)
    coefficient = serializers.FloatField(allow_null=True, help_text=_("on_time / due"))


class DisciplineSerializer(serializers.Serializer):
    plan = serializers.CharField()
    by = serializers.ChoiceField(choices=["agency", "official", "issuer"])
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    as_of = serializers.DateField()
    rows = DisciplineRowSerializer(many=True)
    total = DisciplineRowSerializer()


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
