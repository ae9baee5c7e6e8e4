"""What the instruction page and the discipline page show, read in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from baqylau.accounts.rules import visible_instructions
from baqylau.assessment.reading import PlanReader
from baqylau.instructions import schedule, workflow
from baqylau.instructions.models import DeadlineChange, ExtensionRequest, Instruction
from baqylau.judging import explain
from baqylau.reports.models import Report

ACTION_LABELS = {
    "start": _("Take into work"),
    "report": _("Report execution"),
    "accept": _("Remove from control"),
    "return": _("Return for rework"),
    "withdraw": _("Withdraw"),
}


def instruction_for_page(user, plan_code: str, code: str) -> Instruction | None:
    queryset = Instruction.objects.select_related(
        "plan", "event", "responsible", "parent", "controller", "issuer"
    ).prefetch_related(
        "executors",
        "measures",
        Prefetch("children", queryset=Instruction.objects.order_by("due", "code")),
        Prefetch(
            "deadline_changes",
            queryset=DeadlineChange.objects.select_related("request").order_by("changed_on", "pk"),
        ),
        Prefetch(
            "extension_requests",
            queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by").order_by(
                "requested_on", "pk"
            ),
        ),
    )
    return visible_instructions(user, queryset).filter(plan__code=plan_code, code=code).first()


def tree(instruction: Instruction) -> list[tuple[int, Instruction]]:
    """The delegation tree under ``instruction`` (depth, node), read one level per query."""
    rows, level, depth = [], [instruction], 0
    by_parent: dict[int, list[Instruction]] = {}
    while level:
        depth += 1
        children = list(Instruction.objects.filter(parent__in=level).order_by("due", "code"))
        for child in children:
            by_parent.setdefault(child.parent_id, []).append(child)
        level = children

    def walk(node, d):
        for child in by_parent.get(node.pk, ()):
            rows.append((d, child))
            walk(child, d + 1)

    walk(instruction, 0)
    return rows


def instruction_context(instruction: Instruction, user, as_of) -> dict:
    reader = PlanReader(instruction.plan, as_of)
    judgement = reader.instructions_by_id([instruction.pk])[instruction.pk]
    pending = [r for r in instruction.extension_requests.all() if r.state == ExtensionRequest.State.REQUESTED]
    reports = list(
        Report.objects.filter(instruction=instruction).select_related("agency").order_by("-period_end")
    )
    points = schedule.control_points(
        instruction.issued_on,
        instruction.due,
        instruction.report_every,
        [r.submitted_on for r in reports if r.submitted_on],
        as_of,
        instruction.closed_on,
    )
    return {
        "instruction": instruction,
        "judgement": judgement,
        "explanation": explain(judgement, get_language() or "en"),
        "state_label": workflow.state_label(instruction),
        "co_executors": instruction.co_executors(),
        "tree": tree(instruction),
        "reports": reports,
        "control_points": points,
        "history": instruction.history.select_related("history_user").order_by("-history_date")[:20],
        "actions": [(name, ACTION_LABELS[name]) for name in workflow.allowed_transitions(instruction, user)],
        "can_request": instruction.on_control
        and user.has_perm("instructions.request_extension", instruction),
        "pending": pending[0] if pending else None,
        "can_decide": bool(pending) and user.has_perm("instructions.control_instruction", instruction),
    }


def discipline_chart(table) -> dict:
    """The league table as the chart draws it: per group, on time / after extension / late / overdue."""
    return {
        "labels": [r.label for r in table.rows],
        "on_time": [r.on_time for r in table.rows],
        "after_extension": [r.after_extension for r in table.rows],
        "late": [r.late for r in table.rows],
        "overdue": [r.overdue for r in table.rows],
    }
