"""Roll-ups of judgements by any grouping: plan, sphere, territory, agency, ...

Per group: counts per status (every status listed, zeros included, adding up to the group's
items), progress weighted by the measures' weights normalised over the items whose progress is
known, the count and weight share of items with unknown progress shown separately (never
folded in as 0), and the worst confidence. Roll up one level of a hierarchy at a time (e.g.
top-level measures, or leaves only): a parent and its children together would count twice.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .confidence import Confidence, worst
from .instructions import InstructionJudgement
from .measures import MeasureJudgement
from .statuses import InstructionStatus, MeasureStatus

# A group key that is one of these stands for several groups, and the item counts in each.
MULTI_KEY_TYPES = (tuple, list, set, frozenset)


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """Figures of one group. The progress fields are None for instruction groups."""

    total: int
    counts: Mapping[str, int]  # status -> number of items
    progress: float | None  # weighted mean over items with known progress; None if none is known
    known: int | None  # items with known progress
    unknown: int | None  # items with unknown progress
    weight: float | None  # total weight of the group's items
    unknown_weight_share: float | None  # 0..1 share of the weight whose progress is unknown
    worst_confidence: Confidence | None


GroupBy = Callable[[Any], Any] | Mapping[str, Any]


def summarise(items: Iterable[MeasureJudgement | InstructionJudgement]) -> GroupSummary:
    """One summary over all ``items`` (all measures, or all instructions)."""
    items = list(items)
    kind = _kind(items)
    statuses = MeasureStatus if kind == "measure" else InstructionStatus
    counts = dict.fromkeys(statuses, 0)
    for item in items:
        counts[item.status] += 1
    if kind == "instruction":
        return GroupSummary(len(items), counts, None, None, None, None, None, None)

    weight_all = weight_known = weighted = 0.0
    known = 0
    for item in items:
        weight_all += item.weight
        if item.progress is not None:
            known += 1
            weight_known += item.weight
            weighted += item.weight * item.progress
    return GroupSummary(
        total=len(items),
        counts=counts,
        # Zero-weight items count in the status counts but not in the weighted progress.
        progress=min(100.0, max(0.0, weighted / weight_known)) if weight_known > 0 else None,
        known=known,
        unknown=len(items) - known,
        weight=weight_all,
        unknown_weight_share=(weight_all - weight_known) / weight_all if weight_all > 0 else None,
        worst_confidence=worst(item.confidence for item in items),
    )


def rollup(
    items: Iterable[MeasureJudgement | InstructionJudgement], group_by: GroupBy
) -> dict[Hashable, GroupSummary]:
    """Summaries per group, in order of first appearance.

    ``group_by`` is a function of the judgement or a mapping from the judgement's key; either
    gives a group key, or a tuple/list/set of keys for an item that belongs to several groups
    (a measure in two territories counts in both). An empty collection puts the item in no
    group. A mapping that lacks an item's key raises KeyError: nothing is dropped silently.
    """
    key_of = (lambda item: group_by[item.key]) if isinstance(group_by, Mapping) else group_by
    members: dict[Hashable, list] = {}
    for item in items:
        keys = key_of(item)
        if isinstance(keys, MULTI_KEY_TYPES):
            for key in dict.fromkeys(keys):  # a key listed twice still counts the item once
                members.setdefault(key, []).append(item)
        else:
            members.setdefault(keys, []).append(item)
    return {key: summarise(group) for key, group in members.items()}


def _kind(items: list) -> str:
    kinds = {item.kind for item in items}
    if len(kinds) > 1:
        raise TypeError("roll up measures and instructions separately")
    return kinds.pop() if kinds else "measure"
