"""Loads the Mangystau demo plan. Idempotent: a second run finds nothing to change and writes nothing.

Rows are matched by code and only saved when a value differs, so the audit history records real
changes only. Each row is validated (``full_clean``) before it is saved, so a bad fact fails loudly
with the field that is wrong instead of slipping into the database.
"""

from django.db import transaction

from baqylau.assessment import store
from baqylau.core.upsert import LoadResult, upsert
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.facility_kinds import DEFAULT_KINDS
from baqylau.reference.models import Agency, FacilityKind, Population, Sphere, Territory
from baqylau.reports.models import Report

from . import mangystau as data
from .water import load_water


def _texts(row: dict, base: str, optional: bool = False) -> dict:
    text = row.get(base, "") if optional else row[base]
    return {base: text, f"{base}_ru": row.get(f"{base}_ru", ""), f"{base}_kk": row.get(f"{base}_kk", "")}


def _sourced(row: dict) -> dict:
    return {"source": row.get("source", ""), "estimate_note": row.get("estimate_note", "")}


@transaction.atomic
def load_mangystau() -> LoadResult:
    with store.batch():  # every change judged once, at the end
        return _load()


def _load() -> LoadResult:
    result = LoadResult()
    territories = _load_reference(result)
    agencies = {a.code: a for a in Agency.objects.all()}
    spheres = {s.code: s for s in Sphere.objects.all()}

    plan_row = data.PLAN
    plan = upsert(
        result,
        Plan,
        {"code": plan_row["code"]},
        {
            **_texts(plan_row, "title"),
            "region": territories[plan_row["region"]],
            "start": plan_row["start"],
            "end": plan_row["end"],
            "declared_measures": plan_row["declared_measures"],
            "source": plan_row["source"],
        },
    )

    measures: dict[str, Measure] = {}
    for row in data.MEASURES:  # parents come before their children in the data
        measures[row["code"]] = upsert(
            result,
            Measure,
            {"plan": plan, "code": row["code"]},
            {
                **_texts(row, "title"),
                **_sourced(row),
                "parent": measures[row["parent"]] if row.get("parent") else None,
                "sphere": spheres[row["sphere"]],
                "lead_agency": agencies[row["lead"]],
                "start": row.get("start"),
                "due": row["due"],
                **_texts(row, "completion_form", optional=True),
                "budget_planned_kzt": row.get("budget_planned_kzt"),
                "budget_source": row.get("budget_source", ""),
            },
            m2m={
                "territories": [territories[c] for c in row["territories"]],
                "co_agencies": [agencies[c] for c in row["co"]],
            },
        )

    kinds = {k.code: k for k in FacilityKind.objects.all()}
    for row in data.FACILITIES:
        upsert(
            result,
            Facility,
            {"plan": plan, "code": row["code"]},
            {
                **_texts(row, "name"),
                **_sourced(row),
                "kind": kinds[row["kind"]],
                "measure": measures[row["measure"]],
                "territory": territories[row["territory"]] if row.get("territory") else None,
                "lat": row.get("lat"),
                "lon": row.get("lon"),
                **_texts(row, "capacity_unit", optional=True),
                "capacity_baseline": row.get("capacity_baseline"),
                "capacity_target": row.get("capacity_target"),
                "commission_planned": row.get("commission_planned"),
                "commission_actual": row.get("commission_actual"),
            },
        )

    indicators: dict[str, Indicator] = {}
    for row in data.INDICATORS:
        indicator = indicators[row["code"]] = upsert(
            result,
            Indicator,
            {"plan": plan, "code": row["code"]},
            {
                **_texts(row, "name"),
                **_sourced(row),
                **_texts(row, "unit"),
                "direction": row["direction"],
                "measure": measures[row["measure"]] if row.get("measure") else None,
                "baseline_value": row.get("baseline_value"),
                "baseline_date": row.get("baseline_date"),
            },
        )
        for period_end, value, source, note in row["targets"]:
            upsert(
                result,
                Target,
                {"indicator": indicator, "period_end": period_end},
                {"value": value, "source": source, "estimate_note": note},
            )
        for period_end, value, agency, source, note in row["actuals"]:
            upsert(
                result,
                Actual,
                {"indicator": indicator, "period_end": period_end},
                {
                    "value": value,
                    "reported_by": agencies[agency],
                    "reported_on": period_end,
                    "source": source,
                    "estimate_note": note,
                },
            )

    # Outcomes last: an indicator outcome names an indicator, and indicators name their measures.
    for row in data.MEASURES:
        if row.get("outcome_kind"):
            upsert(
                result,
                Measure,
                {"plan": plan, "code": row["code"]},
                {
                    "outcome_kind": row["outcome_kind"],
                    "outcome_indicator": indicators.get(row.get("outcome_indicator")),
                },
            )

    events = {}
    for row in data.EVENTS:
        events[row["code"]] = upsert(
            result,
            Event,
            {"plan": plan, "code": row["code"]},
            {
                **_texts(row, "title"),
                **_sourced(row),
                "kind": row["kind"],
                "date": row["date"],
                **_texts(row, "held_by"),
                **_texts(row, "place"),
            },
        )

    instructions: dict[str, Instruction] = {}
    for row in data.INSTRUCTIONS:  # parents come before the sub-instructions delegated from them
        instructions[row["code"]] = upsert(
            result,
            Instruction,
            {"plan": plan, "code": row["code"]},
            {
                **_texts(row, "text"),
                **_sourced(row),
                "event": events[row["event"]],
                "parent": instructions[row["parent"]] if row.get("parent") else None,
                "issued_on": row["issued_on"],
                "issued_by": row["issued_by"],
                "term_days": row.get("term_days"),
                "original_due": row.get("original_due", row["due"]),
                "due": row["due"],
                # The seed names the responsible executor first.
                "responsible": agencies[row["executors"][0]],
                "responsible_official": row.get("responsible_official", ""),
            },
            m2m={
                "executors": [agencies[c] for c in row["executors"]],
                "measures": [measures[c] for c in row["measures"]],
            },
        )

    for code, changed_on, old_due, new_due, reason, decided_by in data.DEADLINE_CHANGES:
        upsert(
            result,
            DeadlineChange,
            {
                "instruction": instructions[code],
                "changed_on": changed_on,
                "old_due": old_due,
                "new_due": new_due,
            },
            {"reason": reason, "decided_by": decided_by},
        )

    for code, agency, period_end, progress, narrative, source, note in data.REPORTS:
        upsert(
            result,
            Report,
            {"measure": measures[code], "period_end": period_end},
            {
                "agency": agencies[agency],
                "narrative": narrative,
                "progress": progress,
                "state": Report.State.ACCEPTED,
                "submitted_on": period_end,
                "reviewed_on": period_end,
                "source": source,
                "estimate_note": note,
            },
        )
    load_water(result, plan)
    return result


def _load_reference(result: LoadResult) -> dict[str, Territory]:
    territories: dict[str, Territory] = {}
    for row in data.TERRITORIES:  # the region comes first, so parents resolve
        territories[row["code"]] = upsert(
            result,
            Territory,
            {"code": row["code"]},
            {
                **_texts(row, "name"),
                **_sourced(row),
                "kind": row["kind"],
                "parent": territories[row["parent"]] if row["parent"] else None,
                "centre_name": row["centre_name"],
                "lat": row["lat"],
                "lon": row["lon"],
            },
        )
    for code, on, people, source, note in data.POPULATIONS:
        upsert(
            result,
            Population,
            {"territory": territories[code], "on": on},
            {"people": people, "source": source, "estimate_note": note},
        )
    for code, name, name_ru, name_kk in data.SPHERES:
        upsert(result, Sphere, {"code": code}, {"name": name, "name_ru": name_ru, "name_kk": name_kk})
    for code, name, name_ru, name_kk in DEFAULT_KINDS:  # a flushed database has lost the migration's rows
        upsert(result, FacilityKind, {"code": code}, {"name": name, "name_ru": name_ru, "name_kk": name_kk})
    for row in data.AGENCIES:
        upsert(
            result,
            Agency,
            {"code": row["code"]},
            {**_texts(row, "name"), **_sourced(row), "kind": row["kind"]},
        )
    return territories
