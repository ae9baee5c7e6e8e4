import datetime as dt

from baqylau.instructions.models import Instruction
from baqylau.instructions.services import change_deadline

D = dt.date


def test_changing_a_deadline_keeps_the_old_date_and_the_reason(demo):
    instruction = Instruction.objects.get(code="I-01")
    first_due = instruction.due
    change_deadline(instruction, D(2024, 7, 15), "the ministries asked for more time", D(2024, 6, 20), "DPM")
    change_deadline(instruction, D(2024, 8, 1), "second extension", D(2024, 7, 10))
    instruction.refresh_from_db()
    assert instruction.due == D(2024, 8, 1)
    assert instruction.initial_due == first_due
    assert [(c.old_due, c.new_due, c.reason) for c in instruction.deadline_changes.all()] == [
        (first_due, D(2024, 7, 15), "the ministries asked for more time"),
        (D(2024, 7, 15), D(2024, 8, 1), "second extension"),
    ]
    assert instruction.version == 3
