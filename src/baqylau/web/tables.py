"""The measures register's exports: the rows the user sees, as CSV or XLSX, written as they are read."""

import csv
import io

from openpyxl import Workbook

from baqylau.assessment.records import measure_status_record
from baqylau.core.spreadsheet import csv_cell, xlsx_cell

EXPORT_COLUMNS = (
    "code",
    "title",
    "sphere",
    "territories",
    "lead_agency",
    "start",
    "due",
    "status",
    "confidence",
    "progress",
    "planned",
    "forecast_finish",
    "slip_days",
    "likelihood",
    "finish_low",
    "finish_high",
    "explanation",
)


def _cells(record: dict) -> list:
    values = []
    for column in EXPORT_COLUMNS:
        value = record[column]
        values.append("; ".join(value) if isinstance(value, list) else value)
    return values


def _records(rows):
    for row in rows:
        yield _cells(measure_status_record(row["measure"], row["judgement"]))


def export_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([csv_cell(v) for v in cells] for cells in _records(rows))  # never a formula
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens Cyrillic correctly


def export_xlsx(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("measures")
    sheet.append(list(EXPORT_COLUMNS))
    for cells in _records(rows):
        sheet.append([xlsx_cell(sheet, v) for v in cells])  # text cells, never formulas
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
