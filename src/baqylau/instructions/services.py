"""Changes to instructions that must keep their history together."""

import datetime

from django.db import transaction

from .models import DeadlineChange, Instruction


@transaction.atomic
def change_deadline(
    instruction: Instruction,
    new_due: datetime.date,
    reason: str,
    changed_on: datetime.date,
    decided_by: str = "",
) -> DeadlineChange:
    """Move an instruction's deadline, keeping the old date and the reason."""
    change = DeadlineChange.objects.create(
        instruction=instruction,
        changed_on=changed_on,
        old_due=instruction.due,
        new_due=new_due,
        reason=reason,
        decided_by=decided_by,
    )
    instruction.due = new_due
    instruction.version += 1
    instruction.save(update_fields=["due", "version", "updated_at"])
    return change
