"""Existing instructions under control: the first-recorded executor (the order they were written in; the
workbook import writes them in the order its cell names them) becomes responsible, and the original
due is the deadline before the first recorded change (or the current one when it never moved)."""

from django.db import migrations


def forward(apps, schema_editor):
    Instruction = apps.get_model("instructions", "Instruction")
    DeadlineChange = apps.get_model("instructions", "DeadlineChange")
    through = Instruction.executors.through
    first_executor = {}
    for instruction_id, agency_id in through.objects.order_by("pk").values_list("instruction_id", "agency_id"):
        first_executor.setdefault(instruction_id, agency_id)
    first_old_due = {}
    for instruction_id, old_due in DeadlineChange.objects.order_by("changed_on", "pk").values_list(
        "instruction_id", "old_due"
    ):
        first_old_due.setdefault(instruction_id, old_due)
    rows = list(Instruction.objects.only("pk", "due", "responsible_id", "original_due"))
    for row in rows:
        row.original_due = first_old_due.get(row.pk, row.due)
        row.responsible_id = row.responsible_id or first_executor.get(row.pk)
    Instruction.objects.bulk_update(rows, ["original_due", "responsible_id"], batch_size=500)
    # The history rows gain the same original (the field is required there too); a deleted
    # instruction's rows take their own due, the best that is known of it.
    original = {row.pk: row.original_due for row in rows}
    History = apps.get_model("instructions", "HistoricalInstruction")
    history = list(History.objects.only("history_id", "id", "due", "original_due"))
    for row in history:
        row.original_due = original.get(row.id, row.due)
    History.objects.bulk_update(history, ["original_due"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("instructions", "0006_instruction_control")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
