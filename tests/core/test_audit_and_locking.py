import pytest

from baqylau.core.interface import interface
from baqylau.core.locking import EditConflict, save_versioned
from baqylau.plans.models import Measure


def test_every_change_is_in_the_history_with_who_and_through_which_interface(users):
    measure = Measure.objects.get(code="W-01")
    measure._history_user = users["office"]
    measure.completion_form = "facility put into operation (act of acceptance)"
    with interface("web"):
        save_versioned(measure, measure.version)
    record = measure.history.first()
    assert (record.history_type, record.history_user, record.history_interface) == (
        "~",
        users["office"],
        "web",
    )
    delta = record.diff_against(record.prev_record)
    assert "completion_form" in {c.field for c in delta.changes}
    change = next(c for c in delta.changes if c.field == "completion_form")
    assert change.old == "facility put into operation" and change.new.endswith("(act of acceptance)")


def test_deletes_are_in_the_history(demo):
    measure = Measure.objects.get(code="HO-01")
    measure.instructions.clear()
    pk = measure.pk
    with interface("admin"):
        measure.delete()
    record = Measure.history.filter(id=pk).first()
    assert record.history_type == "-" and record.history_interface == "admin"


def test_the_command_line_marks_its_changes(demo, monkeypatch):
    """`baqylau` runs every command inside interface("cli"). (Running a real command through run_from_argv
    would close the test's database connection on PostgreSQL, so the command is stood in for here.)"""
    from django.core.management import call_command

    from baqylau import cli
    from baqylau.core.interface import current_interface

    seen = []

    def execute(argv):
        seen.append(current_interface.get())
        call_command("load_demo")

    monkeypatch.setattr("django.core.management.execute_from_command_line", execute)
    Measure.objects.filter(code="W-01").update(completion_form="x")
    cli.main(["baqylau", "load-demo"])
    assert seen == ["cli"]
    assert Measure.objects.get(code="W-01").history.first().history_interface == "cli"


def test_two_editors_of_one_measure_do_not_overwrite_each_other(users):
    first_tab = Measure.objects.get(code="W-01")
    second_tab = Measure.objects.get(code="W-01")
    opened = first_tab.version

    first_tab._history_user = users["akimat"]
    first_tab.completion_form = "plant accepted by the state commission"
    save_versioned(first_tab, opened)

    second_tab._history_user = users["office"]
    second_tab.budget_planned_kzt = 1
    with pytest.raises(EditConflict) as conflict:
        save_versioned(second_tab, opened)
    stored = Measure.objects.get(code="W-01")
    assert (
        stored.completion_form == "plant accepted by the state commission" and stored.budget_planned_kzt != 1
    )
    assert "akimat changed form of completion" in conflict.value.message
    assert second_tab.budget_planned_kzt == 1  # the editor's input is still there to show again
