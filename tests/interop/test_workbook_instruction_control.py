"""The workbook carries instruction control (responsible, co-executors, controller, parent, original due),
round-trips it, and refuses what breaks its rules, naming the row and column."""

import pytest

from baqylau.instructions.models import Instruction
from baqylau.interop.workbook import import_workbook
from baqylau.interop.workbook.exporter import export_workbook
from baqylau.plans.models import Plan

from .test_workbook_rules import NEW_TITLE, Book, only, refused


@pytest.fixture
def book(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    book = Book(tmp_path / "plan")
    book.set("measures", {"code": "W-01"}, title=NEW_TITLE)
    return book


def test_a_copy_keeps_responsible_parent_controller_and_original_due(demo, users, tmp_path):
    i = Instruction.objects.get(code="I-05")
    i.controller, i.responsible_official = users["reviewer"], "Deputy akim B."
    i.save()
    export_workbook(demo, tmp_path / "plan")
    plan_csv = tmp_path / "plan" / "plan.csv"
    plan_csv.write_bytes(plan_csv.read_bytes().replace(b"MNG-URGENT-2024", b"MNG-COPY"))
    result = import_workbook(tmp_path / "plan", plan_code="MNG-COPY")
    assert result.ok, [str(p) for p in result.problems]
    copy = {i.code: i for i in Instruction.objects.filter(plan=Plan.objects.get(code="MNG-COPY"))}
    assert copy["I-04.1"].parent == copy["I-04"]
    assert (copy["I-04"].responsible.code, [a.code for a in copy["I-04"].co_executors()]) == (
        "MOT",
        ["AKIMAT"],
    )
    assert (copy["I-07"].original_due.isoformat(), copy["I-07"].due.isoformat()) == (
        "2024-12-31",
        "2025-12-31",
    )
    assert (copy["I-05"].controller, copy["I-05"].responsible_official) == (
        users["reviewer"],
        "Deputy akim B.",
    )


def test_without_the_column_a_new_instruction_is_answered_for_by_its_first_executor(book):
    book.add(
        "instructions",
        code="I-12",
        issued_on="2025-01-01",
        text="New",
        executors="MOH;AKIMAT",
        due="2025-03-01",
    )
    header, rows = book.read("instructions")
    header.remove("responsible")
    book.write("instructions", header, rows)
    import_workbook(book.folder, plan_code="MNG-URGENT-2024")
    assert Instruction.objects.get(code="I-12").responsible.code == "MOH"
    assert Instruction.objects.get(code="I-04").responsible.code == "MOT"  # a recorded one keeps its own


def test_the_responsible_executor_must_be_an_executor(book):
    row = book.set("instructions", {"code": "I-05"}, responsible="MOH")
    assert "must be one of the executors" in only(refused(book), "instructions", row, "responsible").reason


def test_the_original_due_never_changes(book):
    row = book.set("instructions", {"code": "I-07"}, original_due="2025-03-31")
    assert "ordered at issue" in only(refused(book), "instructions", row, "original_due").reason


def test_a_sub_instruction_is_due_by_its_parent(book):
    row = book.set("instructions", {"code": "I-04.1"}, due="2025-01-31")
    problems = refused(book).problems
    assert any(p.column == "due" and "parent's due date" in p.reason and p.row == row for p in problems)


def test_delegation_cannot_go_round(book):
    row = book.set("instructions", {"code": "I-04"}, parent="I-04.1")
    problems = refused(book).problems
    assert any(p.column == "parent" and "circle" in p.reason and p.row == row for p in problems)


def test_the_controller_is_an_active_user(book):
    row = book.set("instructions", {"code": "I-05"}, controller="nobody-here")
    assert "No active user" in only(refused(book), "instructions", row, "controller").reason


def test_the_export_carries_the_discipline_league_table_and_an_import_skips_it(demo, tmp_path):
    import csv

    export_workbook(demo, tmp_path / "plan")
    rows = list(
        csv.DictReader((tmp_path / "plan" / "discipline.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert [r["key"] for r in rows] == ["AKIMAT", "MOE", "MOT", ""]
    assert rows[-1]["due"] == "11"
    result = import_workbook(tmp_path / "plan", plan_code=demo.code)
    assert result.ok and not [w for w in result.warnings if w.sheet == "discipline"]


def test_recurring_reporting_is_carried_and_checked(book):
    book.set("instructions", {"code": "I-05"}, report_every="month")
    assert import_workbook(book.folder, plan_code="MNG-URGENT-2024").ok
    assert Instruction.objects.get(code="I-05").report_every == "month"


def test_an_unknown_reporting_period_is_refused(book):
    row = book.set("instructions", {"code": "I-05"}, report_every="daily")
    assert only(refused(book), "instructions", row, "report_every")
