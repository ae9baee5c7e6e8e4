"""The judgement store's writer: the one place that judges for "today" and keeps the result.

Four ways in, one engine (``baqylau.judging``) behind them:
- ``refresh_plan`` judges a whole plan from its facts: after imports and bulk loads, when a plan's
  thresholds change, and whenever the store has nothing for the plan yet (``refresh.py``);
- ``refresh_measures`` / ``refresh_instructions`` re-judge what one change can affect (the changed
  measures' whole trees) inside the writer's transaction, so the store commits or rolls back with the
  change and is never stale; signal handlers (``signals.py``) and bulk writers call ``touched`` and
  ``batch`` (``changes.py``);
- ``advance_plan`` is the daily step for the passage of time, from the stored own figures
  (``advance.py``), run by ``baqylau refresh-judgements``; ``ensure_current`` is the readers' guard
  that does the same when a plan is found judged before today.
Rows go in with ``core.bulk`` (no model instance per row); roll-up totals are in ``totals.py``.
"""

from ..models import (
    GroupRollup,
    InstructionVerdict,
    MeasureDigest,
    MeasureVerdict,
    ReferenceStats,
    StoreState,
)
from .advance import advance_plan, ensure_current, ensure_current_plans
from .changes import batch, touched, touched_indicators
from .groups import INSTRUCTION_GROUPINGS, MEASURE_GROUPINGS, instruction_groups, measure_groups
from .refresh import refresh_instructions, refresh_measures, refresh_plan, today
from .rows import instruction_judgement, measure_judgement
from .totals import Counted


def plan_store_querysets(plans):
    """The stored judgements of these plans (for bulk deletion of whole plans)."""
    yield GroupRollup.objects.filter(plan__in=plans)
    yield MeasureVerdict.objects.filter(plan__in=plans)
    yield MeasureDigest.objects.filter(plan__in=plans)
    yield InstructionVerdict.objects.filter(plan__in=plans)
    yield StoreState.objects.filter(plan__in=plans)
    yield ReferenceStats.objects.filter(plan__in=plans)


__all__ = [
    "INSTRUCTION_GROUPINGS",
    "MEASURE_GROUPINGS",
    "Counted",
    "advance_plan",
    "batch",
    "ensure_current",
    "ensure_current_plans",
    "instruction_groups",
    "instruction_judgement",
    "measure_groups",
    "measure_judgement",
    "plan_store_querysets",
    "refresh_instructions",
    "refresh_measures",
    "refresh_plan",
    "today",
    "touched",
    "touched_indicators",
]
