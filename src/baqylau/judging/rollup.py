"""Roll-ups of judgements by any grouping: plan, sphere, territory, agency, ...

Per group: counts per status (every status listed, zeros included, adding up to the group's
items), progress weighted by the measures' weights normalised over the items whose progress is
known, the count and weight share of items with unknown progress shown separately (never
folded in as 0), and the worst confidence. Roll up one level of a hierarchy at a time (e.g.
top-level measures, or leaves only): a parent and its children together would count twice.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .confidence import CONFIDENCE_BY_SCORE, Confidence
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


@dataclass(slots=True)
class GroupTotals:
    """A group's figures in additive form: adding or removing one item updates them exactly.

    The judgement store keeps these per plan and grouping and moves an item from one verdict to
    another without re-reading the group; ``summary()`` turns them into the figures people see.
    Items are judgements, or anything with their ``status``, ``weight``, ``progress`` and
    ``confidence`` (measures) / ``status`` (instructions).
    """

    kind: str = "measure"
    total: int = 0
    counts: dict = field(default_factory=dict)  # status -> items
    confidence_counts: dict = field(default_factory=dict)  # confidence -> items (measures)
    weight: float = 0.0
    weight_known: float = 0.0
    weighted: float = 0.0  # sum of weight x progress over items with known progress
    known: int = 0

    def add(self, item, sign: int = 1) -> None:
        """Count ``item`` in (sign 1) or out (sign -1) of the group."""
        self.total += sign
        self.counts[str(item.status)] = self.counts.get(str(item.status), 0) + sign
        if self.kind == "instruction":
            return
        confidence = str(item.confidence)
        self.confidence_counts[confidence] = self.confidence_counts.get(confidence, 0) + sign
        self.weight += sign * item.weight
        if item.progress is not None:
            self.known += sign
            self.weight_known += sign * item.weight
            self.weighted += sign * item.weight * item.progress

    def summary(self) -> GroupSummary:
        statuses = MeasureStatus if self.kind == "measure" else InstructionStatus
        counts = {status: self.counts.get(status, 0) for status in statuses}
        if self.kind == "instruction":
            return GroupSummary(self.total, counts, None, None, None, None, None, None)
        # Removing items again can leave float dust (1e-13) where the group is empty of known items.
        known_weight = self.weight_known if self.known > 0 else 0.0
        present = [c for c in CONFIDENCE_BY_SCORE if self.confidence_counts.get(c, 0) > 0]
        return GroupSummary(
            total=self.total,
            counts=counts,
            # Zero-weight items count in the status counts but not in the weighted progress.
            progress=min(100.0, max(0.0, self.weighted / known_weight)) if known_weight > 0 else None,
            known=self.known,
            unknown=self.total - self.known,
            weight=self.weight,
            unknown_weight_share=(self.weight - known_weight) / self.weight if self.weight > 0 else None,
            worst_confidence=present[-1] if present else None,
        )


def totals(items: Iterable[MeasureJudgement | InstructionJudgement]) -> GroupTotals:
    items = list(items)
    group = GroupTotals(kind=_kind(items))
    for item in items:
        group.add(item)
    return group


def summarise(items: Iterable[MeasureJudgement | InstructionJudgement]) -> GroupSummary:
    """One summary over all ``items`` (all measures, or all instructions)."""
    return totals(items).summary()


def group_totals(
    items: Iterable[MeasureJudgement | InstructionJudgement], group_by: GroupBy
) -> dict[Hashable, GroupTotals]:
    """Totals per group, in order of first appearance (see ``rollup`` for ``group_by``)."""
    items = list(items)
    kind = _kind(items)
    key_of = (lambda item: group_by[item.key]) if isinstance(group_by, Mapping) else group_by
    groups: dict[Hashable, GroupTotals] = {}
    for item in items:
        keys = key_of(item)
        # A key listed twice still counts the item once.
        for key in dict.fromkeys(keys) if isinstance(keys, MULTI_KEY_TYPES) else (keys,):
            group = groups.get(key)
            if group is None:
                group = groups[key] = GroupTotals(kind=kind)
            group.add(item)
    return groups


def rollup(
    items: Iterable[MeasureJudgement | InstructionJudgement], group_by: GroupBy
) -> dict[Hashable, GroupSummary]:
    """Summaries per group, in order of first appearance.

    ``group_by`` is a function of the judgement or a mapping from the judgement's key; either
    gives a group key, or a tuple/list/set of keys for an item that belongs to several groups
    (a measure in two territories counts in both). An empty collection puts the item in no
    group. A mapping that lacks an item's key raises KeyError: nothing is dropped silently.
    """
    return {key: group.summary() for key, group in group_totals(items, group_by).items()}


def _kind(items: list) -> str:
    kinds = {item.kind for item in items}
    if len(kinds) > 1:
        raise TypeError("roll up measures and instructions separately")
    return kinds.pop() if kinds else "measure"
