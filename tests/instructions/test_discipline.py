"""Execution discipline measured against the original deadline, from the users' side."""

import datetime as dt
import io

import pytest

from baqylau.instructions import discipline, workflow
from baqylau.instructions.models import Instruction
from baqylau.instructions.services import change_deadline

from .test_workflow import make

D = dt.date
YEAR = {"start": D(2025, 1, 1), "end": D(2025, 12, 31)}


def fresh(i):
    return Instruction.objects.get(pk=i.pk)


def close(i, user, on):
    i = workflow.report_execution(fresh(i), user, fresh(i).version, "done", on=on)
    return workflow.remove_from_control(
        fresh(i), user.__class__.objects.get(username="office"), i.version, on=on
    )


def test_an_extension_granted_before_the_deadline_still_counts_as_on_time_only_after_it(demo, users):
    i = make(demo)  # AKIMAT responsible, due 2025-03-01
    request = workflow.request_extension(
        i, users["akimat"], D(2025, 4, 1), "contractor late", on=D(2025, 2, 20)
    )
    workflow.grant_extension(request, users["office"], on=D(2025, 2, 21))
    close(i, users["akimat"], D(2025, 3, 20))
    table = discipline.by_agency(demo, **YEAR, as_of=D(2025, 6, 1))
    akimat = next(r for r in table.rows if r.key == "AKIMAT")
    assert (akimat.due, akimat.on_time, akimat.after_extension, akimat.late) == (1, 0, 1, 0)
    assert (akimat.extensions, akimat.extensions_per_instruction, akimat.coefficient) == (1, 1.0, 0.0)
    assert (akimat.avg_delay_days, akimat.worst_delay_days) == (19.0, 19)  # against 2025-03-01


def test_the_league_table_counts_each_group_and_ranks_by_the_coefficient(demo, users):
    on_time = make(demo, code="I-A1")
    close(on_time, users["akimat"], D(2025, 2, 1))
    late = make(demo, code="I-A2")
    close(late, users["akimat"], D(2025, 3, 11))
    overdue = make(demo, code="I-A3")
    change_deadline(fresh(overdue), D(2025, 3, 20), "moved by the office", D(2025, 2, 1))
    still_open = make(demo, code="I-A4", due=D(2025, 12, 1))
    withdrawn = make(demo, code="I-A5")
    workflow.withdraw(withdrawn, users["office"], withdrawn.version, "duplicate", on=D(2025, 2, 1))
    energy = make(demo, code="I-E1", executors=("MEN",))
    energy.responsible_official = "Vice-minister A."
    energy.save()
    energy.refresh_from_db()
    close(energy, users["office"].__class__.objects.get(username="energy"), D(2025, 2, 27))
    table = discipline.by_agency(demo, **YEAR, as_of=D(2025, 4, 1))
    assert [r.key for r in table.rows] == ["MEN", "AKIMAT"]
    akimat = table.rows[1]
    assert (akimat.issued, akimat.due, akimat.on_time, akimat.late, akimat.overdue, akimat.open) == (
        5,
        4,
        1,
        1,
        1,
        1,
    )
    assert akimat.coefficient == 0.25
    # Delays past the original due: 10 days (late, executed 2025-03-11) and 31 (open, on 2025-04-01).
    assert (akimat.avg_delay_days, akimat.worst_delay_days) == (20.5, 31)
    assert (table.total.due, table.total.on_time, table.total.coefficient) == (5, 2, 0.4)
    assert table.total.avg_delay_days == 20.5
    assert still_open.pk
    by_official = discipline.by_official(demo, **YEAR, as_of=D(2025, 4, 1))
    assert {r.label: r.on_time for r in by_official.rows} == {"Vice-minister A.": 1, "not named": 1}
    by_issuer = discipline.by_issuer(demo, **YEAR, as_of=D(2025, 4, 1))
    assert [(r.label, r.due) for r in by_issuer.rows] == [("Akim", 5)]


def test_the_period_is_of_original_due_dates_and_a_scope_narrows_it(demo, users):
    make(demo, code="I-B1")
    outside = discipline.by_agency(demo, start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert all(r.key != "AKIMAT" or r.due == 0 for r in outside.rows)
    energy_only = discipline.by_agency(
        demo, **YEAR, queryset=Instruction.objects.filter(responsible__code="MEN")
    )
    assert energy_only.rows == []


def test_one_query_for_the_table_and_one_for_the_total_whatever_the_size(
    demo, users, django_assert_num_queries
):
    for n in range(6):
        make(demo, code=f"I-Q{n}")
    with django_assert_num_queries(3):  # groups, the agencies' names, the total
        discipline.by_agency(demo, **YEAR)


def test_the_demo_league_table_on_the_command_line(demo):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("discipline", "--plan", demo.code, "--format", "json", "--as-of", "2026-01-01", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["key"] for r in rows] == ["AKIMAT", "MOE", "MOT", ""]  # the total last
    akimat, total = rows[0], rows[-1]
    # I-07 was extended to 2025-12-31 and is overdue on 2026-01-01 too.
    assert (akimat["due"], akimat["overdue"], akimat["extensions"]) == (9, 9, 1)
    assert (total["due"], total["on_time"], total["coefficient"]) == (11, 0, 0.0)
    out = io.StringIO()
    call_command("discipline", "--by", "issuer", "--from", "2024-06-01", "--to", "2024-06-30", stdout=out)
    assert "Deputy Prime Minister Kanat Bozumbayev" in out.getvalue()
    with pytest.raises(CommandError, match="after"):
        call_command("discipline", "--from", "2025-01-01", "--to", "2024-01-01", stdout=io.StringIO())
