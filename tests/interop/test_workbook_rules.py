"""Every rule of the plan workbook (docs/workbook.md), seen from the user's side.

Each test exports the demo plan as CSV files, breaks one thing, imports, and checks the problem's
sheet, row (as Excel numbers it) and column, and that nothing at all was written, although the
workbook also carries a valid change (a new title for W-01) that a partial write would have saved.
"""

import csv
import io

import pytest
from django.apps import apps

from baqylau.interop.workbook import import_workbook
from baqylau.interop.workbook.exporter import csv_bytes, export_workbook
from baqylau.plans.models import Measure

NEW_TITLE = "KOS-2 second stage (retitled)"
DOMAIN_APPS = ("reference", "plans", "indicators", "instructions")


class Book:
    """A plan workbook as a folder of CSV files, edited the way a user edits it in Excel."""

    def __init__(self, folder):
        self.folder = folder

    def read(self, sheet: str) -> tuple[list[str], list[dict]]:
        text = (self.folder / f"{sheet}.csv").read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        return list(reader.fieldnames), list(reader)

    def write(self, sheet: str, header: list[str], rows: list[dict]) -> None:
        body = [[row.get(column, "") for column in header] for row in rows]
        (self.folder / f"{sheet}.csv").write_bytes(csv_bytes(header, body))

    def row_number(self, sheet: str, **match) -> int:
        """The Excel row number of the first row matching ``match`` (the header is row 1)."""
        _header, rows = self.read(sheet)
        index = next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))
        return index + 2

    def set(self, sheet: str, match: dict, **values) -> int:
        header, rows = self.read(sheet)
        index = next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))
        rows[index].update(values)
        header += [c for c in values if c not in header]
        self.write(sheet, header, rows)
        return index + 2

    def add(self, sheet: str, **values) -> int:
        header, rows = self.read(sheet)
        rows.append(values)
        header += [c for c in values if c not in header]
        self.write(sheet, header, rows)
        return len(rows) + 1

    def drop_column(self, sheet: str, column: str) -> None:
        header, rows = self.read(sheet)
        header.remove(column)
        self.write(sheet, header, rows)


@pytest.fixture
def book(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    book = Book(tmp_path / "plan")
    book.set("measures", {"code": "W-01"}, title=NEW_TITLE)
    return book


def snapshot() -> dict[str, int]:
    """Row counts of every domain table and its history."""
    counts = {}
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts


def refused(book: Book, **kwargs):
    before = snapshot()
    result = import_workbook(book.folder, **kwargs)
    assert result.problems, "the workbook should have been refused"
    assert not result.written
    assert snapshot() == before
    assert Measure.objects.get(code="W-01").title != NEW_TITLE
    return result


def only(result, sheet: str, row: int, column: str):
    """The one problem reported, at sheet/row/column."""
    where = [(p.sheet, p.row, p.column) for p in result.problems]
    assert where == [(sheet, row, column)], [str(p) for p in result.problems]
    return result.problems[0]


# -- the valid change goes through, so the refusals below are meaningful -------------------------------------
def test_the_base_workbook_is_valid_and_writes_its_one_change(book):
    result = import_workbook(book.folder)
    assert result.ok and result.written
    assert result.created == {} and result.updated == {"measures": 1}
    assert Measure.objects.get(code="W-01").title == NEW_TITLE


# -- required columns and cells ------------------------------------------------------------------------------
def test_a_required_column_missing(book):
    book.drop_column("measures", "due")
    problem = only(refused(book), "measures", 1, "due")
    assert "required column due is missing" in problem.reason


def test_a_required_cell_empty(book):
    row = book.set("facilities", {"code": "KOS-2"}, kind="")
    problem = only(refused(book), "facilities", row, "kind")
    assert problem.reason == "This cell is required."


def test_a_required_list_with_no_codes(book):
    row = book.set("instructions", {"code": "I-02"}, executors=" ; ")
    only(refused(book), "instructions", row, "executors")


# -- codes unique --------------------------------------------------------------------------------------------
def test_a_code_used_twice(book):
    _header, rows = book.read("measures")
    first = book.row_number("measures", code="H-01")
    row = book.add("measures", **{**rows[first - 2], "title": "A second H-01"})
    problem = only(refused(book), "measures", row, "code")
    assert f"already used on row {first}" in problem.reason and problem.value == "H-01"


def test_a_target_period_given_twice(book):
    _header, rows = book.read("targets")
    row = book.add("targets", **rows[0])
    problem = only(refused(book), "targets", row, "period_end")
    assert "already has a row for the period" in problem.reason


def test_a_code_with_the_list_separator(book):
    row = book.set("agencies", {"code": "MOH"}, code="MOH;X")
    result = refused(book)
    assert ("agencies", row, "code") in [(p.sheet, p.row, p.column) for p in result.problems]


# -- references ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sheet", "match", "column", "value"),
    [
        ("measures", {"code": "W-01"}, "sphere", "space"),
        ("measures", {"code": "W-01"}, "lead_agency", "NOBODY"),
        ("measures", {"code": "W-02"}, "parent", "W-99"),
        ("measures", {"code": "W-01"}, "territories", "AKT;ATLANTIS"),
        ("facilities", {"code": "KOS-2"}, "measure", "W-99"),
        ("facilities", {"code": "KOS-2"}, "territory", "ATLANTIS"),
        ("indicators", {"code": "TALENTED-CHILDREN"}, "measure", "ED-99"),
        ("targets", {"indicator": "TALENTED-CHILDREN"}, "indicator", "NO-SUCH-INDICATOR"),
        ("actuals", {"indicator": "HEAT-KM"}, "reported_by", "NOBODY"),
        ("instructions", {"code": "I-02"}, "executors", "AKIMAT;NOBODY"),
        ("instructions", {"code": "I-02"}, "event", "EV-NONE"),
        ("instructions", {"code": "I-02"}, "measures", "ENV-99"),
        ("territories", {"code": "AKT"}, "parent", "ATLANTIS"),
        ("plan", {"code": "MNG-URGENT-2024"}, "region", "ATLANTIS"),
    ],
)
def test_a_reference_that_resolves_nowhere(book, sheet, match, column, value):
    row = book.set(sheet, match, **{column: value})
    problem = only(refused(book), sheet, row, column)
    missing = value.split(";")[-1]
    assert (
        problem.reason.startswith(f"{missing} is not in the ") and "sheet or the database" in problem.reason
    )


def test_a_reference_to_a_record_only_in_the_database_resolves(book):
    header, _rows = book.read("spheres")
    book.write("spheres", header, [])  # the measures name spheres the database has
    result = import_workbook(book.folder)
    assert result.ok, [str(p) for p in result.problems]


def test_parents_going_round_in_a_circle(book):
    row = book.set("measures", {"code": "W-00"}, parent="W-02")
    child = book.row_number("measures", code="W-02")
    result = refused(book)
    assert [(p.row, p.column) for p in result.problems] == sorted([(row, "parent"), (child, "parent")])
    reasons = {p.row: p.reason for p in result.problems}
    assert "W-00 → W-02 → W-00" in reasons[row] and "W-02 → W-00 → W-02" in reasons[child]


# -- dates ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["2024-13-01", "31/12/2024", "soon", "2024-02-30"])
def test_a_date_that_does_not_parse(book, value):
    row = book.set("measures", {"code": "W-01"}, start=value)
    problem = only(refused(book), "measures", row, "start")
    assert problem.value == value and "date" in problem.reason


def test_a_russian_dotted_date_is_read(book):
    book.set("measures", {"code": "W-01"}, start="01.01.2024")
    assert import_workbook(book.folder).ok


def test_due_before_start(book):
    row = book.set("measures", {"code": "W-01"}, start="2026-01-01", due="2025-12-31")
    problem = only(refused(book), "measures", row, "due")
    assert problem.reason == "The due date must not be before the start date (2026-01-01)."


def test_plan_end_before_start(book):
    row = book.set("plan", {"code": "MNG-URGENT-2024"}, end="2023-12-31")
    only(refused(book), "plan", row, "end")


def test_instruction_due_before_issue(book):
    row = book.set("instructions", {"code": "I-05"}, issued_on="2025-01-01", due="2024-12-31")
    result = refused(book)
    assert ("instructions", row, "due") in [(p.sheet, p.row, p.column) for p in result.problems]
    assert any("before the date of issue" in p.reason for p in result.problems)


# -- numbers -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["lots", "1.234,5", "12e", "NaN"])
def test_a_number_that_does_not_parse(book, value):
    row = book.set("measures", {"code": "W-01"}, budget_kzt=value)
    only(refused(book), "measures", row, "budget_kzt")


@pytest.mark.parametrize(
    ("sheet", "match", "column"),
    [
        ("measures", {"code": "W-01"}, "budget_kzt"),
        ("measures", {"code": "W-01"}, "weight"),
        ("facilities", {"code": "KOS-2"}, "capacity_baseline"),
        ("facilities", {"code": "KOS-2"}, "capacity_target"),
        ("territories", {"code": "AKT"}, "population"),
        ("instructions", {"code": "I-01"}, "term_days"),
    ],
)
def test_a_negative_capacity_budget_or_weight(book, sheet, match, column):
    row = book.set(sheet, match, **{column: "-5"})
    result = refused(book)
    problem = next(p for p in result.problems if (p.sheet, p.row, p.column) == (sheet, row, column))
    assert problem.reason == "The value must not be negative."


def test_too_many_decimal_places_and_too_large(book):
    places = book.set("facilities", {"code": "KOS-2"}, capacity_target="70000,0001")
    large = book.set("measures", {"code": "W-01"}, budget_kzt="1" + "0" * 17)
    result = refused(book)
    reasons = {(p.sheet, p.row, p.column): p.reason for p in result.problems}
    assert "more than 3 decimal places" in reasons[("facilities", places, "capacity_target")]
    assert "too large" in reasons[("measures", large, "budget_kzt")]


@pytest.mark.parametrize(
    ("sheet", "match"), [("territories", {"code": "AKT"}), ("facilities", {"code": "KOS-2"})]
)
def test_latitude_and_longitude_out_of_range(book, sheet, match):
    row = book.set(sheet, match, lat="91", lon="-181")
    result = refused(book)
    assert [(p.row, p.column) for p in result.problems] == [(row, "lat"), (row, "lon")]
    assert result.problems[0].reason == "The value must be between -90 and 90."


# -- choices and instructions --------------------------------------------------------------------------------
def test_direction_must_be_up_or_down(book):
    row = book.set("indicators", {"code": "TALENTED-CHILDREN"}, direction="sideways")
    problem = only(refused(book), "indicators", row, "direction")
    assert problem.reason == "“sideways” is not one of the allowed values: up, down."


def test_status_must_be_in_the_documented_list(book):
    row = book.set("instructions", {"code": "I-02"}, status="forgotten")
    problem = only(refused(book), "instructions", row, "status")
    assert "open, executed, withdrawn" in problem.reason


def test_a_closed_instruction_needs_its_closing_date_and_an_open_one_has_none(book):
    executed = book.set("instructions", {"code": "I-02"}, status="executed")
    open_ = book.set("instructions", {"code": "I-03"}, closed_on="2025-01-10")
    result = refused(book)
    assert [(p.row, p.column) for p in result.problems] == [(executed, "closed_on"), (open_, "closed_on")]


def test_a_closed_instruction_with_its_date_is_accepted(book):
    book.set("instructions", {"code": "I-02"}, status="executed", closed_on="2025-03-01")
    result = import_workbook(book.folder)
    assert result.ok and result.updated == {"measures": 1, "instructions": 1}


def test_a_sheet_without_closed_on_can_reopen_an_instruction(book):
    from baqylau.instructions.models import Instruction

    book.set("instructions", {"code": "I-02"}, status="executed", closed_on="2025-03-01")
    assert import_workbook(book.folder).ok
    book.drop_column("instructions", "closed_on")
    book.set("instructions", {"code": "I-02"}, status="open")
    assert import_workbook(book.folder).updated == {"instructions": 1}
    reopened = Instruction.objects.get(code="I-02")
    assert (reopened.status, reopened.closed_on) == ("open", None)


def test_due_must_be_issued_on_plus_the_term(book):
    row = book.set("instructions", {"code": "I-01"}, term_days="10")  # issued 14 June, due 21 June
    problem = only(refused(book), "instructions", row, "due")
    assert problem.reason == "The due date must be 2024-06-24: issued on plus the term of 10 days."


def test_a_new_instruction_with_a_wrong_term_is_refused(book):
    row = book.add(
        "instructions",
        code="I-11",
        issued_on="2025-01-01",
        text="New",
        executors="AKIMAT",
        due="2025-01-09",
        term_days="7",
    )
    problem = only(refused(book), "instructions", row, "due")
    assert "2025-01-08" in problem.reason


def test_moving_a_deadline_needs_a_deadline_change_with_its_reason(book):
    row = book.set("instructions", {"code": "I-05"}, due="2025-06-30")
    problem = only(refused(book), "instructions", row, "due")
    assert "deadline_changes" in problem.reason


def test_a_deadline_change_moves_the_deadline_and_is_kept(book):
    from baqylau.instructions.models import Instruction

    book.set("instructions", {"code": "I-01"}, due="2024-07-15")
    book.add(
        "deadline_changes",
        instruction="I-01",
        changed_on="2024-06-20",
        old_due="2024-06-21",
        new_due="2024-07-15",
        reason="The akimat asked for more time",
    )
    result = import_workbook(book.folder)
    assert result.ok, [str(p) for p in result.problems]
    instruction = Instruction.objects.get(code="I-01")
    assert instruction.due.isoformat() == "2024-07-15" and instruction.initial_due.isoformat() == "2024-06-21"
    assert instruction.deadline_changes.get().reason == "The akimat asked for more time"
    assert import_workbook(book.folder).updated == {}  # the change is recorded once


def test_a_deadline_change_that_does_not_follow_on(book):
    book.set("instructions", {"code": "I-01"}, due="2024-07-15")
    row = book.add(
        "deadline_changes",
        instruction="I-01",
        changed_on="2024-06-20",
        old_due="2024-06-25",
        new_due="2024-07-15",
        reason="More time",
    )
    problem = only(refused(book), "deadline_changes", row, "old_due")
    assert "was 2024-06-21 before this change" in problem.reason


def test_a_new_deadline_change_needs_its_instruction_row(book):
    header, rows = book.read("instructions")
    book.write("instructions", header, [r for r in rows if r["code"] != "I-01"])
    row = book.add(
        "deadline_changes",
        instruction="I-01",
        changed_on="2024-06-20",
        old_due="2024-06-21",
        new_due="2024-07-15",
        reason="x",
    )
    only(refused(book), "deadline_changes", row, "instruction")


def test_a_recorded_deadline_change_cannot_be_edited(demo, tmp_path):
    import datetime as dt

    from baqylau.instructions.models import Instruction
    from baqylau.instructions.services import change_deadline

    instruction = Instruction.objects.get(code="I-05")
    change_deadline(instruction, dt.date(2025, 6, 30), "Housing fund not ready", dt.date(2024, 12, 20))
    export_workbook(demo, tmp_path / "plan")
    book = Book(tmp_path / "plan")
    assert import_workbook(book.folder).updated == {}
    book.set("measures", {"code": "W-01"}, title=NEW_TITLE)
    row = book.set("deadline_changes", {"instruction": "I-05"}, reason="Another reason")
    problem = only(refused(book), "deadline_changes", row, "reason")
    assert "cannot be edited; recorded: Housing fund not ready" in problem.reason


def test_a_deadline_change_must_move_the_date(book):
    row = book.add(
        "deadline_changes",
        instruction="I-01",
        changed_on="2024-06-20",
        old_due="2024-06-21",
        new_due="2024-06-21",
        reason="x",
    )
    only(refused(book), "deadline_changes", row, "new_due")


# -- what the database would refuse --------------------------------------------------------------------------
def test_text_longer_than_the_column(book):
    row = book.set("measures", {"code": "W-01"}, title="Ж" * 501)
    problem = only(refused(book), "measures", row, "title")
    assert problem.reason == "The text is 501 characters long; at most 500 fit."


def test_a_control_character_a_workbook_cannot_hold(book):
    row = book.set("measures", {"code": "W-02"}, completion_form="done\x07")
    only(refused(book), "measures", row, "completion_form")


def test_population_needs_its_year_and_they_must_agree(book):
    no_year = book.set("territories", {"code": "AKT"}, population_year="", population_date="")
    mismatch = book.set("territories", {"code": "MUN"}, population_year="2022")
    result = refused(book)
    assert [(p.row, p.column) for p in result.problems] == [
        (no_year, "population"),
        (mismatch, "population_date"),
    ]


# -- the plan sheet ------------------------------------------------------------------------------------------
def test_the_plan_sheet_and_plan_option_must_agree(book):
    row = book.row_number("plan", code="MNG-URGENT-2024")
    problem = only(refused(book, plan_code="OTHER"), "plan", row, "code")
    assert "asked for plan OTHER" in problem.reason


def test_the_plan_sheet_holds_one_row(book):
    header, rows = book.read("plan")
    book.write("plan", header, [*rows, {**rows[0], "code": "SECOND"}])
    only(refused(book), "plan", 3, "")


# -- all at once, and what is only a warning -----------------------------------------------------------------
def test_every_problem_is_reported_together_in_sheet_order(book):
    bad_due = book.set("measures", {"code": "H-01"}, due="someday")
    bad_kind = book.set("facilities", {"code": "KOS-2"}, kind="castle")
    bad_ref = book.set("instructions", {"code": "I-04"}, executors="MOT;NOBODY")
    bad_lat = book.set("territories", {"code": "BEI"}, lat="145.3")
    result = refused(book)
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [
        ("territories", bad_lat, "lat"),
        ("measures", bad_due, "due"),
        ("facilities", bad_kind, "kind"),
        ("instructions", bad_ref, "executors"),
    ]
    assert str(result.problems[2]) == (
        f"facilities!kind row {bad_kind}: castle is not in the facility_kinds sheet or the database. "
        "(value: castle)"
    )


def test_unknown_columns_and_sheets_are_warnings_not_problems(book):
    book.set("measures", {"code": "W-01"}, remarks="checked by the office")
    (book.folder / "notes.csv").write_text("text\nhello\n", encoding="utf-8")
    result = import_workbook(book.folder)
    assert result.ok and result.written
    warned = {(w.sheet, w.row, w.column) for w in result.warnings}
    assert ("measures", 1, "remarks") in warned and ("notes", None, "") in warned


def test_a_missing_optional_column_leaves_the_field_as_it_is(book):
    note = Measure.objects.get(code="W-01").estimate_note
    book.drop_column("measures", "estimate_note")
    assert import_workbook(book.folder).ok
    assert Measure.objects.get(code="W-01").estimate_note == note != ""


def test_an_empty_optional_cell_means_unknown(book):
    book.set("measures", {"code": "W-01"}, budget_kzt="", completion_form="")
    assert import_workbook(book.folder).ok
    measure = Measure.objects.get(code="W-01")
    assert measure.budget_planned_kzt is None and measure.completion_form == ""
