"""Plain facts for the judging engine, read from the database in a fixed number of queries.

What the engine believes (docs/judging.md): only ACCEPTED reports, and only those known at the
as-of date (reviewed on or before it). A measure is complete when an accepted report reaches 100%
or when every facility it builds has been commissioned. Intermediate indicator targets give the
planned curve its shape.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from baqylau.indicators.models import Target
from baqylau.instructions.models import Instruction
from baqylau.judging import InstructionFacts, MeasureFacts, PlanSettings, ProgressPoint, TrajectoryPoint
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reports.models import Report


def plan_settings(plan: Plan) -> PlanSettings:
    return PlanSettings(
        tolerance_pp=float(plan.tolerance_pp),
        reporting_interval_days=plan.reporting_interval_days,
        deadline_near_days=plan.deadline_near_days,
    )


def _known_on(report: dict) -> dt.date:
    return report["reviewed_on"] or report["period_end"]


def _accepted_reports(as_of: dt.date, **item_filter) -> list[dict]:
    rows = Report.objects.filter(state=Report.State.ACCEPTED, **item_filter).values(
        "measure_id", "instruction_id", "period_end", "reviewed_on", "progress", "executed"
    )
    return [r for r in rows if _known_on(r) <= as_of]


def _completion_by_facilities(plan: Plan, as_of: dt.date) -> dict[int, dt.date]:
    """Measures whose every facility was commissioned by as_of: the last commissioning date."""
    dates: dict[int, list[dt.date | None]] = defaultdict(list)
    for measure_id, actual in Facility.objects.filter(plan=plan).values_list(
        "measure_id", "commission_actual"
    ):
        dates[measure_id].append(actual if actual and actual <= as_of else None)
    return {m: max(ds) for m, ds in dates.items() if ds and all(ds)}


def _trajectories(plan: Plan, measures: dict[int, Measure]) -> dict[int, tuple[TrajectoryPoint, ...]]:
    """Milestones from the measure's indicator targets: each target's share of the way to the last one."""
    by_indicator: dict[int, list] = defaultdict(list)
    targets = Target.objects.filter(indicator__plan=plan, indicator__measure__isnull=False).select_related(
        "indicator"
    )
    for target in targets.order_by("period_end"):
        by_indicator[target.indicator_id].append(target)
    shapes: dict[int, tuple[TrajectoryPoint, ...]] = {}
    for rows in by_indicator.values():
        indicator = rows[0].indicator
        measure = measures.get(indicator.measure_id)
        if (
            measure is None
            or measure.start is None
            or indicator.baseline_value is None
            or measure.pk in shapes
        ):
            continue
        final = rows[-1].value
        span = final - indicator.baseline_value
        if span == 0:
            continue
        points = tuple(
            TrajectoryPoint(
                t.period_end,
                float(max(Decimal(0), min(Decimal(100), (t.value - indicator.baseline_value) / span * 100))),
            )
            for t in rows
            if measure.start < t.period_end < measure.due
        )
        if points:
            shapes[measure.pk] = points
    return shapes


def measure_facts(plan: Plan, as_of: dt.date) -> tuple[list[MeasureFacts], dict[str, Measure]]:
    measures = {
        m.pk: m
        for m in Measure.objects.filter(plan=plan)
        .select_related("sphere", "lead_agency", "parent")
        .prefetch_related("territories", "co_agencies")
        .order_by("code")
    }
    children: dict[int, list[str]] = defaultdict(list)
    for m in measures.values():
        if m.parent_id:
            children[m.parent_id].append(m.code)
    history: dict[int, list[ProgressPoint]] = defaultdict(list)
    completed: dict[int, dt.date] = {}
    narrated: dict[int, dt.date] = {}
    for r in _accepted_reports(as_of, measure__plan=plan):
        if r["progress"] is None:  # a narrative: no figure, but the agency is reporting
            narrated[r["measure_id"]] = max(narrated.get(r["measure_id"], r["period_end"]), r["period_end"])
            continue
        history[r["measure_id"]].append(ProgressPoint(r["period_end"], float(r["progress"])))
        if r["progress"] >= 100:
            completed[r["measure_id"]] = min(completed.get(r["measure_id"], r["period_end"]), r["period_end"])
    for measure_id, on in _completion_by_facilities(plan, as_of).items():
        completed[measure_id] = min(completed.get(measure_id, on), on)
    shapes = _trajectories(plan, measures)
    facts = [
        MeasureFacts(
            key=m.code,
            start=m.start,
            due=m.due,
            completed_on=completed.get(m.pk),
            history=tuple(sorted(history[m.pk], key=lambda p: p.on)),
            trajectory=shapes.get(m.pk, ()),
            weight=float(m.weight),
            children=tuple(children[m.pk]),
            last_report_on=narrated.get(m.pk),
        )
        for m in measures.values()
    ]
    return facts, {m.code: m for m in measures.values()}


def instruction_facts(plan: Plan, as_of: dt.date) -> tuple[list[InstructionFacts], dict[str, Instruction]]:
    instructions = {
        i.pk: i
        for i in Instruction.objects.filter(plan=plan)
        .select_related("event")
        .prefetch_related("executors", "measures")
        .order_by("due", "code")
    }
    executed: dict[int, dt.date] = {}
    last_report: dict[int, dt.date] = {}
    for r in _accepted_reports(as_of, instruction__plan=plan):
        known = _known_on(r)
        last_report[r["instruction_id"]] = max(last_report.get(r["instruction_id"], known), known)
        if r["executed"]:
            executed[r["instruction_id"]] = min(executed.get(r["instruction_id"], known), known)
    facts = []
    for i in instructions.values():
        executed_on = i.closed_on if i.status == Instruction.Status.EXECUTED else executed.get(i.pk)
        facts.append(
            InstructionFacts(
                key=i.code,
                issued_on=i.issued_on,
                due=i.due,
                executed_on=executed_on,
                withdrawn_on=i.closed_on if i.status == Instruction.Status.WITHDRAWN else None,
                last_accepted_report_on=last_report.get(i.pk),
            )
        )
    return facts, {i.code: i for i in instructions.values()}
