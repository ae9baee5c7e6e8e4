from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from baqylau.accounts.rules import visible_instructions
from baqylau.assessment.judgements import explanation, judge_plan
from baqylau.instructions.filters import InstructionFilter
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.web.context import page_scope

INSTRUCTION_STATUSES = ("overdue", "at_risk", "open", "executed", "withdrawn")


def _instructions(plan):
    return (
        Instruction.objects.filter(plan=plan)
        .select_related("event")
        .prefetch_related(
            "executors",
            "measures",
            Prefetch("deadline_changes", queryset=DeadlineChange.objects.order_by("changed_on")),
        )
        .order_by("due", "code")
    )


def _rows(instructions, judged, status=""):
    rows = []
    for instruction in instructions:
        verdict = judged.instructions[instruction.code]
        if status and verdict.status.value != status:
            continue
        rows.append(
            {
                "instruction": instruction,
                "judgement": verdict,
                "explanation": explanation(verdict),
                "days_left": max(verdict.days_to_due, 0),
                "days_overdue": max(-verdict.days_to_due, 0),
            }
        )
    return rows


def instruction_register(request):
    scope = page_scope(request)
    filterset = InstructionFilter(
        request.GET, queryset=visible_instructions(request.user, _instructions(scope.plan))
    )
    judged = judge_plan(scope.plan, scope.as_of)
    status = request.GET.get("status", "")
    return render(
        request,
        "web/instructions.html",
        {
            "nav": "instructions",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "filter": filterset,
            "rows": _rows(filterset.qs, judged, status),
            "statuses": INSTRUCTION_STATUSES,
            "status": status,
        },
    )


def event_detail(request, plan_code, code):
    scope = page_scope(request)
    event = get_object_or_404(Event.objects.select_related("plan"), plan__code=plan_code, code=code)
    judged = judge_plan(event.plan, scope.as_of)
    instructions = visible_instructions(request.user, _instructions(event.plan).filter(event=event))
    return render(
        request,
        "web/event.html",
        {
            "nav": "instructions",
            "plan": event.plan,
            "as_of": scope.as_of,
            "event": event,
            "rows": _rows(instructions, judged),
        },
    )
