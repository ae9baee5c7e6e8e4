"""Forecast finish dates: a least-squares line through the most recent accepted reports.

Why a least-squares line over a short recent window (default: the last 4 reports):
- recent reports describe the current pace; the whole history would drag the forecast towards
  an early slow (or fast) phase that no longer applies;
- a fit over several points is not thrown by one late or optimistic report, as the line through
  only the last two reports would be;
- it is easy to explain to the people who are judged by it.
Time is measured in days relative to the measure's latest known report, so the numbers stay small
and the line (and the day it reaches 100%) depends only on the measure's own reports, not on the
as-of date: the judgement store keeps the unclamped finish and re-decides it as days pass without
refitting. Sums run column by column in a fixed order (never a numpy reduction over a
variable-length segment), so a measure gets bit-identical results whether it is judged alone or
among a hundred thousand others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .history import KnownHistory, take
from .settings import PlanSettings
from .statuses import FORECAST_OK, NOTE_NOT_INCREASING, NOTE_TOO_FEW, NOTE_TOO_SLOW

_LAST_ORDINAL = date.max.toordinal()


@dataclass(frozen=True, slots=True)
class Forecast:
    # int64 ordinal of the first whole day the fitted line reaches 100%, not clamped to as_of (a line
    # that "already" reached 100 gives a past day; ``clamp`` makes it as_of); meaningful where note is OK
    finish: np.ndarray
    note: np.ndarray  # int8 code: FORECAST_OK or why there is no forecast
    points: np.ndarray  # int64 number of reports the line was fitted over


def clamp(finish: np.ndarray, as_of: int) -> np.ndarray:
    """A measure not done by as_of cannot have finished before it: such a forecast is as_of itself."""
    return np.maximum(finish, as_of)


def forecast_finish(history: KnownHistory, as_of: int, settings: PlanSettings) -> Forecast:
    """Fit each measure's last ``forecast_window`` known reports and find where the line hits 100."""
    window = settings.forecast_window
    used = np.minimum(history.count, window)
    oldest = history.first + history.count - used
    n = history.count.size
    has = history.count > 0
    # Days are counted from each measure's latest known report (as_of where there is none: no line).
    reference = take(history.day, history.first + history.count - 1, has, as_of)

    columns = []
    sum_t = np.zeros(n)
    sum_p = np.zeros(n)
    for k in range(window):
        valid = k < used
        index = oldest + k
        t = (take(history.day, index, valid, 0) - reference).astype(np.float64)
        t = np.where(valid, t, 0.0)
        p = take(history.progress, index, valid, 0.0)
        columns.append((valid, t, p))
        sum_t += t
        sum_p += p

    count = np.maximum(used, 1).astype(np.float64)
    mean_t = sum_t / count
    mean_p = sum_p / count
    sxx = np.zeros(n)
    sxy = np.zeros(n)
    for valid, t, p in columns:
        dt = np.where(valid, t - mean_t, 0.0)
        sxx += dt * dt
        sxy += dt * (p - mean_p)

    too_few = (used < settings.forecast_min_points) | (sxx <= 0.0)  # sxx == 0: all on one day
    not_increasing = ~too_few & (sxy <= 0.0)
    fitted = ~too_few & ~not_increasing
    slope = np.where(fitted, sxy, 1.0) / np.where(fitted, sxx, 1.0)
    # A vanishing slope (it may underflow to 0) gives inf: reaches 100 never, i.e. too slow.
    with np.errstate(over="ignore", divide="ignore"):
        reach_100 = mean_t + (100.0 - mean_p) / slope  # days after the latest report
    too_slow = fitted & (reach_100 > _LAST_ORDINAL - reference)
    ok = fitted & ~too_slow

    # Round up to the first whole day the line has reached 100 (the epsilon keeps float noise
    # such as 30.000000000004 from adding a day).
    days_after = np.ceil(np.where(ok, reach_100, 0.0) - 1e-9).astype(np.int64)
    note = np.select(
        [too_few, not_increasing, too_slow], [NOTE_TOO_FEW, NOTE_NOT_INCREASING, NOTE_TOO_SLOW], FORECAST_OK
    ).astype(np.int8)
    return Forecast(finish=reference + days_after, note=note, points=used)
