"""Instructions as plain records for the command line and exports."""

from django.db.models import Prefetch

from .models import DeadlineChange, Instruction


def instructions_for_listing(plan_code: str | None = None):
    qs = Instruction.objects.select_related("plan", "event", "responsible", "parent").prefetch_related(
        "executors",
        "measures",
        Prefetch("deadline_changes", queryset=DeadlineChange.objects.order_by("changed_on")),
    )
    if plan_code:
        qs = qs.filter(plan__code=plan_code)
    return qs.order_by("plan__code", "due", "code")


def instruction_record(instruction: Instruction) -> dict:
    return {
        "plan": instruction.plan.code,
        "code": instruction.code,
        "text": instruction.label,
        "event": instruction.event.code if instruction.event else None,
        "issued_on": instruction.issued_on,
        "issued_by": instruction.issued_by,
        "executors": [a.code for a in instruction.executors.all()],
        "responsible": instruction.responsible.code if instruction.responsible else None,
        "parent": instruction.parent.code if instruction.parent else None,
        "term_days": instruction.term_days,
        "original_due": instruction.original_due,
        "due": instruction.due,
        "deadline_changes": [
            {"changed_on": c.changed_on, "old_due": c.old_due, "new_due": c.new_due, "reason": c.reason}
            for c in instruction.deadline_changes.all()
        ],
        "measures": [m.code for m in instruction.measures.all()],
        "status": instruction.status,
        "state": instruction.state,
        "source": instruction.source,
        "estimate_note": instruction.estimate_note,
    }


def instruction_records(plan_code: str | None = None) -> list[dict]:
    return [instruction_record(i) for i in instructions_for_listing(plan_code)]
