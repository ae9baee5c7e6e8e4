"""Judging from the facts: a whole plan (``refresh_plan``), or what one change can affect
(``refresh_measures``, ``refresh_instructions``), inside the writer's transaction."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from baqylau.core.bulk import bulk_insert
from baqylau.plans.models import Plan

from ..facts import subtree_ids
from ..models import InstructionVerdict, MeasureDigest, MeasureVerdict, StoreState
from . import totals as T
from .groups import INSTRUCTION_GROUPINGS, MEASURE_GROUPINGS, instruction_groups, measure_groups
from .rows import (
    DIGEST_COLUMNS,
    INSTRUCTION_COLUMNS,
    VERDICT_COLUMNS,
    Batch,
    groups_text,
    instruction_rows,
    judge_from_facts,
    judge_instructions_from_facts,
)


def today() -> dt.date:
    return timezone.localdate()


def measure_totals(batch: Batch, groups: dict[int, dict]) -> T.Totals:
    totals: T.Totals = {}
    for pk, j, is_leaf in zip(batch.ids, batch.judged, batch.leaves(), strict=True):
        if is_leaf:
            T.add(totals, "measure", MEASURE_GROUPINGS, j, groups[pk])
    return totals


def instruction_totals(judged, id_of, groups: dict[int, dict], sign: int = 1) -> T.Totals:
    totals: T.Totals = {}
    for j in judged:
        T.add(totals, "instruction", INSTRUCTION_GROUPINGS, T.Counted(j.status.value, None, 0.0, None),
              groups[id_of[j.key]], sign)  # fmt: skip
    return totals


def save_state(plan: Plan, as_of: dt.date, measures: int, instructions: int, began: float) -> StoreState:
    state, _ = StoreState.objects.update_or_create(
        plan=plan,
        defaults={
            "as_of": as_of,
            "refreshed_at": timezone.now(),
            "measures": measures,
            "instructions": instructions,
            "full_refresh_ms": round((time.perf_counter() - began) * 1000),
        },
    )
    return state


@transaction.atomic
def refresh_plan(plan: Plan, as_of: dt.date | None = None) -> StoreState:
    """Judge every measure and instruction of ``plan`` from its facts and replace what is stored."""
    as_of = as_of or today()
    began = time.perf_counter()
    from ..likelihood import learn_and_keep

    batch = judge_from_facts(plan, as_of, None, learn_and_keep(plan, as_of))
    groups = measure_groups(plan)
    MeasureDigest.objects.filter(plan=plan).delete()
    bulk_insert(
        MeasureDigest, DIGEST_COLUMNS, batch.digest_rows(plan.pk, as_of.toordinal(), groups_text(groups))
    )
    MeasureVerdict.objects.filter(plan=plan).delete()
    bulk_insert(MeasureVerdict, VERDICT_COLUMNS, batch.verdict_rows(plan.pk))
    T.replace(plan.pk, "measure", measure_totals(batch, groups))

    judged, id_of, until_of = judge_instructions_from_facts(plan, as_of, None)
    i_groups = instruction_groups(plan)
    InstructionVerdict.objects.filter(plan=plan).delete()
    bulk_insert(
        InstructionVerdict,
        INSTRUCTION_COLUMNS,
        instruction_rows(plan.pk, judged, id_of, until_of, groups_text(i_groups)),
    )
    T.replace(plan.pk, "instruction", instruction_totals(judged, id_of, i_groups))
    return save_state(plan, as_of, len(batch.ids), len(judged), began)


def current_state(plan: Plan) -> StoreState | None:
    """The plan's store state if it is judged as of today."""
    state = StoreState.objects.filter(plan=plan).first()
    return state if state is not None and state.as_of == today() else None


def refresh_measures(plan: Plan, measure_ids: Collection[int]) -> None:
    """Re-judge the trees of ``measure_ids`` from their facts and move them between their groups' totals."""
    from ..likelihood import mark_stale
    from ..outcomes import water_goals_depending_on
    from .advance import ensure_current

    ensure_current(plan)  # the rest of the plan is judged as of today, like these
    as_of = today()
    with transaction.atomic():
        measure_ids = set(measure_ids) | water_goals_depending_on(plan, measure_ids)
        tree = subtree_ids(plan, measure_ids) | measure_ids
        old = list(
            MeasureVerdict.objects.filter(measure_id__in=tree, is_leaf=True).values_list(
                "measure_id", "status", "confidence", "weight", "progress"
            )
        )
        old_groups = dict(
            MeasureDigest.objects.filter(measure_id__in=tree).values_list("measure_id", "groups")
        )
        batch = judge_from_facts(plan, as_of, tree)
        mark_stale(plan, batch.judged, as_of)
        groups = measure_groups(plan, batch.ids)
        delta = measure_totals(batch, groups)
        for pk, status, confidence, weight, progress in old:
            T.add(delta, "measure", MEASURE_GROUPINGS, T.Counted(status, confidence, weight, progress),
                  old_groups.get(pk, {}), -1)  # fmt: skip
        MeasureDigest.objects.filter(measure_id__in=tree).delete()
        bulk_insert(
            MeasureDigest, DIGEST_COLUMNS, batch.digest_rows(plan.pk, as_of.toordinal(), groups_text(groups))
        )
        before = MeasureVerdict.objects.filter(measure_id__in=tree).delete()[0]
        bulk_insert(MeasureVerdict, VERDICT_COLUMNS, batch.verdict_rows(plan.pk))
        T.apply_delta(plan.pk, "measure", delta)
        if len(batch.ids) != before:  # a measure was added (deletions re-judge the whole plan)
            StoreState.objects.filter(plan=plan).update(measures=F("measures") + len(batch.ids) - before)


def refresh_instructions(plan: Plan, instruction_ids: Collection[int]) -> None:
    from .advance import ensure_current

    ensure_current(plan)
    with transaction.atomic():
        stored = InstructionVerdict.objects.filter(instruction_id__in=instruction_ids)
        old = list(stored.values_list("status", "groups"))
        judged, id_of, until_of = judge_instructions_from_facts(plan, today(), instruction_ids)
        groups = instruction_groups(plan, instruction_ids)
        delta = instruction_totals(judged, id_of, groups)
        for status, old_groups in old:
            T.add(
                delta,
                "instruction",
                INSTRUCTION_GROUPINGS,
                T.Counted(status, None, 0.0, None),
                old_groups,
                -1,
            )
        stored.delete()
        rows = instruction_rows(plan.pk, judged, id_of, until_of, groups_text(groups))
        bulk_insert(InstructionVerdict, INSTRUCTION_COLUMNS, rows)
        T.apply_delta(plan.pk, "instruction", delta)
        if len(judged) != len(old):
            StoreState.objects.filter(plan=plan).update(
                instructions=F("instructions") + len(judged) - len(old)
            )
