"""Planned progress at the as-of date.

The planned curve runs through knots: (start, 0), the milestones, (due, 100), linearly between
them. Before start the plan is 0; from the due date on it is 100. Without a start date there is
no planned curve before the first knot: planned progress is unknown (NaN) until the first
milestone, or until the due date when there are none.

Milestones travel flat (``Knots``), like report histories, so a hundred thousand curves are one
set of arrays and the planned value of every measure is computed without a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .facts import TrajectoryPoint


@dataclass(frozen=True, slots=True)
class Knots:
    """Every measure's milestones: measure i's are ``day[first[i] : first[i] + count[i]]``, by date."""

    first: np.ndarray  # int64
    count: np.ndarray  # int64
    day: np.ndarray  # int64 ordinals
    planned: np.ndarray  # float64 percent

    @classmethod
    def of(cls, trajectories: Sequence[tuple[TrajectoryPoint, ...]]) -> Knots:
        count = np.fromiter(map(len, trajectories), np.int64, len(trajectories))
        points = [p for points in trajectories for p in points]
        return cls(
            first=np.cumsum(count) - count,
            count=count,
            day=np.fromiter((p.on.toordinal() for p in points), np.int64, len(points)),
            planned=np.fromiter((p.planned for p in points), np.float64, len(points)),
        )

    def around(self, as_of: int) -> Knots:
        """Only the milestones next to ``as_of`` (the last on or before it, the first after it): the
        planned value at as_of, and on every later day before the next milestone, is the same."""
        owner = np.repeat(np.arange(self.count.size), self.count)
        passed = np.bincount(owner[self.day <= as_of], minlength=self.count.size)
        keep = np.zeros(self.day.size, dtype=bool)
        has_left = passed > 0
        keep[(self.first + passed - 1)[has_left]] = True
        has_right = passed < self.count
        keep[(self.first + passed)[has_right]] = True
        count = np.bincount(owner[keep], minlength=self.count.size).astype(np.int64)
        return Knots(np.cumsum(count) - count, count, self.day[keep], self.planned[keep])


def planned_progress(
    start: np.ndarray,
    has_start: np.ndarray,
    due: np.ndarray,
    knots: Knots,
    as_of: int,
) -> np.ndarray:
    """Planned percent per measure at ``as_of`` (NaN where there is no planned curve yet).

    ``start`` and ``due`` are ordinals; ``start`` is ignored where ``has_start`` is False.
    """
    # Default: one segment (start, 0) -> (due, 100), or only the knot (due, 100) without a start.
    first_knot = np.where(has_start, start, due)
    t0, p0 = first_knot.astype(np.float64), np.zeros(due.shape)
    t1, p1 = due.astype(np.float64), np.full(due.shape, 100.0)
    before = as_of < first_knot
    after = as_of >= due

    picked = np.flatnonzero(knots.count > 0)
    if picked.size:
        seg = _milestone_segments(picked, start, has_start, due, knots, as_of)
        t0[picked], p0[picked], t1[picked], p1[picked], before[picked], after[picked] = seg

    inside = ~before & ~after
    span = np.where(inside, t1 - t0, 1.0)  # inside implies t0 <= as_of < t1, so span > 0
    planned = p0 + (p1 - p0) * ((as_of - t0) / span)
    return np.where(after, 100.0, np.where(before, np.where(has_start, 0.0, np.nan), planned))


def _milestone_segments(picked, start, has_start, due, knots: Knots, as_of):
    """The segment of the knots (start, milestones, due) holding ``as_of``, for measures with milestones."""
    lead = has_start[picked].astype(np.int64)
    count = knots.count[picked]
    size = count + 1 + lead
    first = np.cumsum(size) - size
    total = int(size.sum())
    day = np.empty(total, dtype=np.int64)
    planned = np.empty(total, dtype=np.float64)
    # The start knot, then the measure's milestones in order, then the due knot.
    starts = first[lead == 1]
    day[starts] = start[picked][lead == 1]
    planned[starts] = 0.0
    milestone_owner = np.repeat(np.arange(picked.size), count)
    rank = np.arange(milestone_owner.size) - np.repeat(np.cumsum(count) - count, count)
    source = np.repeat(knots.first[picked], count) + rank
    target = first[milestone_owner] + lead[milestone_owner] + rank
    day[target] = knots.day[source]
    planned[target] = knots.planned[source]
    ends = first + size - 1
    day[ends] = due[picked]
    planned[ends] = 100.0

    owner = np.repeat(np.arange(picked.size), size)
    passed = np.bincount(owner[day <= as_of], minlength=picked.size)  # knots on or before as_of
    before = passed == 0
    after = passed == size
    left = np.where(before | after, first, first + passed - 1)
    right = np.where(before | after, first, left + 1)
    return (
        day[left].astype(np.float64),
        planned[left],
        day[right].astype(np.float64),
        planned[right],
        before,
        after,
    )
