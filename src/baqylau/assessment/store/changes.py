"""What changed: signal handlers and bulk writers say so here, and the store judges it.

Outside a ``batch()`` a change is judged at once, inside the writer's transaction; inside one, every
change is collected and judged once when the outermost block ends (imports, loaders).
"""

from __future__ import annotations

import contextlib
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from baqylau.plans.models import Plan

from .refresh import refresh_instructions, refresh_measures, refresh_plan

# Past this many changed items in one batch, judging the whole plan is cheaper than item by item.
WHOLE_PLAN_AFTER = 500


@dataclass
class _Pending:
    measures: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    instructions: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    whole: set[int] = field(default_factory=set)


_local = threading.local()


def _open_batch() -> _Pending | None:
    return getattr(_local, "pending", None)


@contextlib.contextmanager
def batch():
    """Judge once at the end what changes inside the block (nested blocks join the outermost)."""
    if _open_batch() is not None:
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
    """Something that can change these verdicts was written (judged now, or at the end of the batch)."""
    pending = _open_batch()
    now = pending is None
    if now:
        pending = _Pending()
    if whole:
        pending.whole.add(plan_id)
    pending.measures[plan_id].update(measures)
    pending.instructions[plan_id].update(instructions)
    if now:
        _apply(pending)


def touched_indicators(indicator_ids: Iterable[int]) -> None:
    """Actuals of these indicators were written in bulk: re-judge the outcomes that name them."""
    from ..outcomes import goals_of_indicator

    for plan_id, ids in goals_of_indicator(*indicator_ids).items():
        touched(plan_id, measures=ids)


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
