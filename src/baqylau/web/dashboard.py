"""The dashboard's content, assembled from the assessment and the water model (no rules here)."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from baqylau.assessment.judgements import (
    PlanJudgement,
    explanation,
    judge_plan,
    measure_rollup,
    plan_summary,
)
from baqylau.judging import GroupSummary
from baqylau.plans.models import Facility, Plan
from baqylau.reference.models import Sphere, Territory
from baqylau.waterbalance.inputs import MissingInputs
from baqylau.waterbalance.services import region_balance

MEASURE_STATUSES = ("done", "on_track", "at_risk", "late", "not_started")
CONFIDENCES = ("green", "amber_green", "amber", "amber_red", "red")


@dataclass
class Dashboard:
    plan: Plan
    as_of: dt.date
    judged: PlanJudgement
    summary: GroupSummary
    confidence_counts: dict[str, int]
    attention: list[dict]  # late and at-risk measures, worst first
    instructions_due: list[dict]  # overdue and near-deadline instructions
    charts: dict = field(default_factory=dict)  # data for the page's charts and map (json_script)


def _attention(judged: PlanJudgement) -> list[dict]:
    order = {"late": 0, "at_risk": 1}
    rows = [
        {"measure": judged.measure_objects[code], "judgement": j, "explanation": explanation(j)}
        for code, j in judged.measures.items()
        if j.status.value in order
    ]
    return sorted(rows, key=lambda r: (order[r["judgement"].status.value], r["judgement"].due))


def _instructions_due(judged: PlanJudgement) -> list[dict]:
    rows = [
        {"instruction": judged.instruction_objects[code], "judgement": j, "explanation": explanation(j)}
        for code, j in judged.instructions.items()
        if j.status.value in ("overdue", "at_risk")
    ]
    return sorted(rows, key=lambda r: r["judgement"].days_to_due)


def _progress_chart(judged: PlanJudgement, by: str, model) -> dict:
    groups = measure_rollup(judged, by)
    names = {o.code: o.label for o in model.objects.filter(code__in=groups)}
    return {
        "labels": [names.get(k, k) for k in groups],
        "progress": [None if s.progress is None else round(s.progress, 1) for s in groups.values()],
        "counts": {status: [s.counts.get(status, 0) for s in groups.values()] for status in MEASURE_STATUSES},
        "unknown": [s.unknown for s in groups.values()],
    }


def _water_chart(plan: Plan, as_of: dt.date) -> dict | None:
    try:
        comparison = region_balance(
            plan.region, dt.date(as_of.year - 3, 1, 1), dt.date(as_of.year + 1, 12, 31)
        )
    except MissingInputs:
        return None
    balance = comparison.base
    return {
        "months": [str(m) for m in balance.months],
        "demand": [round(v) for v in balance.total("demand")],
        "supply": [round(v) for v in balance.total("delivered")],
        "deficit": [round(v) for v in balance.total("deficit")],
        "as_of": as_of.strftime("%Y-%m"),
    }


def _map(judged: PlanJudgement) -> dict:
    facilities = Facility.objects.filter(plan=judged.plan).select_related("measure", "territory")
    points = []
    for f in facilities:
        lat = f.lat if f.lat is not None else (f.territory.lat if f.territory else None)
        lon = f.lon if f.lon is not None else (f.territory.lon if f.territory else None)
        if lat is None or lon is None:
            continue
        verdict = judged.measures.get(f.measure.code)
        points.append(
            {
                "code": f.code,
                "name": f.label,
                "lat": lat,
                "lon": lon,
                "measure": f.measure.code,
                "status": verdict.status.value if verdict else "unknown",
                "url": f"/measures/{judged.plan.code}/{f.measure.code}/",
            }
        )
    region = judged.plan.region
    return {
        "centre": [region.lat or 43.65, region.lon or 51.15],
        "facilities": points,
        "tiles": settings.MAP_TILE_ORIGIN + "/{z}/{x}/{y}.png",  # the same origin the CSP allows
    }


def build_dashboard(plan: Plan, as_of: dt.date) -> Dashboard:
    judged = judge_plan(plan, as_of)
    summary = plan_summary(judged)
    confidence = {c: 0 for c in CONFIDENCES}
    for j in judged.leaves():
        confidence[j.confidence.value] += 1
    return Dashboard(
        plan=plan,
        as_of=as_of,
        judged=judged,
        summary=summary,
        confidence_counts=confidence,
        attention=_attention(judged),
        instructions_due=_instructions_due(judged),
        charts={
            "by_sphere": _progress_chart(judged, "sphere", Sphere),
            "by_territory": _progress_chart(judged, "territory", Territory),
            "water": _water_chart(plan, as_of),
            "map": _map(judged),
        },
    )
