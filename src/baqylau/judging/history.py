"""Accepted progress histories as flat numpy arrays, cut at the as-of date.

Points of measure ``i`` are ``day[first[i] : first[i] + count[i]]``, oldest first. Only reports
dated on or before as_of are kept: judging as of a past date sees exactly what was known then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter

import numpy as np

from .facts import ProgressPoint

NO_DAY = -1  # ordinal sentinel for "no date"; real ordinals start at 1
_DAY_BITS = 22  # date.max.toordinal() < 2**22, so (owner << 22 | day) sorts by owner, then day

_on = attrgetter("on")
_progress = attrgetter("progress")


@dataclass(frozen=True, slots=True)
class KnownHistory:
    day: np.ndarray  # int64 ordinals
    progress: np.ndarray  # float64 percent
    first: np.ndarray  # int64 index of each measure's oldest known point
    count: np.ndarray  # int64 number of known points per measure


def known_history(histories: Sequence[Sequence[ProgressPoint]], as_of: int) -> KnownHistory:
    """Flatten ``histories`` (one per measure), dropping reports dated after ``as_of``."""
    n = len(histories)
    lengths = np.fromiter(map(len, histories), np.int64, n)
    total = int(lengths.sum())
    points = list(chain.from_iterable(histories))
    # map() over C callables is several times faster than a comprehension for a million points.
    day = np.fromiter(map(date.toordinal, map(_on, points)), np.int64, total)
    progress = np.fromiter(map(_progress, points), np.float64, total)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)

    keep = day <= as_of
    if not keep.all():
        owner, day, progress = owner[keep], day[keep], progress[keep]

    # Stable sort by (measure, day): equal dates keep their order in the tuple. Usually the
    # histories already arrive in date order and the sort is skipped.
    sort_key = (owner << _DAY_BITS) | day
    if sort_key.size > 1 and bool((sort_key[1:] < sort_key[:-1]).any()):
        order = np.argsort(sort_key, kind="stable")
        day, progress, owner = day[order], progress[order], owner[order]

    count = np.bincount(owner, minlength=n).astype(np.int64)
    first = np.cumsum(count) - count
    return KnownHistory(day=day, progress=progress, first=first, count=count)


def take(values: np.ndarray, index: np.ndarray, present: np.ndarray, fill) -> np.ndarray:
    """``values[index]`` where ``present``, else ``fill`` (safe when ``values`` is empty)."""
    if values.size == 0:
        return np.full(index.shape, fill, dtype=np.result_type(values.dtype, np.asarray(fill).dtype))
    return np.where(present, values[np.where(present, index, 0)], fill)


def latest(history: KnownHistory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per measure: (has a report, day of the latest report or NO_DAY, its progress or NaN)."""
    has = history.count > 0
    last = history.first + history.count - 1
    return has, take(history.day, last, has, NO_DAY), take(history.progress, last, has, np.nan)


def completion_day(history: KnownHistory) -> np.ndarray:
    """Day the final run of 100% reports began, for measures whose latest report is 100%.

    Re-reporting 100% a month later must not move the finish date; a dip below 100 in between
    starts the run again. NO_DAY where the latest report is below 100 or there is none.
    """
    has, _, last_progress = latest(history)
    finished = has & (last_progress >= 100.0)
    if not finished.any():
        return np.full(history.count.shape, NO_DAY, dtype=np.int64)
    position = np.arange(history.day.size, dtype=np.int64)
    # Running maximum of "last position below 100": positions from earlier measures are all
    # smaller than this measure's first point, so they read as "no dip in this measure".
    last_dip = np.maximum.accumulate(np.where(history.progress < 100.0, position, -1))
    last = history.first + history.count - 1
    dip = take(last_dip, last, finished, -1)
    run_start = np.where(dip >= history.first, dip + 1, history.first)
    return take(history.day, run_start, finished, NO_DAY)
