"""docs/workbook.md describes the format as implemented: every sheet and column is documented."""

import re
from pathlib import Path

from baqylau.interop.workbook import REQUIRED_SHEETS, SHEETS

DOC = Path(__file__).resolve().parents[2] / "docs" / "workbook.md"


def test_every_sheet_and_column_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for sheet in SHEETS:
        section = text.split(f"`{sheet.name}`", 1)
        assert len(section) == 2, f"sheet {sheet.name} is not documented"
        for column in sheet.column_names:
            assert re.search(rf"\b{column}\b", text), f"{sheet.name}.{column} is not documented"


def test_the_required_sheets_are_the_ten_of_format_1():
    assert REQUIRED_SHEETS == (
        "territories",
        "agencies",
        "spheres",
        "measures",
        "facilities",
        "indicators",
        "targets",
        "actuals",
        "events",
        "instructions",
    )
