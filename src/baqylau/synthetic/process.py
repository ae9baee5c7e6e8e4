"""The delay process behind the synthetic plans: how long measures really take, and what gets reported.

Plain numpy, no Django. Each leaf measure has a planned duration D (due - start) and a pace drawn
from a log-normal distribution whose mean depends on its sphere and its lead agency (some spheres and
some agencies are reliably slower: the reference classes a forecaster can learn from):

    log(pace) = sphere_effect[sphere] + agency_effect[agency] + noise,   noise ~ N(0, PACE_NOISE)
    true duration = D / pace;   true finish = start + D / pace

Progress at day t is 100 * (t - start) / true duration (capped at 100), reported with a little noise,
never going backwards, and 100 only from the true finish. Agencies report every 25-85 days; a few
stop reporting for a while (stale measures). All of it is a function of the seed, so a held-out seed
gives an independent plan with the same process (the likelihood backtest uses that).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PACE_NOISE = 0.30
SPHERE_EFFECT_SD = 0.22
AGENCY_EFFECT_SD = 0.18
PACE_SHIFT = -0.05  # on the whole, a little slower than planned, as public programmes tend to be


@dataclass(frozen=True)
class Effects:
    sphere: np.ndarray  # log-pace shift per sphere index
    agency: np.ndarray  # log-pace shift per agency index


def draw_effects(rng: np.random.Generator, spheres: int, agencies: int) -> Effects:
    return Effects(
        sphere=rng.normal(PACE_SHIFT, SPHERE_EFFECT_SD, spheres),
        agency=rng.normal(0.0, AGENCY_EFFECT_SD, agencies),
    )


def true_durations(
    rng: np.random.Generator,
    planned_days: np.ndarray,
    sphere: np.ndarray,
    agency: np.ndarray,
    effects: Effects,
) -> np.ndarray:
    """Days each measure really takes (at least 14)."""
    log_pace = (
        effects.sphere[sphere] + effects.agency[agency] + rng.normal(0.0, PACE_NOISE, planned_days.size)
    )
    return np.maximum(14, np.round(planned_days / np.exp(log_pace))).astype(np.int64)


def report_days(
    rng: np.random.Generator, start: int, finish: int, today: int, stops_reporting: bool
) -> np.ndarray:
    """Ordinal days of one measure's reports: every 25-85 days from a month after the start, up to
    today or the finish (a final report on the finish day itself)."""
    days = []
    day = start + int(rng.integers(20, 45))
    last = min(today, finish)
    pause_from = start + int(rng.integers(60, 400)) if stops_reporting else None
    while day < last:
        if pause_from is None or day < pause_from:
            days.append(day)
        day += int(rng.integers(25, 86))
    if finish <= today:
        days.append(finish)
    return np.asarray(days, dtype=np.int64)


def reported_progress(
    rng: np.random.Generator, days: np.ndarray, start: int, duration: int, finish: int
) -> np.ndarray:
    """Progress reported on ``days``: true progress with noise, monotone, 100 only at the finish."""
    if days.size == 0:
        return np.zeros(0)
    true = 100.0 * np.clip((days - start) / duration, 0.0, 1.0)
    noisy = np.clip(true + rng.normal(0.0, 3.0, days.size), 0.0, 99.0)
    noisy = np.maximum.accumulate(np.round(noisy, 1))
    return np.where(days >= finish, 100.0, noisy)
