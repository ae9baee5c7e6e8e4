"""Measures as plain records: what a user needs to see of each, for the command line and exports."""

from baqylau.core.translation import translated

from .models import Measure
from .selectors import measures_for_listing


def facility_record(facility) -> dict:
    return {
        "code": facility.code,
        "name": facility.label,
        "kind": facility.kind_id,
        "capacity_unit": facility.capacity_unit,
        "capacity_baseline": facility.capacity_baseline,
        "capacity_target": facility.capacity_target,
        "commission_planned": facility.commission_planned,
        "commission_actual": facility.commission_actual,
        "source": facility.source,
        "estimate_note": facility.estimate_note,
    }


def capacity_text(facility) -> str:
    """'KOS-2: 30000 → 70000 m³/day', or the target alone when there is no baseline."""

    def num(value):
        return f"{value.normalize():f}" if value is not None else "?"

    if facility.capacity_target is None:
        return facility.code
    before = f"{num(facility.capacity_baseline)} → " if facility.capacity_baseline else ""
    unit = translated(facility, "capacity_unit")
    return f"{facility.code}: {before}{num(facility.capacity_target)} {unit}".rstrip()


def measure_record(measure: Measure) -> dict:
    return {
        "plan": measure.plan.code,
        "code": measure.code,
        "title": measure.label,
        "parent": measure.parent.code if measure.parent else None,
        "sphere": measure.sphere.code,
        "sphere_name": measure.sphere.label,
        "territories": [t.code for t in measure.territories.all()],
        "lead_agency": measure.lead_agency.code,
        "lead_agency_name": measure.lead_agency.label,
        "co_agencies": [a.code for a in measure.co_agencies.all()],
        "start": measure.start,
        "due": measure.due,
        "weight": measure.weight,
        "budget_planned_kzt": measure.budget_planned_kzt,
        "facilities": [facility_record(f) for f in measure.facilities.all()],
        "capacities": [capacity_text(f) for f in measure.facilities.all()],
        "source": measure.source,
        "estimate_note": measure.estimate_note,
    }


def measure_records(plan_code: str | None = None) -> list[dict]:
    return [measure_record(m) for m in measures_for_listing(plan_code)]
