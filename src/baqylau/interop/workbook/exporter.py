"""Exporting a plan as a workbook (format 1 with Baqylau's additions), so export -> import round-trips.

Reference rows travel as far as the plan uses them: the territories of the plan's region (with
their parents) and any other territory it names, the agencies and spheres its rows name. Dates are
real dates in XLSX and ISO text in CSV; text is written exactly as stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from django.db.models import Q

from baqylau.core import spreadsheet
from baqylau.core.spreadsheet import decimal_text
from baqylau.core.xlsx import write_xlsx
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, FacilityKind, Population, Sphere, Territory

from .spec import BY_NAME, DISCIPLINE_COLUMNS, LIST_SEPARATOR, REF, SHEETS

# The plan first, for people; then every sheet after the sheets it refers to.
EXPORT_ORDER = ("plan", *(s.name for s in SHEETS if s.name != "plan"))
XLSX_MAX_ROWS = 1_048_576  # rows an Excel sheet holds, the header included


class TooLargeForXlsx(ValueError):
    """A sheet has more rows than an Excel sheet holds: the plan must go out as CSV files instead."""

    def __init__(self, sheet: str, rows: int):
        self.sheet, self.rows = sheet, rows
        super().__init__(
            f"the {sheet} sheet has {rows:,} rows and an Excel sheet holds {XLSX_MAX_ROWS - 1:,} "
            "below its header: export to a .zip or a folder of CSV files instead"
        )


def export_workbook(plan: Plan, path) -> dict[str, int]:
    """Write ``plan`` to ``path``: an .xlsx file, a .zip of CSV files, or else a folder of CSV files.

    Returns the number of rows written per sheet.
    """
    return write_tables(plan_tables(plan), path)


def write_tables(tables: dict[str, tuple[list[str], list[list]]], path) -> dict[str, int]:
    """Write ``plan_tables`` to ``path`` as ``export_workbook`` does: a caller that may fall back from
    XLSX to CSV files reads the plan once and writes it twice at most."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and not path.is_dir():
        for name, (_header, rows) in tables.items():
            if len(rows) >= XLSX_MAX_ROWS:  # refused before a byte is written: never a truncated file
                raise TooLargeForXlsx(name, len(rows))
        write_xlsx(tables, path)
    elif suffix == ".zip" and not path.is_dir():
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, (header, rows) in tables.items():
                archive.writestr(f"{name}.csv", csv_bytes(header, rows))
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, (header, rows) in tables.items():
            (path / f"{name}.csv").write_bytes(csv_bytes(header, rows))
    return {name: len(rows) for name, (_header, rows) in tables.items()}


def plan_tables(plan: Plan) -> dict[str, tuple[list[str], list[list]]]:
    """Every sheet of the plan's workbook: its header and its rows of Python values (None = empty)."""
    collected = _collect(plan)
    tables = {}
    for name in EXPORT_ORDER:
        header = list(BY_NAME[name].column_names)
        if name in ROW_SHEETS:  # read as rows in the sheet's column order already
            tables[name] = (header, collected[name])
        else:
            tables[name] = (header, [[record.get(column) for column in header] for record in collected[name]])
    tables["discipline"] = _discipline(plan)
    return tables


def _discipline(plan: Plan) -> tuple[list[str], list[list]]:
    """Execution discipline by responsible agency, against the original deadlines, as of today."""
    from baqylau.instructions.discipline import by_agency

    table = by_agency(plan)
    header = list(DISCIPLINE_COLUMNS)
    records = [r.record() for r in [*table.rows, table.total]]
    return header, [[record[column] for column in header] for record in records]


def _codes(ids, codes: dict[int, str]) -> str:
    return LIST_SEPARATOR.join(sorted(codes[i] for i in ids))


def _sourced(obj) -> dict:
    return {"source": obj.source, "estimate_note": obj.estimate_note}


def _texts(obj, base: str) -> dict:
    return {
        base: getattr(obj, base),
        f"{base}_ru": getattr(obj, f"{base}_ru"),
        f"{base}_kk": getattr(obj, f"{base}_kk"),
    }


# The sheets with a row per indicator, or per indicator and period: read straight as rows in the sheet's
# column order, a reference by its code through a join, never a model object per row (a plan has tens of
# thousands of targets and actuals).
ROW_SHEETS = ("indicators", "targets", "actuals")


def _rows(queryset, sheet: str) -> list[tuple]:
    fields = (f"{c.attr}__code" if c.kind == REF else c.attr for c in BY_NAME[sheet].columns)
    return list(queryset.values_list(*fields))


def _by_period(rows: list[tuple], sheet: str) -> list[tuple]:
    """``rows`` sorted by indicator and period end (by code as Python compares text, on every database)."""
    header = BY_NAME[sheet].column_names
    rows.sort(key=itemgetter(header.index("indicator"), header.index("period_end")))
    return rows


def _m2m(model, attr: str, owners) -> dict[int, list[int]]:
    field = model._meta.get_field(attr)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    result: dict[int, list[int]] = {}
    for owner, member in through.objects.filter(**{f"{source}__in": owners}).values_list(
        f"{source}_id", f"{target}_id"
    ):
        result.setdefault(owner, []).append(member)
    return result


def _collect(plan: Plan) -> dict[str, list]:
    """Each sheet's records (dicts by column) or, for ``ROW_SHEETS``, its rows."""
    measures = list(Measure.objects.filter(plan=plan).order_by("code"))
    measure_code = {m.pk: m.code for m in measures}
    plan_measures = Measure.objects.filter(plan=plan)
    territories_of = _m2m(Measure, "territories", plan_measures)
    co_agencies_of = _m2m(Measure, "co_agencies", plan_measures)
    facilities = list(Facility.objects.filter(plan=plan).order_by("code"))
    indicators = _rows(Indicator.objects.filter(plan=plan).order_by("code"), "indicators")
    targets = _by_period(_rows(Target.objects.filter(indicator__plan=plan), "targets"), "targets")
    actuals = _by_period(_rows(Actual.objects.filter(indicator__plan=plan), "actuals"), "actuals")
    events = list(Event.objects.filter(plan=plan).order_by("code"))
    event_code = {e.pk: e.code for e in events}
    instructions = list(Instruction.objects.filter(plan=plan).select_related("controller").order_by("code"))
    instruction_code = {i.pk: i.code for i in instructions}
    plan_instructions = Instruction.objects.filter(plan=plan)
    executors_of = _m2m(Instruction, "executors", plan_instructions)
    measures_of = _m2m(Instruction, "measures", plan_instructions)
    changes = list(DeadlineChange.objects.filter(instruction__plan=plan).order_by("changed_on", "pk"))

    # Reference data, as far as the plan uses it.
    all_territories = {t.pk: t for t in Territory.objects.all()}
    children: dict[int, list[int]] = {}
    for territory in all_territories.values():
        children.setdefault(territory.parent_id, []).append(territory.pk)
    territory_ids, todo = set(), [plan.region_id]
    while todo:  # the region and everything inside it
        current = todo.pop()
        if current not in territory_ids:
            territory_ids.add(current)
            todo.extend(children.get(current, ()))
    territory_ids.update(i for ids in territories_of.values() for i in ids)
    territory_ids.update(f.territory_id for f in facilities if f.territory_id)
    for territory_id in list(territory_ids):  # and the parents of all of them
        parent = all_territories[territory_id].parent_id
        while parent and parent not in territory_ids:
            territory_ids.add(parent)
            parent = all_territories[parent].parent_id
    territory_code = {pk: t.code for pk, t in all_territories.items()}
    agency_ids = {m.lead_agency_id for m in measures}
    agency_ids.update(i for ids in co_agencies_of.values() for i in ids)
    agency_ids.update(i for ids in executors_of.values() for i in ids)
    reported_by = BY_NAME["actuals"].column_names.index("reported_by")
    reporters = {row[reported_by] for row in actuals} - {None}  # the actuals name them by code
    agencies = list(Agency.objects.filter(Q(pk__in=agency_ids) | Q(code__in=reporters)).order_by("code"))
    agency_code = {a.pk: a.code for a in agencies}
    spheres = list(Sphere.objects.filter(pk__in={m.sphere_id for m in measures}).order_by("code"))
    kinds = list(FacilityKind.objects.filter(code__in={f.kind_id for f in facilities}).order_by("code"))
    sphere_code = {s.pk: s.code for s in spheres}
    latest_population: dict[int, Population] = {}
    for population in Population.objects.filter(territory_id__in=territory_ids).order_by("on"):
        latest_population[population.territory_id] = population

    out: dict[str, list[dict]] = {}
    out["plan"] = [
        {
            "code": plan.code,
            **_texts(plan, "title"),
            "region": territory_code[plan.region_id],
            "start": plan.start,
            "end": plan.end,
            "declared_measures": plan.declared_measures,
            **_sourced(plan),
            "tolerance_pp": plan.tolerance_pp,
            "reporting_interval_days": plan.reporting_interval_days,
            "deadline_near_days": plan.deadline_near_days,
        }
    ]
    out["territories"] = []
    for territory in sorted((all_territories[i] for i in territory_ids), key=lambda t: t.code):
        row = {
            "code": territory.code,
            **_texts(territory, "name"),
            "parent": territory_code.get(territory.parent_id),
            "lat": territory.lat,
            "lon": territory.lon,
            "kind": territory.kind,
            "centre_name": territory.centre_name,
            **_sourced(territory),
        }
        population = latest_population.get(territory.pk)
        if population is not None:
            row.update(
                population=population.people,
                population_year=population.on.year,
                population_date=population.on,
                population_source=population.source,
                population_estimate_note=population.estimate_note,
            )
        out["territories"].append(row)
    out["agencies"] = [{"code": a.code, **_texts(a, "name"), "kind": a.kind, **_sourced(a)} for a in agencies]
    out["spheres"] = [{"code": s.code, **_texts(s, "name")} for s in spheres]
    out["facility_kinds"] = [{"code": k.code, **_texts(k, "name")} for k in kinds]
    out["measures"] = [
        {
            "code": m.code,
            **_texts(m, "title"),
            "sphere": sphere_code[m.sphere_id],
            "lead_agency": agency_code[m.lead_agency_id],
            "due": m.due,
            "territories": _codes(territories_of.get(m.pk, ()), territory_code),
            "co_agencies": _codes(co_agencies_of.get(m.pk, ()), agency_code),
            "start": m.start,
            "budget_kzt": m.budget_planned_kzt,
            "parent": measure_code.get(m.parent_id),
            "weight": m.weight,
            **_sourced(m),
            "budget_spent_kzt": m.budget_spent_kzt,
            "budget_source": m.budget_source,
            **_texts(m, "completion_form"),
        }
        for m in measures
    ]
    out["facilities"] = [
        {
            "code": f.code,
            **_texts(f, "name"),
            "kind": f.kind_id,
            "measure": measure_code[f.measure_id],
            "territory": territory_code.get(f.territory_id),
            "lat": f.lat,
            "lon": f.lon,
            **_texts(f, "capacity_unit"),
            "capacity_baseline": f.capacity_baseline,
            "capacity_target": f.capacity_target,
            "commission_planned": f.commission_planned,
            "commission_actual": f.commission_actual,
            **_sourced(f),
        }
        for f in facilities
    ]
    out["indicators"], out["targets"], out["actuals"] = indicators, targets, actuals
    out["events"] = [
        {
            "code": e.code,
            "date": e.date,
            **_texts(e, "title"),
            **_texts(e, "held_by"),
            **_texts(e, "place"),
            "kind": e.kind,
            **_sourced(e),
        }
        for e in events
    ]
    out["instructions"] = [
        {
            "code": i.code,
            "issued_on": i.issued_on,
            **_texts(i, "text"),
            "executors": _codes(executors_of.get(i.pk, ()), agency_code),
            "due": i.due,
            "event": event_code.get(i.event_id),
            "issued_by": i.issued_by,
            "term_days": i.term_days,
            "measures": _codes(measures_of.get(i.pk, ()), measure_code),
            "status": i.status,
            "closed_on": i.closed_on,
            **_sourced(i),
            "responsible": agency_code.get(i.responsible_id),
            "responsible_official": i.responsible_official,
            "controller": i.controller.username if i.controller else None,
            "parent": instruction_code.get(i.parent_id),
            "original_due": i.original_due,
            "report_every": i.report_every,
        }
        for i in instructions
    ]
    out["deadline_changes"] = sorted(
        (
            {
                "instruction": instruction_code[c.instruction_id],
                "changed_on": c.changed_on,
                "old_due": c.old_due,
                "new_due": c.new_due,
                "reason": c.reason,
                "decided_by": c.decided_by,
            }
            for c in changes
        ),
        key=lambda r: r["instruction"],  # stable: each instruction's changes stay in date order
    )
    return out


# -- cell values -------------------------------------------------------------------------------------
def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, float):
        return decimal_text(Decimal(repr(value)))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return spreadsheet.csv_text(value)  # never a formula; the import takes the mark off again
    return str(value)


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Cyrillic and Kazakh right), comma-separated."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
