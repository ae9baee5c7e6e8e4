"""What an import answers: every problem by sheet, row and column, and what was (or would be) written."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext


class WorkbookRefused(Exception):
    """The file cannot be read as a plan workbook at all (or is too large); nothing was read or written.

    ``reason`` is one translated sentence for the user; ``code`` names the kind of refusal so a page
    can choose its own wording: ``too_large``, ``not_found``, ``not_workbook``, ``encrypted``,
    ``empty``, ``missing_sheets``, ``not_utf8``, ``no_plan``, ``unknown_plan``; and, while writing,
    ``conflict`` (the database changed meanwhile) or ``database`` (it refused a value).
    """

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Problem:
    """One violation of the format (or, among ``ImportResult.warnings``, something ignored).

    ``row`` is the row number as Excel shows it (the header is row 1); ``None`` for the whole sheet.
    ``column`` is the column name, or ``""`` for the whole row.
    """

    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    @property
    def location(self) -> str:
        where = f"{self.sheet}!{self.column}" if self.column else self.sheet
        return f"{where} row {self.row}" if self.row is not None else where

    def __str__(self) -> str:
        text = f"{self.location}: {self.reason}"
        if self.value != "":
            text += " " + gettext("(value: %(value)s)") % {"value": self.value}
        return text


@dataclass
class ImportResult:
    plan_code: str = ""
    dry_run: bool = False
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # data rows read, per sheet
    created: dict[str, int] = field(default_factory=dict)  # per sheet: rows whose record was created
    updated: dict[str, int] = field(default_factory=dict)  # per sheet: rows whose record changed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())
