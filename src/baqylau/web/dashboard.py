"""The dashboard's content, assembled from the judgement store and the water model (no rules here).

Everything goes through the user's scope (``accounts.rules.visible_*``): an agency sees its own
measures and instructions in the counts, lists, charts and map, exactly as in the registers.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from baqylau.accounts.rules import sees_every_item, visible_instructions, visible_measures
from baqylau.assessment.judgements import explanation
from baqylau.assessment.models import MeasureVerdict
from baqylau.assessment.reading import PlanReader
from baqylau.assessment.water import plan_water
from baqylau.instructions.models import Instruction
from baqylau.judging import GroupSummary, GroupTotals
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Sphere, Territory
from baqylau.waterbalance.inputs import MissingInputs

MEASURE_STATUSES = ("done", "on_track", "at_risk", "late", "not_started")
CONFIDENCES = ("green", "amber_green", "amber", "amber_red", "red")
ATTENTION_ROWS = 10  # the worst items; the register lists them all
MAP_POINTS = 400  # beyond this many facilities the map shows one point per territory


@dataclass
class Dashboard:
    plan: Plan
    as_of: dt.date
    recorded: int  # measures of the plan in the user's scope
    summary: GroupSummary
    confidence_counts: dict[str, int]
    attention: list[dict]  # late and at-risk measures, worst first (the first ATTENTION_ROWS)
    attention_total: int
    instructions_due: list[dict]  # overdue and near-deadline instructions
    instructions_due_total: int
    charts: dict = field(default_factory=dict)  # data for the page's charts and map (json_script)


def _progress_chart(reader: PlanReader, by: str, model, scope) -> dict:
    groups = reader.rollup(by, scope)
    names = {o.code: o.label for o in model.objects.filter(code__in=groups)}
    return {
        "labels": [names.get(k, k) for k in groups],
        "progress": [None if s.progress is None else round(s.progress, 1) for s in groups.values()],
        "counts": {status: [s.counts.get(status, 0) for s in groups.values()] for status in MEASURE_STATUSES},
        "unknown": [s.unknown for s in groups.values()],
    }


def _water_chart(reader: PlanReader) -> dict | None:
    plan, as_of = reader.plan, reader.as_of
    try:
        start, end = dt.date(as_of.year - 3, 1, 1), dt.date(as_of.year + 1, 12, 31)
        comparison = plan_water(plan, as_of, start, end, reader=reader)
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


def _map(reader: PlanReader, measures) -> dict:
    """Facilities coloured by their measure's status; past MAP_POINTS, one point per territory with
    the count of each status (a page must not carry every point of a national plan)."""
    plan = reader.plan
    facilities = Facility.objects.filter(plan=plan, measure__in=measures.order_by().values("pk"))
    region = plan.region
    base = {
        "centre": [region.lat or 43.65, region.lon or 51.15],
        "tiles": settings.MAP_TILE_ORIGIN + "/{z}/{x}/{y}.png",  # the same origin the CSP allows
    }
    if facilities.count() > MAP_POINTS:
        return {**base, "facilities": [], "territories": _territory_points(reader, facilities)}
    rows = list(
        facilities.values_list(
            "code",
            "name",
            "name_ru",
            "name_kk",
            "lat",
            "lon",
            "territory__lat",
            "territory__lon",
            "measure_id",
            "measure__code",
        )
    )
    verdicts = reader.measures_by_id({row[8] for row in rows})
    points = []
    for code, name, name_ru, name_kk, lat, lon, t_lat, t_lon, measure_id, measure_code in rows:
        lat, lon = (lat, lon) if lat is not None and lon is not None else (t_lat, t_lon)
        if lat is None or lon is None:
            continue
        verdict = verdicts.get(measure_id)
        facility = Facility(name=name, name_ru=name_ru, name_kk=name_kk)
        points.append(
            {
                "code": code,
                "name": facility.label,
                "lat": lat,
                "lon": lon,
                "measure": measure_code,
                "status": verdict.status.value if verdict else "unknown",
                "url": reverse("web:measure", args=[plan.code, measure_code]),
            }
        )
    return {**base, "facilities": points}


def _territory_points(reader: PlanReader, facilities) -> list[dict]:
    counts: dict[int, dict[str, int]] = {}
    if reader.stored:
        rows = facilities.values_list("territory_id", "measure__verdict__status")
    else:
        judged = reader.computed.measure_by_id()
        rows = [
            (t, judged[m].status.value if m in judged else "unknown")
            for t, m in facilities.values_list("territory_id", "measure_id")
        ]
    for territory_id, status in rows:
        if territory_id is not None:
            by_status = counts.setdefault(territory_id, {})
            by_status[status or "unknown"] = by_status.get(status or "unknown", 0) + 1
    points = []
    for territory in Territory.objects.filter(pk__in=counts, lat__isnull=False, lon__isnull=False):
        by_status = counts[territory.pk]
        points.append(
            {
                "code": territory.code,
                "name": territory.label,
                "lat": territory.lat,
                "lon": territory.lon,
                "counts": by_status,
                "total": sum(by_status.values()),
            }
        )
    return points


def _confidence_counts(reader: PlanReader, scope) -> dict[str, int]:
    totals = reader.totals("measure", "plan", scope).get(reader.plan.code) or GroupTotals()
    return {c: totals.confidence_counts.get(c, 0) for c in CONFIDENCES}


def build_dashboard(plan: Plan, as_of: dt.date, user) -> Dashboard:
    reader = PlanReader(plan, as_of)
    measures = visible_measures(user, Measure.objects.filter(plan=plan))
    instructions = visible_instructions(user, Instruction.objects.filter(plan=plan))
    # Whole-plan readers get the stored roll-ups; a scoped reader's are computed over its own items.
    scope = None if sees_every_item(user) else measures
    attention, attention_total = reader.attention(
        measures.select_related("sphere", "lead_agency"), ATTENTION_ROWS
    )
    due, due_total = reader.instructions_due(instructions, ATTENTION_ROWS)
    for row in attention + due:
        row["explanation"] = explanation(row["judgement"])
    if scope is None and reader.stored:
        recorded = MeasureVerdict.objects.filter(plan=plan).count()
    else:
        recorded = measures.count()
    return Dashboard(
        plan=plan,
        as_of=as_of,
        recorded=recorded,
        summary=reader.summary(scope),
        confidence_counts=_confidence_counts(reader, scope),
        attention=attention,
        attention_total=attention_total,
        instructions_due=due,
        instructions_due_total=due_total,
        charts={
            "by_sphere": _progress_chart(reader, "sphere", Sphere, scope),
            "by_territory": _progress_chart(reader, "territory", Territory, scope),
            "water": _water_chart(reader),
            "map": _map(reader, measures),
        },
    )
