"""The plan workbook (format 1, docs/workbook.md): import and export.

from baqylau.interop.workbook import import_workbook, export_workbook

result = import_workbook("plan.xlsx", plan_code="MNG-URGENT-2024", dry_run=True)
for problem in result.problems:
    print(problem)  # measures!due row 7: The due date must not be before the start date ...
export_workbook(plan, "plan.xlsx")  # or a folder, or a .zip, of CSV files
"""

from .exporter import export_workbook
from .importer import Progress, import_workbook
from .results import ImportResult, Problem, WorkbookRefused
from .spec import REQUIRED_SHEETS, SHEETS

__all__ = [
    "REQUIRED_SHEETS",
    "SHEETS",
    "ImportResult",
    "Problem",
    "Progress",
    "WorkbookRefused",
    "export_workbook",
    "import_workbook",
]
