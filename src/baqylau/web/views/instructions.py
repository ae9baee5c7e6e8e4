from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from baqylau.accounts.rules import visible_instructions
from baqylau.assessment.judgements import explanation
from baqylau.assessment.reading import PlanReader
from baqylau.instructions.filters import InstructionFilter
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.web.context import page_scope

INSTRUCTION_STATUSES = ("overdue", "at_risk", "open", "executed", "withdrawn")
PAGE_SIZE = 25


def _instructions(plan):
    return (
        Instruction.objects.filter(plan=plan)
        .select_related("event")
        .prefetch_related(
            "executors",
            "measures",
            Prefetch("deadline_changes", queryset=DeadlineChange.objects.order_by("changed_on")),
        )
    )


def _with_words(rows):
    """What the rows template shows beside the judgement: the explanation, days left or overdue."""
    for row in rows:
        verdict = row["judgement"]
        row.update(
            explanation=explanation(verdict),
            days_left=max(verdict.days_to_due, 0),
            days_overdue=max(-verdict.days_to_due, 0),
        )
    return rows


def instruction_register(request):
    scope = page_scope(request)
    filterset = InstructionFilter(
        request.GET, queryset=visible_instructions(request.user, _instructions(scope.plan))
    )
    status = request.GET.get("status", "")
    rows = PlanReader(scope.plan, scope.as_of).instruction_rows(filterset.qs, status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/instructions.html",
        {
            "nav": "instructions",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "filter": filterset,
            "page": page,
            "rows": _with_words(page.object_list),
            "statuses": INSTRUCTION_STATUSES,
            "status": status,
        },
    )


def event_detail(request, plan_code, code):
    scope = page_scope(request)
    event = get_object_or_404(Event.objects.select_related("plan"), plan__code=plan_code, code=code)
    instructions = visible_instructions(request.user, _instructions(event.plan).filter(event=event))
    rows = PlanReader(event.plan, scope.as_of).instruction_rows(instructions)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/event.html",
        {
            "nav": "instructions",
            "plan": event.plan,
            "as_of": scope.as_of,
            "event": event,
            "page": page,
            "rows": _with_words(page.object_list),
        },
    )
