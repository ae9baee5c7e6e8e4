"""The plan workbook's sheets and columns: one description that the importer, the exporter and the
documentation all follow (format 1, see docs/workbook.md).

A column names the model attribute it fills (``attr``); columns marked ``addition`` are Baqylau's
optional additions to format 1, so that export -> import loses nothing. Sheets marked
``required=False`` (``facility_kinds``, ``plan``, ``deadline_changes``) are additions too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of cell.
CODE = "code"  # the row's own code: text without ';', stripped
TEXT = "text"  # free text, kept as written
REF = "ref"  # the code of a row of another sheet (or of a record in the database)
REFS = "refs"  # a ';'-separated list of such codes
DATE = "date"
DECIMAL = "decimal"
INTEGER = "integer"
FLOAT = "float"
CHOICE = "choice"
YEAR = "year"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    attr: str | None = None  # model field filled from this column (None: handled by the sheet's code)
    target: str | None = None  # REF / REFS: the sheet whose codes it names
    min_value: float | None = None
    max_value: float | None = None
    addition: bool = False  # Baqylau's addition to format 1


@dataclass(frozen=True)
class Sheet:
    name: str
    model: str  # "app_label.ModelName"
    columns: tuple[Column, ...]
    required: bool = True
    plan_scoped: bool = False  # its codes are unique within a plan (not across the database)
    key: tuple[str, ...] = ("code",)
    m2m: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _names(base: str, addition: bool = False) -> tuple[Column, ...]:
    return (
        Column(f"{base}_ru", TEXT, attr=f"{base}_ru", addition=addition),
        Column(f"{base}_kk", TEXT, attr=f"{base}_kk", addition=addition),
    )


SOURCE = Column("source", TEXT, attr="source")
SOURCE_ADDED = Column("source", TEXT, attr="source", addition=True)
ESTIMATE = Column("estimate_note", TEXT, attr="estimate_note", addition=True)
NON_NEGATIVE = {"min_value": 0}
LATITUDE = {"min_value": -90, "max_value": 90}
LONGITUDE = {"min_value": -180, "max_value": 180}

TERRITORIES = Sheet(
    "territories",
    "reference.Territory",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("name", TEXT, required=True, attr="name"),
        *_names("name"),
        Column("parent", REF, attr="parent", target="territories"),
        Column("lat", FLOAT, attr="lat", **LATITUDE),
        Column("lon", FLOAT, attr="lon", **LONGITUDE),
        Column("population", INTEGER, **NON_NEGATIVE),
        Column("population_year", YEAR),
        Column("kind", CHOICE, attr="kind", addition=True),
        Column("centre_name", TEXT, attr="centre_name", addition=True),
        SOURCE_ADDED,
        ESTIMATE,
        Column("population_date", DATE, addition=True),
        Column("population_source", TEXT, addition=True),
        Column("population_estimate_note", TEXT, addition=True),
    ),
)

AGENCIES = Sheet(
    "agencies",
    "reference.Agency",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("name", TEXT, required=True, attr="name"),
        *_names("name"),
        Column("kind", CHOICE, attr="kind"),
        SOURCE_ADDED,
        ESTIMATE,
    ),
)

SPHERES = Sheet(
    "spheres",
    "reference.Sphere",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("name", TEXT, required=True, attr="name"),
        *_names("name"),
    ),
)

FACILITY_KINDS = Sheet(
    "facility_kinds",
    "reference.FacilityKind",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("name", TEXT, required=True, attr="name"),
        *_names("name"),
    ),
    required=False,
)

PLAN = Sheet(
    "plan",
    "plans.Plan",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("title", TEXT, required=True, attr="title"),
        Column("region", REF, required=True, attr="region", target="territories"),
        Column("start", DATE, required=True, attr="start"),
        Column("end", DATE, required=True, attr="end"),
        *_names("title"),
        Column("declared_measures", INTEGER, attr="declared_measures", **NON_NEGATIVE),
        SOURCE,
        ESTIMATE,
        Column("tolerance_pp", DECIMAL, attr="tolerance_pp", **NON_NEGATIVE),
        Column("reporting_interval_days", INTEGER, attr="reporting_interval_days", **NON_NEGATIVE),
        Column("deadline_near_days", INTEGER, attr="deadline_near_days", **NON_NEGATIVE),
    ),
    required=False,
)

MEASURES = Sheet(
    "measures",
    "plans.Measure",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("title", TEXT, required=True, attr="title"),
        Column("sphere", REF, required=True, attr="sphere", target="spheres"),
        Column("lead_agency", REF, required=True, attr="lead_agency", target="agencies"),
        Column("due", DATE, required=True, attr="due"),
        *_names("title"),
        Column("territories", REFS, attr="territories", target="territories"),
        Column("co_agencies", REFS, attr="co_agencies", target="agencies"),
        Column("start", DATE, attr="start"),
        Column("completion_form", TEXT, attr="completion_form"),
        Column("budget_kzt", DECIMAL, attr="budget_planned_kzt", **NON_NEGATIVE),
        Column("parent", REF, attr="parent", target="measures"),
        Column("weight", DECIMAL, attr="weight", **NON_NEGATIVE),
        SOURCE,
        ESTIMATE,
        Column("budget_spent_kzt", DECIMAL, attr="budget_spent_kzt", addition=True, **NON_NEGATIVE),
        Column("budget_source", TEXT, attr="budget_source", addition=True),
        *_names("completion_form", addition=True),
    ),
    plan_scoped=True,
    m2m=("territories", "co_agencies"),
)

FACILITIES = Sheet(
    "facilities",
    "plans.Facility",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("name", TEXT, required=True, attr="name"),
        Column("kind", REF, required=True, attr="kind", target="facility_kinds"),
        Column("measure", REF, required=True, attr="measure", target="measures"),
        Column("territory", REF, attr="territory", target="territories"),
        Column("lat", FLOAT, attr="lat", **LATITUDE),
        Column("lon", FLOAT, attr="lon", **LONGITUDE),
        Column("capacity_unit", TEXT, attr="capacity_unit"),
        Column("capacity_baseline", DECIMAL, attr="capacity_baseline", **NON_NEGATIVE),
        Column("capacity_target", DECIMAL, attr="capacity_target", **NON_NEGATIVE),
        Column("commission_planned", DATE, attr="commission_planned"),
        Column("commission_actual", DATE, attr="commission_actual"),
        SOURCE,
        *_names("name", addition=True),
        ESTIMATE,
        *_names("capacity_unit", addition=True),
    ),
    plan_scoped=True,
)

INDICATORS = Sheet(
    "indicators",
    "indicators.Indicator",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("name", TEXT, required=True, attr="name"),
        Column("unit", TEXT, required=True, attr="unit"),
        Column("measure", REF, attr="measure", target="measures"),
        Column("direction", CHOICE, attr="direction"),
        Column("baseline", DECIMAL, attr="baseline_value"),
        Column("baseline_date", DATE, attr="baseline_date"),
        SOURCE,
        *_names("name", addition=True),
        ESTIMATE,
        *_names("unit", addition=True),
    ),
    plan_scoped=True,
)

TARGETS = Sheet(
    "targets",
    "indicators.Target",
    (
        Column("indicator", REF, required=True, attr="indicator", target="indicators"),
        Column("period_end", DATE, required=True, attr="period_end"),
        Column("value", DECIMAL, required=True, attr="value"),
        SOURCE_ADDED,
        ESTIMATE,
    ),
    plan_scoped=True,
    key=("indicator", "period_end"),
)

ACTUALS = Sheet(
    "actuals",
    "indicators.Actual",
    (
        Column("indicator", REF, required=True, attr="indicator", target="indicators"),
        Column("period_end", DATE, required=True, attr="period_end"),
        Column("value", DECIMAL, required=True, attr="value"),
        Column("reported_by", REF, attr="reported_by", target="agencies"),
        Column("reported_on", DATE, attr="reported_on"),
        Column("note", TEXT, attr="note"),
        SOURCE,
        ESTIMATE,
    ),
    plan_scoped=True,
    key=("indicator", "period_end"),
)

EVENTS = Sheet(
    "events",
    "instructions.Event",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("date", DATE, required=True, attr="date"),
        Column("title", TEXT, required=True, attr="title"),
        Column("held_by", TEXT, attr="held_by"),
        Column("place", TEXT, attr="place"),
        SOURCE,
        *_names("title", addition=True),
        Column("kind", CHOICE, attr="kind", addition=True),
        ESTIMATE,
        *_names("held_by", addition=True),
        *_names("place", addition=True),
    ),
    plan_scoped=True,
)

INSTRUCTIONS = Sheet(
    "instructions",
    "instructions.Instruction",
    (
        Column("code", CODE, required=True, attr="code"),
        Column("issued_on", DATE, required=True, attr="issued_on"),
        Column("text", TEXT, required=True, attr="text"),
        Column("executors", REFS, required=True, attr="executors", target="agencies"),
        Column("due", DATE, required=True, attr="due"),
        Column("event", REF, attr="event", target="events"),
        Column("issued_by", TEXT, attr="issued_by"),
        Column("term_days", INTEGER, attr="term_days", **NON_NEGATIVE),
        Column("measures", REFS, attr="measures", target="measures"),
        Column("status", CHOICE, attr="status"),
        SOURCE,
        *_names("text", addition=True),
        Column("closed_on", DATE, attr="closed_on", addition=True),
        ESTIMATE,
        # Instruction control (docs/workbook.md): empty responsible = the first executor named.
        Column("responsible", REF, attr="responsible", target="agencies", addition=True),
        Column("responsible_official", TEXT, attr="responsible_official", addition=True),
        Column("controller", TEXT, addition=True),  # a username; empty: the project office
        Column("parent", REF, attr="parent", target="instructions", addition=True),
        Column("original_due", DATE, attr="original_due", addition=True),
        Column("report_every", CHOICE, attr="report_every", addition=True),
    ),
    plan_scoped=True,
    m2m=("executors", "measures"),
)

DEADLINE_CHANGES = Sheet(
    "deadline_changes",
    "instructions.DeadlineChange",
    (
        Column("instruction", REF, required=True, attr="instruction", target="instructions"),
        Column("changed_on", DATE, required=True, attr="changed_on"),
        Column("old_due", DATE, required=True, attr="old_due"),
        Column("new_due", DATE, required=True, attr="new_due"),
        Column("reason", TEXT, required=True, attr="reason"),
        Column("decided_by", TEXT, attr="decided_by"),
    ),
    required=False,
    plan_scoped=True,
    key=("instruction", "changed_on", "old_due", "new_due"),
)

# In the order they are checked, written and exported: every sheet comes after those it refers to.
SHEETS: tuple[Sheet, ...] = (
    TERRITORIES,
    AGENCIES,
    SPHERES,
    FACILITY_KINDS,
    PLAN,
    MEASURES,
    FACILITIES,
    INDICATORS,
    TARGETS,
    ACTUALS,
    EVENTS,
    INSTRUCTIONS,
    DEADLINE_CHANGES,
)
BY_NAME = {s.name: s for s in SHEETS}
# Sheets the export adds for people to read (figures computed on the day of the export); an import skips
# them without a warning, since they hold nothing to import.
REPORT_SHEETS = ("discipline",)
DISCIPLINE_COLUMNS = (
    "key", "label", "issued", "due", "on_time", "after_extension", "late", "overdue", "open",
    "avg_delay_days", "worst_delay_days", "extensions", "extensions_per_instruction", "coefficient",
)  # fmt: skip
REQUIRED_SHEETS = tuple(s.name for s in SHEETS if s.required)
LIST_SEPARATOR = ";"
