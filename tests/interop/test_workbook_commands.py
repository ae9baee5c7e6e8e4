"""`baqylau import-plan` and `baqylau export-plan` as a user runs them."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from baqylau.interop.workbook import export_workbook, import_workbook
from baqylau.plans.models import Measure, Plan


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*[str(a) for a in args], stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def folder(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    return tmp_path / "plan"


def as_copy(folder, code="MNG-COPY"):
    path = folder / "plan.csv"
    path.write_bytes(path.read_bytes().replace(b"MNG-URGENT-2024", code.encode()))


def test_import_reports_each_problem_on_its_own_line_and_refuses(folder):
    path = folder / "measures.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    due = rows[0].index("due")
    index = next(i for i, r in enumerate(rows) if r[0] == "W-01")
    rows[index][due] = "2025-12-32"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 problem\(s\) in .*plan; nothing was written\.$"):
        call_command("import_plan", str(folder), stdout=out)
    reason = "This is not a real date (no such day in the calendar)."
    assert out.getvalue() == f"measures!due row {index + 1}: {reason} (value: 2025-12-32)\n"


def test_import_into_a_new_plan_then_again(folder):
    as_copy(folder)
    out = run("import_plan", folder)
    assert "measures: 16 rows, 16 created, 0 updated" in out
    assert out.strip().endswith("rows created, 0 updated.") and "Imported into plan MNG-COPY" in out
    assert Measure.objects.filter(plan__code="MNG-COPY").count() == 16
    assert "Plan MNG-COPY already matches the workbook: nothing changed." in run("import_plan", folder)


def test_dry_run_reports_what_would_be_written_and_writes_nothing(folder):
    as_copy(folder)
    out = run("import-plan".replace("-", "_"), folder, "--dry-run")
    assert "measures: 16 rows, 16 created, 0 updated" in out
    assert (
        "Dry run: the workbook is valid; importing it would create" in out and "Nothing was written." in out
    )
    assert not Plan.objects.filter(code="MNG-COPY").exists()


def test_dry_run_of_a_change_counts_the_update(folder):
    measures = (folder / "measures.csv").read_text(encoding="utf-8-sig")
    (folder / "measures.csv").write_text(measures.replace("KOS-2", "KOS-2 (stage 2)", 1), encoding="utf-8")
    result = import_workbook(folder, dry_run=True)
    assert result.ok and not result.written and result.updated == {"measures": 1}
    assert Measure.objects.get(code="W-01").title.startswith("KOS-2 ")


def test_progress_bar_on_request_and_callback_counts(folder):
    as_copy(folder)
    err = io.StringIO()
    run("import_plan", folder, "--progress", stderr=err)
    assert "checking" in err.getvalue() and "writing" in err.getvalue()

    as_copy(folder, "MNG-COPY2")
    calls = []
    import_workbook(folder, progress=lambda done, total, stage: calls.append((stage, done, total)))
    for stage in ("checking", "writing"):
        seen = [(done, total) for s, done, total in calls if s == stage]
        assert seen and seen == sorted(seen) and seen[-1][0] == seen[-1][1] > 0


def test_no_progress_bar_when_not_asked_and_not_a_terminal(folder):
    err = io.StringIO()
    run("import_plan", folder, stderr=err)
    assert err.getvalue() == ""


def test_export_plan_to_xlsx_zip_and_folder(demo, tmp_path):
    out = run("export_plan", "--plan", "MNG-URGENT-2024", "-o", tmp_path / "plan.xlsx")
    assert (
        f"Exported plan MNG-URGENT-2024 to {tmp_path / 'plan.xlsx'}: 1 plan," in out and "16 measures" in out
    )
    book = load_workbook(tmp_path / "plan.xlsx", read_only=True)
    assert [ws.title for ws in book.worksheets] == [
        "plan",
        "territories",
        "agencies",
        "spheres",
        "facility_kinds",
        "measures",
        "facilities",
        "indicators",
        "targets",
        "actuals",
        "events",
        "instructions",
        "deadline_changes",
        "discipline",  # for reading: the league table on the day of the export; an import skips it
    ]
    run("export_plan", "--plan", "MNG-URGENT-2024", "--output", tmp_path / "plan.zip")
    run("export_plan", "--plan", "MNG-URGENT-2024", "-o", tmp_path / "csv")
    assert (tmp_path / "csv" / "measures.csv").exists()
    for path in ("plan.xlsx", "plan.zip", "csv"):
        assert import_workbook(tmp_path / path).updated == {}


def test_export_of_an_unknown_plan(demo, tmp_path):
    with pytest.raises(CommandError, match=r"no plan with code 'NOPE' \(plans: MNG-URGENT-2024\)"):
        run("export_plan", "--plan", "NOPE", "-o", tmp_path / "x.xlsx")
