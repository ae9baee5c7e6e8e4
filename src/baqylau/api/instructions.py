"""The API of instruction control: instructions with their judgement, their workflow
(instructions/workflow.py), extension requests and the discipline league table. Who may do what is
asked of ``accounts/rules.py``."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from baqylau.accounts.rules import visible_instructions
from baqylau.core.dates import ERA_PATTERN
from baqylau.core.locking import EditConflict
from baqylau.instructions import workflow
from baqylau.instructions.discipline import GROUPINGS, discipline
from baqylau.instructions.models import DeadlineChange, ExtensionRequest, Instruction
from baqylau.instructions.services import change_deadline
from baqylau.plans.models import Plan

from . import filters, serializers
from .base import ApiView, WrongState
from .views import AS_OF, JudgedViewSet, require_version

DATE = {"type": "string", "format": "date", "pattern": r"^$|" + ERA_PATTERN}


def _refused(refused: workflow.TransitionRefused):
    """A refusal about fields is a 400 naming them; one about the item's state is a 409."""
    if hasattr(refused, "error_dict"):
        return ValidationError(
            {f: [m for e in errs for m in e.messages] for f, errs in refused.error_dict.items()}
        )
    return WrongState(" ".join(refused.messages))


def instruction_queryset():
    return Instruction.objects.select_related(
        "plan", "event", "responsible", "parent", "controller", "issuer"
    ).prefetch_related(
        "executors",
        "measures",
        "children",
        Prefetch("deadline_changes", queryset=DeadlineChange.objects.order_by("changed_on", "pk")),
        Prefetch(
            "extension_requests",
            queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by").order_by(
                "requested_on", "pk"
            ),
        ),
    )


@extend_schema_view(
    list=extend_schema(
        description=(
            "Instructions with their judgement as of `as_of`; filtered like the instructions register."
        )
    ),
    retrieve=extend_schema(parameters=[AS_OF]),
)
class InstructionViewSet(JudgedViewSet):
    """Instructions with their deadlines (and every change of them) and judgement; an agency sees those
    it executes."""

    serializer_class = serializers.InstructionSerializer
    filterset_class = filters.InstructionApiFilter
    view_perm = "instructions.view_instruction"
    judged_filters = ("status",)
    page_by_ids = True  # by deadline: sorted, no index gives the order

    def get_queryset(self):
        queryset = instruction_queryset()
        return visible_instructions(self.request.user, queryset).order_by("plan__code", "due", "code")

    def get_filterset_class(self):
        return self.filterset_class if self.action == "list" else None

    kind = "instruction"

    @extend_schema(
        request=serializers.DeadlineChangeInputSerializer,
        responses={200: serializers.InstructionSerializer},
        description=(
            "Move the deadline (project office only). The old date and the reason are kept in "
            "`deadline_changes`. Send the `version` you read; a stale version is refused with 409."
        ),
    )
    @action(detail=True, methods=["post"])
    def deadline(self, request, pk=None):
        instruction = self.get_object()
        if not request.user.has_perm("instructions.change_deadline", instruction):
            raise PermissionDenied(_("Only the project office may change a deadline."))
        if not instruction.on_control:
            raise WrongState(_("Only the deadline of an instruction on control can move."))
        require_version(request, instruction)
        context = {**self.get_serializer_context(), "instruction": instruction}
        serializer = serializers.DeadlineChangeInputSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            # Lock the row at the version the client read (a no-op update): a stale version changes nothing.
            if not Instruction._base_manager.filter(pk=instruction.pk, version=data["version"]).update(
                version=data["version"]
            ):
                raise EditConflict(instruction, data["version"])
            instruction.refresh_from_db()
            instruction._history_user = request.user
            change_deadline(
                instruction, data["new_due"], data["reason"], data["changed_on"], data.get("decided_by", "")
            )
        return Response(self.get_serializer(self.fresh(instruction.pk)).data)

    @extend_schema(
        request=serializers.InstructionTransitionSerializer,
        responses={200: serializers.InstructionSerializer},
        description=(
            "A step of the control workflow: `start` and `report` (its executors), `accept` (remove from "
            "control) and `return` (its controller, or the project office), `withdraw` (its issuer, or the "
            "project office). A parent is accepted only when its sub-instructions are executed or withdrawn. "
            "A step the state does not allow is refused with 409; send the `version` you read."
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        instruction = self.get_object()
        require_version(request, instruction)
        serializer = serializers.InstructionTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            workflow.transition(
                instruction, request.user, data["action"], data["version"], data["comment"], data.get("on")
            )
        except workflow.TransitionRefused as refused:
            raise _refused(refused) from refused
        return Response(self.get_serializer(self.fresh(instruction.pk)).data)

    @extend_schema(
        request=serializers.ExtensionRequestInputSerializer,
        responses={201: serializers.InstructionSerializer},
        description=(
            "Request a later deadline (an executor of the instruction): before the current deadline, with a "
            "reason, one request at a time; a sub-instruction not beyond its parent's deadline."
        ),
    )
    @action(detail=True, methods=["post"], url_path="request-extension", url_name="request-extension")
    def request_extension(self, request, pk=None):
        instruction = self.get_object()
        serializer = serializers.ExtensionRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            workflow.request_extension(
                instruction, request.user, data["proposed_due"], data["reason"], data.get("on")
            )
        except workflow.TransitionRefused as refused:
            raise _refused(refused) from refused
        return Response(self.get_serializer(self.fresh(instruction.pk)).data, status=201)

    @extend_schema(
        request=serializers.ExtensionDecisionSerializer,
        responses={200: serializers.InstructionSerializer},
        description=(
            "Grant (the deadline moves to the proposed date, the reason is kept in `deadline_changes`) or "
            "refuse (with a comment) a pending extension request: the controller, or the project office."
        ),
    )
    @action(detail=True, methods=["post"], url_path="decide-extension", url_name="decide-extension")
    def decide_extension(self, request, pk=None):
        instruction = self.get_object()
        serializer = serializers.ExtensionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        pending = get_object_or_404(ExtensionRequest, pk=data["request"], instruction=instruction)
        try:
            if data["decision"] == "grant":
                workflow.grant_extension(pending, request.user, data["comment"], data.get("on"))
            else:
                workflow.refuse_extension(pending, request.user, data["comment"], data.get("on"))
        except workflow.TransitionRefused as refused:
            raise _refused(refused) from refused
        return Response(self.get_serializer(self.fresh(instruction.pk)).data)


class DisciplineView(ApiView, APIView):
    """Execution discipline of a plan's instructions: the league table and its total."""

    view_perm = "instructions.view_instruction"
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", str, required=True, description="Plan code."),
            OpenApiParameter("by", str, enum=list(GROUPINGS), description="Group by (default agency)."),
            OpenApiParameter("from", DATE, description="Period start (original due dates)."),
            OpenApiParameter("to", DATE, description="Period end (original due dates)."),
            AS_OF,
        ],
        responses={200: serializers.DisciplineSerializer},
        description=(
            "By responsible agency, official or issuer: instructions issued in the period, due in it "
            "by their ORIGINAL deadline, executed on time, on time only after an extension, late, overdue "
            "now, delays past the original deadline, extensions, and the coefficient on_time / due. "
            "Counts only the instructions the caller may see."
        ),
    )
    def get(self, request):
        form = filters.DisciplineQuery(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
        data = form.cleaned_data
        plan = get_object_or_404(Plan, code=data["plan"])
        table = discipline(
            plan,
            data.get("by") or "agency",
            data.get("start"),
            data.get("end"),
            data.get("as_of"),
            queryset=visible_instructions(request.user, Instruction.objects.filter(plan=plan)),
        )
        body = {
            "plan": plan.code,
            "by": table.by,
            "start": table.start,
            "end": table.end,
            "as_of": table.as_of,
            "rows": [r.record() for r in table.rows],
            "total": table.total.record(),
        }
        return Response(serializers.DisciplineSerializer(body).data)
