"""Roll-up totals of the store: one row per plan, kind, grouping and group (``judging.GroupTotals``).

A whole plan's totals are written at once; a change moves items between groups (``apply_delta``):
their new verdicts added, their old ones taken out, only the groups they count in read and written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from baqylau.core.bulk import bulk_insert
from baqylau.judging import GroupTotals

from ..models import GroupRollup

ROLLUP_COLUMNS = [
    "plan", "kind", "grouping", "key", "total", "counts", "confidence_counts", "weight", "weight_known",
    "weighted", "known",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Counted:
    """What a verdict contributes to its groups (the fields GroupTotals.add reads)."""

    status: str
    confidence: str | None
    weight: float
    progress: float | None


Totals = dict[tuple[str, str], GroupTotals]


def add(totals: Totals, kind: str, groupings, item, groups: dict, sign: int = 1) -> None:
    """Count ``item`` in (sign 1) or out (sign -1) of each of its ``groups`` of these groupings."""
    for grouping in groupings:
        for key in groups.get(grouping, ()):
            group = totals.get((grouping, key))
            if group is None:
                group = totals[(grouping, key)] = GroupTotals(kind=kind)
            group.add(item, sign)


def rows(plan_id: int, kind: str, totals: Totals) -> Iterable[tuple]:
    for (grouping, key), t in totals.items():
        counts, confidence = json.dumps(t.counts), json.dumps(t.confidence_counts)
        yield (
            plan_id,
            kind,
            grouping,
            key,
            t.total,
            counts,
            confidence,
            t.weight,
            t.weight_known,
            t.weighted,
            t.known,
        )


def replace(plan_id: int, kind: str, totals: Totals) -> None:
    """The plan's totals of ``kind``, all of them."""
    GroupRollup.objects.filter(plan_id=plan_id, kind=kind).delete()
    bulk_insert(GroupRollup, ROLLUP_COLUMNS, rows(plan_id, kind, totals))


def _stored(plan_id: int, kind: str, keys) -> Totals:
    """The stored totals of these groups (missing groups start empty)."""
    wanted = set(keys)
    found = {}
    stored = GroupRollup.objects.filter(plan_id=plan_id, kind=kind, grouping__in={g for g, _k in wanted})
    for row in stored.values(
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
        key = (row.pop("grouping"), row.pop("key"))
        if key in wanted:
            found[key] = GroupTotals(kind=kind, **row)
    return {key: found.get(key) or GroupTotals(kind=kind) for key in wanted}


def apply_delta(plan_id: int, kind: str, delta: Totals) -> None:
    """Stored totals plus the change; a group left with no item disappears."""
    if not delta:
        return
    stored = _stored(plan_id, kind, delta)
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
    for grouping in {g for g, _k in stored}:
        keys = [k for g, k in stored if g == grouping]
        GroupRollup.objects.filter(plan_id=plan_id, kind=kind, grouping=grouping, key__in=keys).delete()
    bulk_insert(
        GroupRollup, ROLLUP_COLUMNS, rows(plan_id, kind, {k: t for k, t in stored.items() if t.total})
    )
