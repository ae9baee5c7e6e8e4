"""Checking a workbook against format 1 (docs/workbook.md) before anything is written.

Every problem is collected, none stops the check: the user gets the whole list at once, each with
its sheet, row (as Excel numbers it), column, value and a sentence saying what is wrong. The checks
also cover what the database would refuse (lengths, digits, ranges, a closing date that matches
the status), so a bad file ends in a list of problems and never in a database error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from baqylau.plans.models import Plan

from . import cells
from .existing import Existing
from .instruction_checks import InstructionChecks
from .results import Problem, WorkbookRefused
from .source import RawSheet, RawWorkbook
from .spec import (
    BY_NAME,
    CHOICE,
    CODE,
    DATE,
    DECIMAL,
    FLOAT,
    INTEGER,
    REF,
    REFS,
    REPORT_SHEETS,
    REQUIRED_SHEETS,
    SHEETS,
    TEXT,
    YEAR,
    Column,
    Sheet,
)

MAX_INTEGER = 2_147_483_647  # PostgreSQL's integer, the column type of Django's PositiveIntegerField
PROGRESS_EVERY = 200  # rows between progress reports


@dataclass
class Row:
    number: int  # as Excel shows it; the header is row 1
    values: dict  # column -> parsed value (None when empty), for the known columns the header has
    raw: dict  # column -> the cell as read, for messages

    def shown(self, column: str) -> str:
        return cells.shown(self.raw.get(column))


@dataclass
class Parsed:
    spec: Sheet
    present: frozenset[str]
    rows: list[Row]
    by_key: dict  # key -> the first row with it


@dataclass
class Checked:
    plan_code: str
    plan: Plan | None  # the plan in the database, if it exists already
    sheets: dict[str, Parsed]
    existing: Existing
    problems: list[Problem]
    warnings: list[Problem]
    first_due: dict[str, dt.date] = field(default_factory=dict)  # instruction code -> its original due


def row_key(spec: Sheet, values: dict):
    if spec.key == ("code",):
        return values.get("code")
    return tuple(values.get(k) for k in spec.key)


def model_of(spec: Sheet) -> type[models.Model]:
    return apps.get_model(spec.model)


class Checker(InstructionChecks):
    def __init__(self, raw: RawWorkbook, plan_code: str | None, progress: Callable | None = None):
        self.raw = raw
        self.plan_code = (plan_code or "").strip()
        self.progress = progress
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.sheets: dict[str, Parsed] = {}
        self.first_due: dict[str, dt.date] = {}
        self.done = 0
        self.total = 0

    # -- reporting ---------------------------------------------------------------------------------
    def problem(self, sheet: str, row: int | None, column: str, value, reason: str) -> None:
        self.problems.append(Problem(sheet, row, column, cells.shown(value), str(reason)))

    def warn(self, sheet: str, row: int | None, column: str, value, reason: str) -> None:
        self.warnings.append(Problem(sheet, row, column, cells.shown(value), str(reason)))

    def at(self, sheet: str, row: Row, column: str, reason: str) -> None:
        self.problem(sheet, row.number, column, row.raw.get(column), reason)

    def _tick(self, force: bool = False) -> None:
        if self.progress and (force or self.done % PROGRESS_EVERY == 0):
            self.progress(self.done, self.total, "checking")

    # -- the whole check ---------------------------------------------------------------------------
    def run(self) -> Checked:
        raw_sheets = self._structure()
        self.total = sum(len(s.rows) for s in raw_sheets.values())
        if "plan" in raw_sheets:
            self.sheets["plan"] = self._parse(BY_NAME["plan"], raw_sheets["plan"])
        plan_code, plan = self._resolve_plan()
        existing = Existing(plan)
        self.existing = existing
        for spec in SHEETS:
            if spec.name in raw_sheets and spec.name not in self.sheets:
                self.sheets[spec.name] = self._parse(spec, raw_sheets[spec.name])
        self._tick(force=True)
        for spec in SHEETS:
            self.sheets.setdefault(spec.name, Parsed(spec, frozenset(), [], {}))
        self._references()
        self._territories()
        self._plan_rules()
        self._measures()
        self._instructions()
        self._plan_rows_kept(plan)
        order = {s.name: i for i, s in enumerate(SHEETS)}
        self.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row or 0))
        return Checked(plan_code, plan, self.sheets, existing, self.problems, self.warnings, self.first_due)

    def _structure(self) -> dict[str, RawSheet]:
        raw = self.raw.sheets
        if all(sheet.is_blank for sheet in raw.values()):
            raise WorkbookRefused(
                "empty", _("%(name)s is empty: it has no rows to import.") % {"name": self.raw.label}
            )
        missing = [name for name in REQUIRED_SHEETS if name not in raw]
        if missing:
            raise WorkbookRefused(
                "missing_sheets",
                _("%(name)s lacks the required sheet(s): %(sheets)s.")
                % {"name": self.raw.label, "sheets": ", ".join(missing)},
            )
        for name in raw:
            if name not in BY_NAME and name not in REPORT_SHEETS:
                self.warn(name, None, "", "", _("This sheet is not part of the format; it is ignored."))
        return {name: sheet for name, sheet in raw.items() if name in BY_NAME}

    def _resolve_plan(self) -> tuple[str, Plan | None]:
        parsed = self.sheets.get("plan")
        rows = parsed.rows if parsed else []
        if rows:
            for extra in rows[1:]:
                self.problem(
                    "plan", extra.number, "", "", _("The plan sheet holds exactly one row, the plan itself.")
                )
            code = rows[0].values.get("code") or ""
            if self.plan_code and code and code != self.plan_code:
                self.at(
                    "plan",
                    rows[0],
                    "code",
                    _("The plan sheet describes plan %(sheet)s, but the import was asked for plan %(asked)s.")
                    % {"sheet": code, "asked": self.plan_code},
                )
            code = code or self.plan_code
            return code, Plan.objects.filter(code=code).first() if code else None
        if not self.plan_code:
            raise WorkbookRefused(
                "no_plan",
                _("The workbook has no plan sheet, so the plan it belongs to must be named (its code)."),
            )
        plan = Plan.objects.filter(code=self.plan_code).first()
        if plan is None:
            known = ", ".join(Plan.objects.order_by("code").values_list("code", flat=True)) or _("none")
            raise WorkbookRefused(
                "unknown_plan",
                _(
                    "There is no plan with code %(code)s, and the workbook has no plan sheet to create it "
                    "(known plans: %(known)s)."
                )
                % {"code": self.plan_code, "known": known},
            )
        return plan.code, plan

    # -- one sheet's cells -------------------------------------------------------------------------
    def _parse(self, spec: Sheet, raw: RawSheet) -> Parsed:
        name = spec.name
        positions: dict[str, int] = {}
        for index, column in enumerate(raw.header):
            if not column:
                continue
            if column in positions:
                self.problem(name, 1, column, column, _("This column appears twice in the header."))
            elif column not in spec.column_names:
                self.warn(name, 1, column, "", _("This column is not part of the format; it is ignored."))
            else:
                positions[column] = index
        if raw.extra_cells:
            self.warn(
                name,
                None,
                "",
                "",
                _("%(count)s row(s) have values in columns without a header; those values are ignored.")
                % {"count": raw.extra_cells},
            )
        if raw.rows or any(raw.header):
            for column in spec.required_columns:
                if column not in positions:
                    self.problem(
                        name,
                        1,
                        column,
                        "",
                        _("The required column %(column)s is missing.") % {"column": column},
                    )
        model = model_of(spec)
        readers = [
            (column.name, positions[column.name], column.required, _reader(spec, column, model))
            for column in spec.columns
            if column.name in positions
        ]
        rows: list[Row] = []
        by_key: dict = {}
        required_message = _("This cell is required.")
        for number, values in raw.rows:
            parsed: dict = {}
            shown: dict = {}
            for column, index, required, read in readers:
                value = values[index]
                shown[column] = value
                if cells.is_blank(value):
                    parsed[column] = None
                    if required:
                        self.problem(name, number, column, "", required_message)
                    continue
                try:
                    parsed[column] = read(value)
                except cells.CellError as error:
                    parsed[column] = None
                    self.problem(name, number, column, value, error.reason)
                    continue
                if required and parsed[column] in ("", ()):
                    self.problem(name, number, column, value, required_message)
            row = Row(number, parsed, shown)
            rows.append(row)
            key = row_key(spec, parsed)
            if key is not None and (not isinstance(key, tuple) or None not in key):
                first = by_key.get(key)
                if first is None:
                    by_key[key] = row
                else:
                    self._duplicate(spec, row, first)
            self.done += 1
            self._tick()
        return Parsed(spec, frozenset(positions), rows, by_key)

    def _duplicate(self, spec: Sheet, row: Row, first: Row) -> None:
        if spec.key == ("code",):
            self.at(
                spec.name,
                row,
                "code",
                _("The code %(code)s is already used on row %(row)s of this sheet; codes are unique.")
                % {"code": row.values["code"], "row": first.number},
            )
        elif spec.name == "deadline_changes":
            self.at(
                spec.name,
                row,
                "changed_on",
                _("The same deadline change is already on row %(row)s.") % {"row": first.number},
            )
        else:
            self.at(
                spec.name,
                row,
                "period_end",
                _("Indicator %(indicator)s already has a row for the period ending %(date)s (row %(row)s).")
                % {
                    "indicator": row.values["indicator"],
                    "date": row.values["period_end"],
                    "row": first.number,
                },
            )

    # -- references --------------------------------------------------------------------------------
    def _references(self) -> None:
        for spec in SHEETS:
            parsed = self.sheets[spec.name]
            for column in spec.columns:
                if column.kind not in (REF, REFS) or column.name not in parsed.present:
                    continue
                target = column.target
                target_rows = self.sheets[target].by_key
                target_db = self.existing.records[target]
                for row in parsed.rows:
                    value = row.values.get(column.name)
                    if not value:
                        continue
                    missing = [
                        c
                        for c in (value if column.kind == REFS else (value,))
                        if c not in target_rows and c not in target_db
                    ]
                    if missing:
                        self.at(spec.name, row, column.name, _unknown(target, missing))

    def _cycles(self, sheet: str) -> None:
        """A parent chain that comes back to the row itself would make a record its own ancestor."""
        parsed = self.sheets[sheet]
        if "parent" not in parsed.present:
            return
        parents = self.existing.parent_codes(sheet)
        for row in parsed.rows:
            if row.values.get("code"):
                parents[row.values["code"]] = row.values.get("parent")
        for row in parsed.rows:
            start = row.values.get("code")
            if not start or not row.values.get("parent"):
                continue
            chain, seen, current = [start], {start}, parents.get(start)
            while current and current not in seen:
                chain.append(current)
                seen.add(current)
                current = parents.get(current)
            if current == start:
                self.at(
                    sheet,
                    row,
                    "parent",
                    _("The parents go round in a circle (%(chain)s), so this row would be its own ancestor.")
                    % {"chain": " → ".join([*chain, start])},
                )

    # -- rules across columns and sheets ----------------------------------------------------------
    def effective(self, sheet: str, row: Row, column: str, attr: str | None = None):
        """The value a row will have: from the sheet when it has the column, else the database's."""
        if column in self.sheets[sheet].present:
            return row.values.get(column)
        record = self.existing.get(sheet, row_key(self.sheets[sheet].spec, row.values))
        if record is not None:
            return getattr(record, attr or column)
        return None

    def _territories(self) -> None:
        self._cycles("territories")
        parsed = self.sheets["territories"]
        for row in parsed.rows:
            values = row.values
            people, year, on = (
                values.get("population"),
                values.get("population_year"),
                values.get("population_date"),
            )
            if people is None:
                for column in ("population_year", "population_date"):
                    if values.get(column) is not None:
                        self.at(
                            "territories", row, column, _("A population date or year needs the population.")
                        )
                continue
            if year is None and on is None:
                self.at(
                    "territories",
                    row,
                    "population",
                    _("A population needs the year it was counted (population_year)."),
                )
            elif year is not None and on is not None and on.year != year:
                self.at(
                    "territories",
                    row,
                    "population_date",
                    _("The population date is in %(date_year)s, but population_year says %(year)s.")
                    % {"date_year": on.year, "year": year},
                )

    def _plan_rules(self) -> None:
        for row in self.sheets["plan"].rows[:1]:
            start, end = row.values.get("start"), row.values.get("end")
            if start and end and end < start:
                self.at(
                    "plan",
                    row,
                    "end",
                    _("The plan's end must not be before its start (%(start)s).") % {"start": start},
                )

    def _measures(self) -> None:
        self._cycles("measures")
        for row in self.sheets["measures"].rows:
            due = row.values.get("due")
            start = self.effective("measures", row, "start")
            if due and start and due < start:
                self.at(
                    "measures",
                    row,
                    "due",
                    _("The due date must not be before the start date (%(start)s).") % {"start": start},
                )

    def _plan_rows_kept(self, plan: Plan | None) -> None:
        if plan is None:
            return
        for name in ("measures", "facilities", "indicators", "events", "instructions"):
            kept = set(self.existing.records[name]) - set(self.sheets[name].by_key)
            if kept:
                self.warn(
                    name,
                    None,
                    "",
                    "",
                    _(
                        "%(count)s record(s) of plan %(plan)s are not in this sheet; an import never "
                        "deletes, so they are kept."
                    )
                    % {"count": len(kept), "plan": plan.code},
                )


def _unknown(target: str, missing: list[str]) -> str:
    where = _("the %(sheet)s sheet or the database") % {"sheet": target}
    if len(missing) == 1:
        return _("%(code)s is not in %(where)s.") % {"code": missing[0], "where": where}
    return _("%(codes)s are not in %(where)s.") % {"codes": ", ".join(missing), "where": where}


def _reader(spec: Sheet, column: Column, model: type[models.Model]) -> Callable:
    """The function that reads and checks one cell of ``column`` (not blank) or raises CellError."""
    field = model._meta.get_field(column.attr) if column.attr else None
    kind = column.kind
    low, high = column.min_value, column.max_value

    def bounded(read, describe=str):
        if low is None and high is None:
            return read

        def check(raw):
            value = read(raw)
            if low is not None and high is not None and not low <= value <= high:
                raise cells.CellError(
                    _("The value must be between %(low)s and %(high)s.")
                    % {"low": describe(low), "high": describe(high)}
                )
            if low == 0 and value < 0:
                raise cells.CellError(_("The value must not be negative."))
            return value

        return check

    if kind in (TEXT, CODE):
        base = cells.code if kind == CODE else cells.text
        max_length = getattr(field, "max_length", None)
        if not max_length:
            return base

        def text(raw):
            value = base(raw)
            if len(value) > max_length:
                raise cells.CellError(
                    _("The text is %(length)s characters long; at most %(max)s fit.")
                    % {"length": len(value), "max": max_length}
                )
            return value

        return text
    if kind == REF:
        return cells.code
    if kind == REFS:
        return cells.codes
    if kind == DATE:
        if field is None or not field.validators:
            return cells.date

        def date(raw):  # the model's own rules for the date (the plan era, core/dates.py)
            value = cells.date(raw)
            try:
                field.run_validators(value)
            except ValidationError as error:
                raise cells.CellError(" ".join(error.messages)) from None
            return value

        return date
    if kind == YEAR:
        return cells.year
    if kind == FLOAT:
        return bounded(cells.floating)
    if kind == INTEGER:

        def integer(raw):
            value = cells.integer(raw)
            if value > MAX_INTEGER:
                raise cells.CellError(_("The number is too large."))
            return value

        return bounded(integer)
    if kind == DECIMAL:
        max_digits, places = field.max_digits, field.decimal_places

        def decimal(raw):
            value = cells.decimal(raw)
            reason = cells.decimal_fits(value, max_digits, places)
            if reason:
                raise cells.CellError(reason)
            return value

        return bounded(decimal)
    if kind == CHOICE:
        allowed = [str(value) for value, _label in field.choices]

        def choice(raw):
            value = cells.text(raw).strip().lower()
            if value not in allowed:
                raise cells.CellError(
                    _("“%(value)s” is not one of the allowed values: %(allowed)s.")
                    % {"value": cells.shown(raw), "allowed": ", ".join(allowed)}
                )
            return value

        return choice
    raise ValueError(f"unknown column kind {kind!r} in {spec.name}.{column.name}")
