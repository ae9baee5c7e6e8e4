from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from baqylau.accounts.rules import visible_instructions
from baqylau.assessment.reading import PlanReader
from baqylau.instructions.filters import InstructionFilter
from baqylau.instructions.models import Event, Instruction
from baqylau.web import listing
from baqylau.web.context import page_scope

INSTRUCTION_STATUSES = ("overdue", "at_risk", "open", "executed", "withdrawn")
PAGE_SIZE = 25


def _instructions(plan):
    return Instruction.objects.filter(plan=plan).select_related("event")


def instruction_register(request):
    scope = page_scope(request)
    filterset = InstructionFilter(
        request.GET, queryset=visible_instructions(request.user, _instructions(scope.plan)), plan=scope.plan
    )
    status = request.GET.get("status", "")
    rows = PlanReader(scope.plan, scope.as_of).instruction_rows(filterset.qs, status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    form = filterset.form
    picked = form.data if form.is_bound else {}
    events = [
        (code, listing._text((title, title_ru, title_kk)), code == picked.get("event", ""))
        for code, title, title_ru, title_kk in filterset.filters["event"].queryset.values_list(
            "code", "title", "title_ru", "title_kk"
        )
    ]
    return render(
        request,
        "web/instructions.html",
        {
            "nav": "instructions",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "event_options": events,
            "executor_options": listing.choices(
                filterset.filters["executor"].queryset, picked.get("executor", "")
            ),
            "page": page,
            "rows": listing.instruction_rows(page.object_list, scope.plan),
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
            "rows": listing.instruction_rows(page.object_list, event.plan),
        },
    )
