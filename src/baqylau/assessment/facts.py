"""Plain facts for the judging engine, read from the database with set-based queries.

What the engine believes (docs/judging.md): only ACCEPTED reports, and only those known at the
as-of date (reviewed on or before it). A measure is complete when an accepted report reaches 100%
or when every facility it builds has been commissioned. Intermediate indicator targets give the
planned curve its shape.

Every read is a fixed number of ``values_list`` queries, never a model instance per measure, target
or report, so a whole plan of 20,000 measures or the few measures of one subtree cost the same
queries; ``measure_ids`` narrows every query to a subtree (a measure and all its descendants, which
the engine needs to judge a parent).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery

from baqylau.indicators.models import Indicator, Target
from baqylau.instructions.models import DeadlineChange, Instruction
from baqylau.judging import (
    InstructionFacts,
    MeasureFacts,
    PlanSettings,
    ProgressPoint,
    TrajectoryPoint,
    roll_up_delegation,
)
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reports.models import Report


def plan_settings(plan: Plan) -> PlanSettings:
    return PlanSettings(
        tolerance_pp=float(plan.tolerance_pp),
        reporting_interval_days=plan.reporting_interval_days,
        deadline_near_days=plan.deadline_near_days,
    )


@dataclass(frozen=True, slots=True)
class MeasureKeys:
    """How the engine's keys (codes) map back to rows, and when each measure's facts change next."""

    id_by_code: dict[str, int]
    parent_by_code: dict[str, str | None]
    # The first day after as_of on which a fact already in the database starts to count (a report
    # reviewed or dated later, a commissioning dated later): until then the facts say the same.
    pending_by_code: dict[str, dt.date]


def _within(queryset, ids: Collection[int] | None, field: str = "pk"):
    """The queryset narrowed to ``ids`` (None: not narrowed)."""
    return queryset.filter(**{f"{field}__in": ids}) if ids is not None else queryset


def _later(pending: dict, key, day: dt.date) -> None:
    if day < pending.get(key, dt.date.max):
        pending[key] = day


def _completion_by_facilities(plan, as_of, measure_ids, pending) -> dict[int, dt.date]:
    """Measures whose every facility was commissioned by as_of: the last commissioning date."""
    dates: dict[int, list[dt.date | None]] = defaultdict(list)
    rows = _within(Facility.objects.filter(plan=plan), measure_ids, "measure_id")
    for measure_id, actual in rows.values_list("measure_id", "commission_actual"):
        if actual and actual > as_of:
            _later(pending, measure_id, actual)
        dates[measure_id].append(actual if actual and actual <= as_of else None)
    return {m: max(ds) for m, ds in dates.items() if ds and all(ds)}


def _trajectories(plan, as_of, measure_ids, measures) -> dict[int, tuple[TrajectoryPoint, ...]]:
    """The planned curve's milestones around as_of, from the measure's trajectory indicator.

    A measure's trajectory indicator is its first indicator (by code) with a baseline. Each target
    strictly between the measure's start and due is a milestone at its share of the way from the
    baseline to the indicator's last target. Planned progress at as_of depends only on the two
    knots around it, so only those (the last milestone on or before as_of and the first after it)
    are read, each by an index seek: the cost is per measure, not per target.
    """
    targets = Target.objects.filter(indicator=OuterRef("pk"))
    inside = Q(period_end__gt=OuterRef("measure__start"), period_end__lt=OuterRef("measure__due"))
    before = targets.filter(inside, period_end__lte=as_of).order_by("-period_end")
    after = targets.filter(inside, period_end__gt=as_of).order_by("period_end")
    last = targets.order_by("-period_end")
    first_with_baseline = (
        Indicator.objects.filter(measure=OuterRef("pk"), baseline_value__isnull=False)
        .order_by("code")
        .values("pk")[:1]
    )
    # Each measure's trajectory indicator found once per measure (an uncorrelated IN list), not once per
    # indicator: a measure with a hundred indicators would otherwise sort them a hundred times.
    trajectory = _within(Measure.objects.filter(plan=plan, start__isnull=False), measure_ids).annotate(
        trajectory=Subquery(first_with_baseline)
    )
    indicators = Indicator.objects.filter(pk__in=trajectory.values("trajectory"))
    rows = indicators.annotate(
        final=Subquery(last.values("value")[:1]),
        left_on=Subquery(before.values("period_end")[:1]),
        left_value=Subquery(before.values("value")[:1]),
        right_on=Subquery(after.values("period_end")[:1]),
        right_value=Subquery(after.values("value")[:1]),
    ).values_list("measure_id", "baseline_value", "final", "left_on", "left_value", "right_on", "right_value")
    shapes: dict[int, tuple[TrajectoryPoint, ...]] = {}
    for measure_id, baseline, final, left_on, left_value, right_on, right_value in rows:
        if final is None or measure_id not in measures:
            continue
        span = float(final) - float(baseline)
        if span == 0:
            continue
        points = tuple(
            TrajectoryPoint(on, max(0.0, min(100.0, (float(value) - float(baseline)) / span * 100)))
            for on, value in ((left_on, left_value), (right_on, right_value))
            if on is not None
        )
        if points:
            shapes[measure_id] = points
    return shapes


def measure_facts(
    plan: Plan, as_of: dt.date, measure_ids: Collection[int] | None = None, trajectories: bool = True
) -> tuple[list[MeasureFacts], MeasureKeys]:
    """Facts for every measure of the plan, or for ``measure_ids`` (which must hold whole subtrees; a
    ``values("pk")`` queryset reads as a subquery). ``trajectories=False`` leaves the planned curves out,
    for readers that need only what happened (the likelihood's reference)."""
    measures = {
        row[0]: row
        for row in _within(Measure.objects.filter(plan=plan), measure_ids)
        .order_by("code")
        .values_list("pk", "code", "parent_id", "start", "due", "weight")
    }
    code_of = {pk: row[1] for pk, row in measures.items()}
    children: dict[int, list[str]] = defaultdict(list)
    for _pk, code, parent_id, *_rest in measures.values():
        if parent_id in measures:
            children[parent_id].append(code)
    history: dict[int, list[ProgressPoint]] = defaultdict(list)
    completed: dict[int, dt.date] = {}
    narrated: dict[int, dt.date] = {}
    pending: dict[int, dt.date] = {}
    reports = _within(
        Report.objects.filter(state=Report.State.ACCEPTED, measure__plan=plan), measure_ids, "measure_id"
    )
    for measure_id, period_end, reviewed_on, progress in reports.order_by("period_end", "pk").values_list(
        "measure_id", "period_end", "reviewed_on", "progress"
    ):
        known = reviewed_on or period_end
        if known > as_of:  # accepted, but not known yet on as_of
            _later(pending, measure_id, known)
            continue
        if period_end > as_of:  # known, but it speaks of a later day: it counts from then
            _later(pending, measure_id, period_end)
            continue
        if progress is None:  # a narrative: no figure, but the agency is reporting
            if period_end > narrated.get(measure_id, dt.date.min):
                narrated[measure_id] = period_end
            continue
        history[measure_id].append(ProgressPoint(period_end, float(progress)))
        if progress >= 100 and period_end < completed.get(measure_id, dt.date.max):
            completed[measure_id] = period_end
    for measure_id, on in _completion_by_facilities(plan, as_of, measure_ids, pending).items():
        if on < completed.get(measure_id, dt.date.max):
            completed[measure_id] = on
    shapes = _trajectories(plan, as_of, measure_ids, measures) if trajectories else {}
    facts = [
        MeasureFacts(
            key=code,
            start=start,
            due=due,
            completed_on=completed.get(pk),
            history=tuple(history[pk]),
            trajectory=shapes.get(pk, ()),
            weight=float(weight),
            children=tuple(children[pk]),
            last_report_on=narrated.get(pk),
        )
        for pk, (_pk, code, _parent, start, due, weight) in measures.items()
    ]
    keys = MeasureKeys(
        id_by_code={code: pk for pk, code in code_of.items()},
        parent_by_code={row[1]: code_of.get(row[2]) for row in measures.values()},
        pending_by_code={code_of[pk]: day for pk, day in pending.items() if pk in code_of},
    )
    return facts, keys


def subtree_ids(plan: Plan, measure_ids: Collection[int]) -> set[int]:
    """The given measures' root goals and everything under them: what judging them needs.

    A measure's verdict depends on its descendants; its ancestors' verdicts depend on it. Walking up
    to each root and back down gives the smallest batch that judges all of them consistently, in a
    query per level of the hierarchy.
    """
    parents = dict(Measure.objects.filter(plan=plan, pk__in=measure_ids).values_list("pk", "parent_id"))
    roots: set[int] = set()
    while parents:
        roots |= {pk for pk, parent in parents.items() if parent is None}
        up = {parent for parent in parents.values() if parent is not None}
        parents = dict(Measure.objects.filter(pk__in=up).values_list("pk", "parent_id")) if up else {}
    tree, frontier = set(roots), set(roots)
    while frontier:
        frontier = set(Measure.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - tree
        tree |= frontier
    return tree


def delegation_edges(plan: Plan) -> dict[int, int]:
    """Each sub-instruction's parent, for the plan (one query; delegation is the exception)."""
    return dict(Instruction.objects.filter(plan=plan, parent__isnull=False).values_list("pk", "parent_id"))


def delegation_trees(ids: Collection[int], edges: dict[int, int]) -> set[int]:
    """``ids`` with every instruction in the same delegation trees: a change to one judges them all."""
    children: dict[int, set[int]] = defaultdict(set)
    for child, parent in edges.items():
        children[parent].add(child)
    roots = set()
    for pk in ids:
        while pk in edges:
            pk = edges[pk]
        roots.add(pk)
    tree, frontier = set(roots) | set(ids), set(roots)
    while frontier:
        frontier = {c for p in frontier for c in children.get(p, ())} - tree
        tree |= frontier
    return tree


def instruction_facts(
    plan: Plan, as_of: dt.date, instruction_ids: Collection[int] | None = None
) -> tuple[list[InstructionFacts], dict[str, int], dict[str, dt.date]]:
    """Facts of the plan's instructions (or of ``instruction_ids``), their ids by code, and when a fact not
    known on as_of comes due (an execution or withdrawal dated later, a report reviewed later).

    A parent's execution waits for its sub-instructions (``judging.roll_up_delegation``), so the facts
    of a subset are read with the rest of their delegation trees, and a parent's facts come due when
    any of its tree's do."""
    edges = delegation_edges(plan)
    wanted = None if instruction_ids is None else set(instruction_ids)
    scope = None if wanted is None else delegation_trees(wanted, edges)
    rows = _within(Instruction.objects.filter(plan=plan), scope).order_by("due", "code")
    executed: dict[int, dt.date] = {}
    last_report: dict[int, dt.date] = {}
    pending: dict[int, dt.date] = {}
    reports = _within(
        Report.objects.filter(state=Report.State.ACCEPTED, instruction__plan=plan),
        scope,
        "instruction_id",
    )
    for instruction_id, period_end, reviewed_on, was_executed in reports.values_list(
        "instruction_id", "period_end", "reviewed_on", "executed"
    ):
        known = reviewed_on or period_end
        if known > as_of:
            _later(pending, instruction_id, known)
            continue
        if known > last_report.get(instruction_id, dt.date.min):
            last_report[instruction_id] = known
        if was_executed and known < executed.get(instruction_id, dt.date.max):
            executed[instruction_id] = known
    extensions = dict(
        _within(
            DeadlineChange.objects.filter(instruction__plan=plan, new_due__gt=F("old_due")),
            scope,
            "instruction_id",
        )
        .values("instruction_id")
        .annotate(n=Count("pk"))
        .values_list("instruction_id", "n")
    )
    facts = []
    ids = {}
    for pk, code, issued_on, due, original_due, status, closed_on in rows.values_list(
        "pk", "code", "issued_on", "due", "original_due", "status", "closed_on"
    ):
        ids[code] = pk
        if closed_on and closed_on > as_of:  # the engine counts an execution or withdrawal from its day
            _later(pending, pk, closed_on)
        executed_on = closed_on if status == Instruction.Status.EXECUTED else executed.get(pk)
        facts.append(
            InstructionFacts(
                key=code,
                issued_on=issued_on,
                due=due,
                executed_on=executed_on,
                withdrawn_on=closed_on if status == Instruction.Status.WITHDRAWN else None,
                last_accepted_report_on=last_report.get(pk),
                original_due=original_due,
                extensions=extensions.get(pk, 0),
            )
        )
    if edges:
        code_of = {pk: code for code, pk in ids.items()}
        parent_of = {code: code_of.get(edges.get(pk)) for code, pk in ids.items()}
        facts = roll_up_delegation(facts, parent_of, as_of)
        for pk, day in list(pending.items()):  # a child's coming fact can change each ancestor's verdict
            parent = edges.get(pk)
            while parent is not None:
                _later(pending, parent, day)
                parent = edges.get(parent)
    if wanted is not None:
        facts = [f for f in facts if ids[f.key] in wanted]
        ids = {code: pk for code, pk in ids.items() if pk in wanted}
    return facts, ids, {code: pending[pk] for code, pk in ids.items() if pk in pending}
