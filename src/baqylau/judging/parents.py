"""Parent measures without reports of their own take their figures from their children.

Parents are judged bottom-up, one height of the hierarchy at a time, so a child's figures are
final before its parent reads them. Progress is the children's weighted mean with weights
normalised over the children whose progress is known; when no child is known the parent's
progress is unknown (NaN), never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .history import NO_DAY

_VISITING, _DONE = 1, 2


@dataclass(frozen=True, slots=True)
class Level:
    """Parents of one height, with their children flattened: ``parents[slot[j]]`` owns ``child[j]``."""

    parents: np.ndarray
    child: np.ndarray
    slot: np.ndarray


def hierarchy_levels(keys: Sequence[str], children: Sequence[tuple[str, ...]]) -> list[Level]:
    """Group parents by height (children first); reject duplicate keys, unknown children, cycles."""
    index: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in index:
            raise ValueError(f"measure {key!r} appears twice in the batch")
        index[key] = i
    kids: dict[int, list[int]] = {}
    for i, child_keys in enumerate(children):
        if child_keys:
            missing = [key for key in child_keys if key not in index]
            if missing:
                raise ValueError(
                    f"measure {keys[i]!r} lists children not in the batch: {', '.join(map(repr, missing))}; "
                    "judge a parent together with all its descendants"
                )
            kids[i] = [index[key] for key in child_keys]
    if not kids:
        return []

    height = _heights(keys, kids)
    by_height: dict[int, list[int]] = {}
    for parent in kids:
        by_height.setdefault(height[parent], []).append(parent)
    levels = []
    for h in sorted(by_height):
        parents = by_height[h]
        child = [c for p in parents for c in kids[p]]
        slot = [s for s, p in enumerate(parents) for _ in kids[p]]
        levels.append(
            Level(
                parents=np.asarray(parents, dtype=np.int64),
                child=np.asarray(child, dtype=np.int64),
                slot=np.asarray(slot, dtype=np.int64),
            )
        )
    return levels


def _heights(keys: Sequence[str], kids: dict[int, list[int]]) -> dict[int, int]:
    """Height of every parent (a parent of leaves has height 1), by iterative depth-first search."""
    height: dict[int, int] = {}
    state: dict[int, int] = {}
    for root in kids:
        if root in state:
            continue
        state[root] = _VISITING
        stack = [(root, iter(kids[root]))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if child not in kids:
                    continue
                if state.get(child) == _VISITING:
                    raise ValueError(f"measure {keys[child]!r} is its own ancestor")
                if child not in state:
                    state[child] = _VISITING
                    stack.append((child, iter(kids[child])))
                    break
            else:
                stack.pop()
                state[node] = _DONE
                height[node] = 1 + max((height.get(child, 0) for child in kids[node]), default=0)
    return height


@dataclass(frozen=True, slots=True)
class ChildRollup:
    """Figures for the parents of one level (arrays aligned with ``Level.parents``)."""

    progress: np.ndarray  # weighted mean of known children; NaN when none is known
    all_done: np.ndarray
    finished: np.ndarray  # latest finish among the children (meaningful where all_done)
    last_report: np.ndarray  # most recent report of any child, NO_DAY if none
    forecast: np.ndarray  # latest forecast finish among unfinished children
    forecast_missing: np.ndarray  # some unfinished child has no forecast
    known: np.ndarray  # children with known progress
    total: np.ndarray
    unknown_share: np.ndarray  # share of the children's weight whose progress is unknown


def roll_up_children(
    level: Level,
    progress: np.ndarray,
    done: np.ndarray,
    weight: np.ndarray,
    finished: np.ndarray,
    last_report: np.ndarray,
    forecast: np.ndarray,
    forecast_ok: np.ndarray,
) -> ChildRollup:
    """Combine the (final) figures of each parent's children; inputs are per-measure arrays."""
    m = level.parents.size
    slot, child = level.slot, level.child
    child_progress = progress[child]
    known = ~np.isnan(child_progress)
    w = weight[child]
    # bincount adds in index order, so a parent's sums do not depend on the rest of the batch.
    weight_all = np.bincount(slot, weights=w, minlength=m)
    weight_known = np.bincount(slot, weights=np.where(known, w, 0.0), minlength=m)
    weighted = np.bincount(slot, weights=np.where(known, w * child_progress, 0.0), minlength=m)
    rolled = np.clip(weighted / np.where(weight_known > 0, weight_known, 1.0), 0.0, 100.0)

    total = np.bincount(slot, minlength=m)
    child_done = done[child]
    unfinished = ~child_done
    return ChildRollup(
        progress=np.where(weight_known > 0, rolled, np.nan),
        all_done=np.bincount(slot, weights=child_done, minlength=m) == total,
        finished=_max_by_slot(slot, finished[child], m),
        last_report=_max_by_slot(slot, last_report[child], m),
        forecast=_max_by_slot(slot, np.where(unfinished, forecast[child], NO_DAY), m),
        forecast_missing=np.bincount(slot, weights=unfinished & ~forecast_ok[child], minlength=m) > 0,
        known=np.bincount(slot, weights=known, minlength=m).astype(np.int64),
        total=total.astype(np.int64),
        unknown_share=np.divide(
            weight_all - weight_known, weight_all, out=np.zeros_like(weight_all), where=weight_all > 0
        ),
    )


def _max_by_slot(slot: np.ndarray, values: np.ndarray, m: int) -> np.ndarray:
    out = np.full(m, NO_DAY, dtype=np.int64)
    np.maximum.at(out, slot, values)
    return out
