"""The measures register's rows: judged, filtered by verdict, sorted, and exported as the user sees them."""

import csv
import io

from openpyxl import Workbook

from baqylau.assessment.judgements import PlanJudgement
from baqylau.assessment.records import measure_status_record
from baqylau.core.spreadsheet import csv_cell, xlsx_cell

SORTS = {
    "code": lambda row: row["measure"].code,
    "due": lambda row: (row["measure"].due, row["measure"].code),
    "status": lambda row: (STATUS_ORDER.get(row["judgement"].status.value, 9), row["measure"].due),
    "progress": lambda row: (row["judgement"].progress is None, row["judgement"].progress or 0),
}
STATUS_ORDER = {"late": 0, "at_risk": 1, "on_track": 2, "not_started": 3, "done": 4}
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
    "explanation",
)


def register_rows(
    measures, judged: PlanJudgement, status: str = "", confidence: str = "", sort: str = "code"
):
    rows = [{"measure": m, "judgement": judged.measures[m.code]} for m in measures]
    if status:
        rows = [r for r in rows if r["judgement"].status.value == status]
    if confidence:
        rows = [r for r in rows if r["judgement"].confidence.value == confidence]
    descending = sort.startswith("-")
    return sorted(rows, key=SORTS.get(sort.lstrip("-"), SORTS["code"]), reverse=descending)


def _cells(record: dict) -> list:
    values = []
    for column in EXPORT_COLUMNS:
        value = record[column]
        values.append("; ".join(value) if isinstance(value, list) else value)
    return values


def export_csv(rows, judged: PlanJudgement) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(v) for v in _cells(measure_status_record(judged, row["measure"].code))])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens Cyrillic correctly


def export_xlsx(rows, judged: PlanJudgement) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("measures")
    sheet.append(list(EXPORT_COLUMNS))
    for row in rows:
        sheet.append(
            [xlsx_cell(sheet, v) for v in _cells(measure_status_record(judged, row["measure"].code))]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
