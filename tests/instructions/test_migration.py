"""The instruction-control migration keeps today's data: the first-named executor becomes responsible and
the original due is the deadline before the first recorded change."""

import datetime as dt
import importlib

from django.apps import apps

from baqylau.instructions.models import DeadlineChange, Instruction
from baqylau.reference.models import Agency

D = dt.date
migration = importlib.import_module("baqylau.instructions.migrations.0007_instruction_control_data")


def test_existing_instructions_get_their_responsible_executor_and_original_due(demo):
    moved = Instruction.objects.create(
        plan=demo, code="I-OLD", text="old", issued_on=D(2024, 6, 14), due=D(2024, 9, 1)
    )
    first, second = Agency.objects.get(code="MOT"), Agency.objects.get(code="AKIMAT")
    moved.executors.add(first)
    moved.executors.add(second)
    DeadlineChange.objects.create(
        instruction=moved,
        changed_on=D(2024, 6, 20),
        old_due=D(2024, 6, 21),
        new_due=D(2024, 8, 1),
        reason="a",
    )
    DeadlineChange.objects.create(
        instruction=moved, changed_on=D(2024, 7, 20), old_due=D(2024, 8, 1), new_due=D(2024, 9, 1), reason="b"
    )
    kept = Instruction.objects.get(code="I-05")
    # As the rows stood before the migration: no responsible, the original unknown (the current due).
    Instruction.objects.filter(pk__in=[moved.pk, kept.pk]).update(
        responsible=None, original_due=D(2024, 9, 1)
    )
    Instruction.objects.filter(pk=kept.pk).update(original_due=kept.due)
    migration.forward(apps, None)
    moved.refresh_from_db()
    kept.refresh_from_db()
    assert (moved.responsible, moved.original_due, moved.due) == (first, D(2024, 6, 21), D(2024, 9, 1))
    assert (kept.responsible.code, kept.original_due) == ("AKIMAT", kept.due)
    assert set(moved.history.values_list("original_due", flat=True)) == {D(2024, 6, 21)}
