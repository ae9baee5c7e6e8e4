"""Planned progress at the as-of date.

The planned curve runs through knots: (start, 0), the milestones, (due, 100), linearly between
them. Before start the plan is 0; from the due date on it is 100. Without a start date there is
no planned curve before the first knot: planned progress is unknown (NaN) until the first
milestone, or until the due date when there are none.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .facts import TrajectoryPoint


def planned_progress(
    start: np.ndarray,
    has_start: np.ndarray,
    due: np.ndarray,
    trajectories: Sequence[tuple[TrajectoryPoint, ...]],
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

    with_milestones = [i for i, points in enumerate(trajectories) if points]
    if with_milestones:
        picked = np.asarray(with_milestones, dtype=np.int64)
        seg = _milestone_segments(picked, start, has_start, due, trajectories, as_of)
        t0[picked], p0[picked], t1[picked], p1[picked], before[picked], after[picked] = seg

    inside = ~before & ~after
    span = np.where(inside, t1 - t0, 1.0)  # inside implies t0 <= as_of < t1, so span > 0
    planned = p0 + (p1 - p0) * ((as_of - t0) / span)
    return np.where(after, 100.0, np.where(before, np.where(has_start, 0.0, np.nan), planned))


def _milestone_segments(picked, start, has_start, due, trajectories, as_of):
    """Segment of the knot list that holds ``as_of``, for measures with milestones."""
    knot_day: list[int] = []
    knot_planned: list[float] = []
    sizes: list[int] = []
    for i in picked.tolist():
        points = trajectories[i]
        if has_start[i]:
            knot_day.append(int(start[i]))
            knot_planned.append(0.0)
        knot_day.extend(point.on.toordinal() for point in points)
        knot_planned.extend(point.planned for point in points)
        knot_day.append(int(due[i]))
        knot_planned.append(100.0)
        sizes.append(len(points) + 1 + int(has_start[i]))

    day = np.asarray(knot_day, dtype=np.int64)
    planned = np.asarray(knot_planned, dtype=np.float64)
    size = np.asarray(sizes, dtype=np.int64)
    first = np.cumsum(size) - size
    owner = np.repeat(np.arange(size.size), size)
    passed = np.bincount(owner[day <= as_of], minlength=size.size)  # knots on or before as_of

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
