"""Cells the product writes to spreadsheets and CSV files: no text from a user ever becomes a formula.

OWASP's CSV-injection guidance: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``=cmd|...``).
Every writer goes through this module:

* **CSV** (``csv_text``): such a text gets a leading apostrophe (``'=1+1``), the mark spreadsheets show
  as "text". A text that starts with an apostrophe followed by such a text gets one more, so the
  plan-workbook import (``restore_csv_text``) removes exactly one and gets every text back unchanged.
* **XLSX** (``xlsx_cell`` for openpyxl; ``core/xlsx.py``, the plan workbook's writer, by the same rule):
  every text is a string cell (never a formula cell), and one that starts with such a character also
  carries Excel's quote prefix, so editing the cell does not turn it into a formula either. The text
  itself is stored unchanged.

Numbers, dates and empty cells are not text and are written as they are.
"""

import re
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX file (XML 1.0) cannot hold and PostgreSQL cannot store as text (NUL, and the lone
# surrogates a JSON escape can produce): refused wherever text comes in (the workbook import, the API).
# Lone surrogates stay out of the class an API schema states: JSON Schema regexes (ECMA, Rust) cannot name
# them, and no UTF-8 body can carry them except as a JSON escape, which the API refuses all the same.
UNHOLDABLE_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
UNHOLDABLE = re.compile(rf"[{UNHOLDABLE_CLASS}\ud800-\udfff]")
APOSTROPHE = "'"


def decimal_text(value: Decimal) -> str:
    """A decimal without trailing zeros and never in exponent form: 30000, 602.1, 0.25."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _needs_mark(text: str) -> bool:
    while text.startswith(APOSTROPHE):
        text = text[1:]
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """A text for a CSV cell: with a leading apostrophe when a spreadsheet would read a formula."""
    return APOSTROPHE + text if _needs_mark(text) else text


def restore_csv_text(text: str) -> str:
    """The text ``csv_text`` was given (a CSV cell read back); any other text is returned as it is."""
    if text.startswith(APOSTROPHE) and _needs_mark(text[1:]):
        return text[1:]
    return text


def csv_cell(value):
    """Any value for a CSV writer: texts neutralised, everything else as it is."""
    return csv_text(value) if isinstance(value, str) else value


def xlsx_cell(sheet, value):
    """A value for ``sheet.append`` of a write-only openpyxl sheet: a text is always a text cell."""
    if not isinstance(value, str) or not value:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would make "=..." a formula cell
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
