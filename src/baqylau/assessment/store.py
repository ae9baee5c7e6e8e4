"""Writing the judgement store: the one place that judges for "today" and keeps the result.

- ``refresh_plan`` judges a whole plan as of today: once a day for the passage of time (the
  ``refresh-judgements`` command, run by cron or a timer), after imports, and when a reader finds
  the plan's judgements dated before today (``ensure_current``).
- ``refresh_measures`` / ``refresh_instructions`` re-judge what one change can affect (the changed
  measures' whole trees) and move them between their groups' roll-up totals, inside the writer's
  transaction, so the store commits or rolls back with the change itself and is never stale.
- Signal handlers (``signals.py``) call ``touched`` on every save that can change a verdict; bulk
  writers (imports, loaders) wrap their work in ``batch()`` so that all their changes are judged
  once at the end.

Rows go in with ``core.bulk`` (no model instance per row): a plan of 20,000 measures is rewritten
in well under a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from baqylau.core.bulk import bulk_insert
from baqylau.instructions.models import Instruction
from baqylau.judging import (
    Confidence,
    ForecastNote,
    GroupTotals,
    InstructionJudgement,
    InstructionStatus,
    MeasureJudgement,
    MeasureStatus,
    PlanSettings,
    ProgressSource,
    judge_instructions,
    judge_measures,
)
from baqylau.plans.models import Measure, Plan

from .facts import instruction_facts, measure_facts, plan_settings, subtree_ids
from .models import (
    INSTRUCTION_STATUS_RANK,
    MEASURE_STATUS_RANK,
    GroupRollup,
    InstructionVerdict,
    MeasureVerdict,
    StoreState,
)

MEASURE_GROUPINGS = ("plan", "sphere", "territory", "agency")
INSTRUCTION_GROUPINGS = ("plan", "agency")
# Past this many changed items in one batch, re-judging the whole plan is cheaper than item by item.
WHOLE_PLAN_AFTER = 500


def today() -> dt.date:
    return timezone.localdate()


# --- groups ------------------------------------------------------------------------------------------


def measure_groups(plan: Plan, ids: Collection[int] | None = None) -> dict[int, dict[str, list[str]]]:
    """Each measure's groups: its plan, its sphere, every territory it covers, its lead and
    co-executing agencies (a measure counts once in each of its groups)."""
    measures = Measure.objects.filter(plan=plan)
    territories = Measure.territories.through.objects.filter(measure__plan=plan)
    co_agencies = Measure.co_agencies.through.objects.filter(measure__plan=plan)
    if ids is not None:
        measures = measures.filter(pk__in=ids)
        territories = territories.filter(measure_id__in=ids)
        co_agencies = co_agencies.filter(measure_id__in=ids)
    groups = {
        pk: {"plan": [plan.code], "sphere": [sphere], "territory": [], "agency": [lead]}
        for pk, sphere, lead in measures.values_list("pk", "sphere__code", "lead_agency__code")
    }
    for measure_id, code in territories.order_by("territory__code").values_list(
        "measure_id", "territory__code"
    ):
        groups[measure_id]["territory"].append(code)
    for measure_id, code in co_agencies.order_by("agency__code").values_list("measure_id", "agency__code"):
        if code not in groups[measure_id]["agency"]:
            groups[measure_id]["agency"].append(code)
    return groups


def instruction_groups(plan: Plan, ids: Collection[int] | None = None) -> dict[int, dict[str, list[str]]]:
    executors = Instruction.executors.through.objects.filter(instruction__plan=plan)
    instructions = Instruction.objects.filter(plan=plan)
    if ids is not None:
        executors = executors.filter(instruction_id__in=ids)
        instructions = instructions.filter(pk__in=ids)
    groups = {pk: {"plan": [plan.code], "agency": []} for pk in instructions.values_list("pk", flat=True)}
    for instruction_id, code in executors.order_by("agency__code").values_list(
        "instruction_id", "agency__code"
    ):
        groups[instruction_id]["agency"].append(code)
    return groups


# --- judgements <-> rows -----------------------------------------------------------------------------

MEASURE_COLUMNS = [
    "measure",
    "plan",
    "as_of",
    "status",
    "status_rank",
    "confidence",
    "confidence_score",
    "progress",
    "planned",
    "gap",
    "behind",
    "forecast_finish",
    "forecast_note",
    "slip_days",
    "finished_on",
    "last_report_on",
    "stale",
    "report_count",
    "forecast_points",
    "progress_source",
    "children_total",
    "children_known",
    "unknown_weight_share",
    "start",
    "due",
    "weight",
    "is_leaf",
    "groups",
]
INSTRUCTION_COLUMNS = [
    "instruction",
    "plan",
    "as_of",
    "status",
    "status_rank",
    "issued_on",
    "due",
    "executed_on",
    "withdrawn_on",
    "last_report_on",
    "groups",
]


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _measure_row(pk: int, plan_id: int, j: MeasureJudgement, is_leaf: bool, groups: dict) -> tuple:
    return (
        pk,
        plan_id,
        j.as_of.isoformat(),
        j.status.value,
        MEASURE_STATUS_RANK[j.status.value],
        j.confidence.value,
        j.confidence.severity,
        j.progress,
        j.planned,
        j.gap,
        j.behind,
        _day(j.forecast_finish),
        j.forecast_note.value if j.forecast_note else "",
        j.slip_days,
        _day(j.finished_on),
        _day(j.last_report_on),
        j.stale,
        j.report_count,
        j.forecast_points,
        j.progress_source.value,
        j.children_total,
        j.children_known,
        j.unknown_weight_share,
        _day(j.start),
        j.due.isoformat(),
        j.weight,
        is_leaf,
        json.dumps(groups),
    )


def _instruction_row(pk: int, plan_id: int, j: InstructionJudgement, groups: dict) -> tuple:
    return (
        pk,
        plan_id,
        j.as_of.isoformat(),
        j.status.value,
        INSTRUCTION_STATUS_RANK[j.status.value],
        j.issued_on.isoformat(),
        j.due.isoformat(),
        _day(j.executed_on),
        _day(j.withdrawn_on),
        _day(j.last_report_on),
        json.dumps(groups),
    )


def measure_judgement(verdict: MeasureVerdict, code: str, settings: PlanSettings) -> MeasureJudgement:
    """The stored row as the engine's judgement, so explanations and reasons work unchanged."""
    last = verdict.last_report_on
    return MeasureJudgement(
        key=code,
        as_of=verdict.as_of,
        status=MeasureStatus(verdict.status),
        confidence=Confidence(verdict.confidence),
        progress=verdict.progress,
        planned=verdict.planned,
        gap=verdict.gap,
        behind=verdict.behind,
        forecast_finish=verdict.forecast_finish,
        forecast_note=ForecastNote(verdict.forecast_note) if verdict.forecast_note else None,
        slip_days=verdict.slip_days,
        finished_on=verdict.finished_on,
        last_report_on=last,
        days_since_report=None if last is None else (verdict.as_of - last).days,
        stale=verdict.stale,
        report_count=verdict.report_count,
        forecast_points=verdict.forecast_points,
        progress_source=ProgressSource(verdict.progress_source),
        children_total=verdict.children_total,
        children_known=verdict.children_known,
        unknown_weight_share=verdict.unknown_weight_share,
        start=verdict.start,
        due=verdict.due,
        weight=verdict.weight,
        settings=settings,
    )


def instruction_judgement(
    verdict: InstructionVerdict, code: str, settings: PlanSettings
) -> InstructionJudgement:
    last = verdict.last_report_on
    return InstructionJudgement(
        key=code,
        as_of=verdict.as_of,
        status=InstructionStatus(verdict.status),
        issued_on=verdict.issued_on,
        due=verdict.due,
        days_to_due=(verdict.due - verdict.as_of).days,
        executed_on=verdict.executed_on,
        withdrawn_on=verdict.withdrawn_on,
        last_report_on=last,
        days_since_report=None if last is None else (verdict.as_of - last).days,
        settings=settings,
    )


# --- roll-up totals ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Counted:
    """What a verdict contributes to its groups (the fields GroupTotals.add reads)."""

    status: str
    confidence: str | None
    weight: float
    progress: float | None


def _rollup_rows(plan_id: int, kind: str, totals: dict[tuple[str, str], GroupTotals]) -> Iterable[tuple]:
    for (grouping, key), t in totals.items():
        yield (
            plan_id,
            kind,
            grouping,
            key,
            t.total,
            json.dumps(t.counts),
            json.dumps(t.confidence_counts),
            t.weight,
            t.weight_known,
            t.weighted,
            t.known,
        )


ROLLUP_COLUMNS = [
    "plan",
    "kind",
    "grouping",
    "key",
    "total",
    "counts",
    "confidence_counts",
    "weight",
    "weight_known",
    "weighted",
    "known",
]


def _add_to_groups(totals: dict, kind: str, groupings, item: _Counted, groups: dict, sign: int = 1) -> None:
    for grouping in groupings:
        for key in groups.get(grouping, ()):
            group = totals.get((grouping, key))
            if group is None:
                group = totals[(grouping, key)] = GroupTotals(kind=kind)
            group.add(item, sign)


def _stored_totals(
    plan_id: int, kind: str, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], GroupTotals]:
    """The stored totals of these groups (missing groups start empty)."""
    wanted = set(keys)
    found = {}
    groupings = {g for g, _k in wanted}
    for row in GroupRollup.objects.filter(plan_id=plan_id, kind=kind, grouping__in=groupings).values(
        "grouping",
        "key",
        "total",
        "counts",
        "confidence_counts",
        "weight",
        "weight_known",
        "weighted",
        "known",
    ):
        key = (row["grouping"], row["key"])
        if key in wanted:
            found[key] = GroupTotals(
                kind=kind,
                total=row["total"],
                counts=dict(row["counts"]),
                confidence_counts=dict(row["confidence_counts"]),
                weight=row["weight"],
                weight_known=row["weight_known"],
                weighted=row["weighted"],
                known=row["known"],
            )
    return {key: found.get(key) or GroupTotals(kind=kind) for key in wanted}


def _write_totals(plan_id: int, kind: str, totals: dict[tuple[str, str], GroupTotals]) -> None:
    """Replace these groups' rows; a group left with no item disappears."""
    for grouping in {g for g, _k in totals}:
        keys = [k for g, k in totals if g == grouping]
        GroupRollup.objects.filter(plan_id=plan_id, kind=kind, grouping=grouping, key__in=keys).delete()
    bulk_insert(
        GroupRollup, ROLLUP_COLUMNS, _rollup_rows(plan_id, kind, {k: t for k, t in totals.items() if t.total})
    )


# --- refreshing --------------------------------------------------------------------------------------


def _judge_measures(plan: Plan, as_of: dt.date, ids: Collection[int] | None):
    facts, keys = measure_facts(plan, as_of, ids)
    judged = judge_measures(facts, as_of, plan_settings(plan))
    parents = {p for p in keys.parent_by_code.values() if p}
    return [(keys.id_by_code[j.key], j, j.key not in parents) for j in judged]


def _measure_rows_and_totals(plan, judged, groups, totals):
    rows = []
    for pk, j, is_leaf in judged:
        g = groups[pk]
        rows.append(_measure_row(pk, plan.pk, j, is_leaf, g))
        if is_leaf:
            _add_to_groups(totals, "measure", MEASURE_GROUPINGS, j, g)
    return rows


@transaction.atomic
def refresh_plan(plan: Plan, as_of: dt.date | None = None) -> StoreState:
    """Judge every measure and instruction of ``plan`` as of today and replace its stored judgements."""
    as_of = as_of or today()
    began = time.perf_counter()
    judged = _judge_measures(plan, as_of, None)
    totals: dict[tuple[str, str], GroupTotals] = {}
    rows = _measure_rows_and_totals(plan, judged, measure_groups(plan), totals)
    MeasureVerdict.objects.filter(plan=plan).delete()
    bulk_insert(MeasureVerdict, MEASURE_COLUMNS, rows)

    instruction_rows, instruction_totals = _instruction_rows(plan, as_of, None)
    InstructionVerdict.objects.filter(plan=plan).delete()
    bulk_insert(InstructionVerdict, INSTRUCTION_COLUMNS, instruction_rows)

    GroupRollup.objects.filter(plan=plan).delete()
    bulk_insert(GroupRollup, ROLLUP_COLUMNS, _rollup_rows(plan.pk, "measure", totals))
    bulk_insert(GroupRollup, ROLLUP_COLUMNS, _rollup_rows(plan.pk, "instruction", instruction_totals))
    state, _ = StoreState.objects.update_or_create(
        plan=plan,
        defaults={
            "as_of": as_of,
            "refreshed_at": timezone.now(),
            "measures": len(rows),
            "instructions": len(instruction_rows),
            "full_refresh_ms": round((time.perf_counter() - began) * 1000),
        },
    )
    return state


def _instruction_rows(plan, as_of, ids):
    facts, id_by_code = instruction_facts(plan, as_of, ids)
    groups = instruction_groups(plan, ids)
    totals: dict[tuple[str, str], GroupTotals] = {}
    rows = []
    for j in judge_instructions(facts, as_of, plan_settings(plan)):
        pk = id_by_code[j.key]
        rows.append(_instruction_row(pk, plan.pk, j, groups[pk]))
        _add_to_groups(
            totals,
            "instruction",
            INSTRUCTION_GROUPINGS,
            _Counted(j.status.value, None, 0.0, None),
            groups[pk],
        )
    return rows, totals


def _current_state(plan: Plan) -> StoreState | None:
    """The plan's store state if it is judged as of today (else an item refresh makes no sense)."""
    state = StoreState.objects.filter(plan=plan).first()
    return state if state is not None and state.as_of == today() else None


def refresh_measures(plan: Plan, measure_ids: Collection[int]) -> None:
    """Re-judge the trees of ``measure_ids`` and move them between their groups' totals."""
    state = _current_state(plan)
    if state is None:
        refresh_plan(plan)
        return
    with transaction.atomic():
        tree = subtree_ids(plan, measure_ids) | set(measure_ids)
        old = list(
            MeasureVerdict.objects.filter(measure_id__in=tree).values_list(
                "status", "confidence", "weight", "progress", "is_leaf", "groups"
            )
        )
        judged = _judge_measures(plan, state.as_of, tree)
        groups = measure_groups(plan, [pk for pk, _j, _leaf in judged])
        delta: dict[tuple[str, str], GroupTotals] = {}
        rows = _measure_rows_and_totals(plan, judged, groups, delta)
        for status, confidence, weight, progress, is_leaf, old_groups in old:
            if is_leaf:
                _add_to_groups(
                    delta,
                    "measure",
                    MEASURE_GROUPINGS,
                    _Counted(status, confidence, weight, progress),
                    old_groups,
                    -1,
                )
        MeasureVerdict.objects.filter(measure_id__in=tree).delete()
        bulk_insert(MeasureVerdict, MEASURE_COLUMNS, rows)
        _apply_delta(plan.pk, "measure", delta)
        if len(rows) != len(old):  # a measure was added (deletions re-judge the whole plan)
            StoreState.objects.filter(plan=plan).update(measures=F("measures") + len(rows) - len(old))


def refresh_instructions(plan: Plan, instruction_ids: Collection[int]) -> None:
    state = _current_state(plan)
    if state is None:
        refresh_plan(plan)
        return
    with transaction.atomic():
        old = list(
            InstructionVerdict.objects.filter(instruction_id__in=instruction_ids).values_list(
                "status", "groups"
            )
        )
        rows, delta = _instruction_rows(plan, state.as_of, instruction_ids)
        for status, old_groups in old:
            _add_to_groups(
                delta, "instruction", INSTRUCTION_GROUPINGS, _Counted(status, None, 0.0, None), old_groups, -1
            )
        InstructionVerdict.objects.filter(instruction_id__in=instruction_ids).delete()
        bulk_insert(InstructionVerdict, INSTRUCTION_COLUMNS, rows)
        _apply_delta(plan.pk, "instruction", delta)
        if len(rows) != len(old):
            StoreState.objects.filter(plan=plan).update(instructions=F("instructions") + len(rows) - len(old))


def _apply_delta(plan_id: int, kind: str, delta: dict[tuple[str, str], GroupTotals]) -> None:
    """Stored totals plus the change (new verdicts added, old ones taken out)."""
    if not delta:
        return
    stored = _stored_totals(plan_id, kind, delta)
    for key, change in delta.items():
        t = stored[key]
        t.total += change.total
        t.weight += change.weight
        t.weight_known += change.weight_known
        t.weighted += change.weighted
        t.known += change.known
        for name in ("counts", "confidence_counts"):
            merged = getattr(t, name)
            for k, v in getattr(change, name).items():
                merged[k] = merged.get(k, 0) + v
            setattr(t, name, {k: v for k, v in merged.items() if v})
    _write_totals(plan_id, kind, stored)


def ensure_current(plan: Plan) -> None:
    """Readers' guard: judge the plan first if its judgements are dated before today (the daily
    refresh has not run yet, or the plan is new). Otherwise one cheap query."""
    if _current_state(plan) is not None:
        return
    with transaction.atomic():
        # One reader judges; the others wait for it (PostgreSQL) or queue (SQLite), then find it done.
        list(Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk"))
        if _current_state(plan) is None:
            refresh_plan(plan)


def ensure_current_plans(plan_ids) -> None:
    """``ensure_current`` for several plans, with one query when all are current."""
    wanted = set(plan_ids)
    current = set(StoreState.objects.filter(plan__in=wanted, as_of=today()).values_list("plan_id", flat=True))
    for plan in Plan.objects.filter(pk__in=wanted - current):
        ensure_current(plan)


# --- what changed: signal handlers and bulk writers call these ---------------------------------------


@dataclass
class _Pending:
    measures: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    instructions: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    whole: set[int] = field(default_factory=set)


_local = threading.local()


def _batch() -> _Pending | None:
    return getattr(_local, "pending", None)


@contextlib.contextmanager
def batch():
    """Judge once at the end what changes inside the block (nested blocks join the outermost)."""
    if _batch() is not None:
        yield
        return
    _local.pending = _Pending()
    try:
        yield
        pending = _local.pending
    finally:
        _local.pending = None
    _apply(pending)


def touched(
    plan_id: int, measures: Iterable[int] = (), instructions: Iterable[int] = (), whole: bool = False
):
    """Something that can change these verdicts was written (now, or at the end of the batch)."""
    pending = _batch()
    if pending is None:
        pending = _Pending()
        _record(pending, plan_id, measures, instructions, whole)
        _apply(pending)
    else:
        _record(pending, plan_id, measures, instructions, whole)


def _record(pending: _Pending, plan_id, measures, instructions, whole) -> None:
    if whole:
        pending.whole.add(plan_id)
    pending.measures[plan_id].update(measures)
    pending.instructions[plan_id].update(instructions)


def _apply(pending: _Pending) -> None:
    plan_ids = (
        set(pending.whole)
        | {p for p, ids in pending.measures.items() if ids}
        | {p for p, ids in pending.instructions.items() if ids}
    )
    for plan in Plan.objects.filter(pk__in=plan_ids):
        measures, instructions = (
            pending.measures.get(plan.pk, set()),
            pending.instructions.get(plan.pk, set()),
        )
        if plan.pk in pending.whole or len(measures) + len(instructions) > WHOLE_PLAN_AFTER:
            refresh_plan(plan)
            continue
        if measures:
            refresh_measures(plan, measures)
        if instructions:
            refresh_instructions(plan, instructions)


def plan_store_querysets(plans) -> Iterable:
    """The stored judgements of these plans (for bulk deletion of whole plans)."""
    yield GroupRollup.objects.filter(plan__in=plans)
    yield MeasureVerdict.objects.filter(plan__in=plans)
    yield InstructionVerdict.objects.filter(plan__in=plans)
    yield StoreState.objects.filter(plan__in=plans)
