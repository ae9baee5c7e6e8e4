import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baqylau.accounts.roles import role_of
from baqylau.accounts.rules import visible_instructions
from baqylau.assessment.reading import PlanReader
from baqylau.core.locking import EditConflict
from baqylau.instructions import discipline as discipline_stats
from baqylau.instructions import workflow
from baqylau.instructions.filters import CONTROL, InstructionFilter
from baqylau.instructions.models import Event, ExtensionRequest, Instruction
from baqylau.web import instruction_page, listing
from baqylau.web.context import page_scope
from baqylau.web.labels import chart_labels

INSTRUCTION_STATUSES = ("overdue", "at_risk", "open", "executed", "withdrawn")
PAGE_SIZE = 25


def _instructions(plan):
    return Instruction.objects.filter(plan=plan).select_related("event")


def instruction_register(request):
    scope = page_scope(request)
    filterset = InstructionFilter(
        request.GET,
        queryset=visible_instructions(request.user, _instructions(scope.plan)),
        plan=scope.plan,
        today=scope.as_of,
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
            "responsible_options": listing.choices(
                filterset.filters["responsible"].queryset, picked.get("responsible", "")
            ),
            "issuer_options": [
                (name, name, name == picked.get("issuer", ""))
                for name in Instruction.objects.filter(plan=scope.plan)
                .exclude(issued_by="")
                .order_by("issued_by")
                .values_list("issued_by", flat=True)
                .distinct()
            ],
            "control_options": [(v, label, v == picked.get("control", "")) for v, label in CONTROL],
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


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise workflow.TransitionRefused({field: _("Write the date as YYYY-MM-DD.")}) from None


def instruction_detail(request, plan_code, code):
    """The instruction's card, tree, reports, extensions, judged status and history; its workflow forms."""
    scope = page_scope(request)
    instruction = instruction_page.instruction_for_page(request.user, plan_code, code)
    if instruction is None:
        raise Http404
    context = instruction_page.instruction_context(instruction, request.user, scope.as_of)
    return render(
        request, "web/instruction.html", {"nav": "instructions", "plan": instruction.plan, **context}
    )


@require_POST
def instruction_act(request, plan_code, code):
    """One step of the workflow from the page's forms; a refusal is shown and changes nothing."""
    instruction = instruction_page.instruction_for_page(request.user, plan_code, code)
    if instruction is None:
        raise Http404
    post, user = request.POST, request.user
    try:
        action = post.get("action", "")
        on = _date(post.get("on", ""), "on")
        if action in workflow.TRANSITIONS:
            version = int(post.get("opened_version") or 0) or None
            workflow.transition(instruction, user, action, version, post.get("comment", ""), on)
        elif action == "request_extension":
            proposed = _date(post.get("proposed_due", ""), "proposed_due")
            if proposed is None:
                raise workflow.TransitionRefused({"proposed_due": _("Give the deadline asked for.")})
            workflow.request_extension(instruction, user, proposed, post.get("reason", ""), on)
        elif action in ("grant", "refuse"):
            pending = get_object_or_404(ExtensionRequest, pk=post.get("request"), instruction=instruction)
            if action == "grant":
                workflow.grant_extension(pending, user, post.get("comment", ""), on)
            else:
                workflow.refuse_extension(pending, user, post.get("comment", ""), on)
        else:
            raise workflow.TransitionRefused(_("Unknown action."))
        messages.success(request, _("Saved."))
    except PermissionDenied:
        raise
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    except workflow.TransitionRefused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("web:instruction", plan_code=plan_code, code=code)


def instruction_queue(request):
    """Executors' inbox (what is due from my agency) and the controller's queue (to decide)."""
    scope = page_scope(request)
    user = request.user
    visible = visible_instructions(user, _instructions(scope.plan))
    reader = PlanReader(scope.plan, scope.as_of)
    sections = []
    if user.has_perm("instructions.execute_instruction"):
        mine = visible.filter(status=Instruction.Status.OPEN)
        sections.append((_("Due from my agency"), reader.instruction_rows(mine)))
    # The office controls every instruction; another user those that name them as controller.
    controlled = visible if role_of(user).name == "office" else visible.filter(controller=user)
    if role_of(user).name == "office" or controlled.exists():
        for value, title in (
            ("reported", _("Execution reported")),
            ("extension_requested", _("Extension requested")),
        ):
            chosen = InstructionFilter({"control": value}, queryset=controlled, plan=scope.plan).qs
            sections.append((title, reader.instruction_rows(chosen)))
    if not sections:
        raise PermissionDenied
    return render(
        request,
        "web/instruction_queue.html",
        {
            "nav": "instruction_queue",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "sections": [
                (title, listing.instruction_rows(list(rows[: PAGE_SIZE * 2]), scope.plan))
                for title, rows in sections
            ],
        },
    )


def discipline_page(request):
    """The league table of execution discipline, with its chart (data through json_script)."""
    scope = page_scope(request)
    by = request.GET.get("by", "agency")
    if by not in discipline_stats.GROUPINGS:
        by = "agency"
    try:
        start, end = _date(request.GET.get("from", ""), "from"), _date(request.GET.get("to", ""), "to")
    except workflow.TransitionRefused:
        start = end = None
        messages.error(request, _("Write the dates as YYYY-MM-DD."))
    table = discipline_stats.discipline(
        scope.plan,
        by,
        start,
        end,
        scope.as_of,
        queryset=visible_instructions(request.user, Instruction.objects.all()),
    )
    return render(
        request,
        "web/discipline.html",
        {
            "nav": "discipline",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "table": table,
            "by": by,
            "groupings": [
                ("agency", _("responsible agency")),
                ("official", _("responsible official")),
                ("issuer", _("issuer")),
            ],
            "start": start,
            "end": end,
            "chart": instruction_page.discipline_chart(table),
            "labels": {
                **chart_labels(),
                "on time": _("on time"),
                "after extension": _("on time only after extension"),
                "late": _("executed late"),
                "overdue": _("overdue"),
            },
        },
    )
