"""The dashboard's content, assembled from the judgement store and the water model (no rules here).

Everything goes through the user's scope (``accounts.rules.visible_*``): an agency sees its own
measures and instructions in the counts, lists, charts and map, exactly as in the registers.
"""

import datetime as dt
from dataclasses import dataclass, field

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
from baqylau.web.facility_map import facility_map

MEASURE_STATUSES = ("done", "on_track", "at_risk", "late", "not_started")
CONFIDENCES = ("green", "amber_green", "amber", "amber_red", "red")
ATTENTION_ROWS = 10  # the worst items; the register lists them all


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
    facilities = Facility.objects.filter(plan=reader.plan, measure__in=measures.order_by().values("pk"))
    return facility_map(reader, facilities)


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
