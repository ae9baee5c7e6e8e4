"""Delivery confidence on the five-point scale of UK public project assurance (IPA).

A measure that is neither done, not started nor late gets the worst of four component scores
(0 green .. 4 red), so a worse gap, a later forecast or staleness can never improve the rating:

    gap to plan (tol = tolerance_pp)       forecast slip (days after due)      staleness
    gap >= 0              -> 0 green       no forecast (too few reports) -> 0  stale -> 2
    -tol   <= gap < 0     -> 1 amber/green slip <= 0                     -> 0
    -2 tol <= gap < -tol  -> 2 amber       0 < slip <= slip_amber_red    -> 2
    -3 tol <= gap < -2tol -> 3 amber/red   slip_amber_red < slip <= red  -> 3
    gap < -3 tol          -> 4 red         slip > slip_red_days, or the
    gap unknown           -> 1 amber/green   line is flat / too slow     -> 4

Done and not started are green; late is red. Every at-risk measure is therefore amber or worse
and every on-track measure green or amber/green.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from .settings import DEFAULT_SETTINGS, PlanSettings
from .statuses import DONE, LATE, MEASURE_STATUS_BY_CODE, NOT_STARTED, MeasureStatus


class Confidence(StrEnum):
    GREEN = "green"
    AMBER_GREEN = "amber_green"
    AMBER = "amber"
    AMBER_RED = "amber_red"
    RED = "red"

    @property
    def severity(self) -> int:
        """0 (green) .. 4 (red); larger is worse."""
        return CONFIDENCE_BY_SCORE.index(self)


CONFIDENCE_BY_SCORE = (
    Confidence.GREEN,
    Confidence.AMBER_GREEN,
    Confidence.AMBER,
    Confidence.AMBER_RED,
    Confidence.RED,
)


def confidence_scores(
    status: np.ndarray,
    gap: np.ndarray,
    slip: np.ndarray,
    stalled: np.ndarray,
    stale: np.ndarray,
    settings: PlanSettings,
) -> np.ndarray:
    """Score 0..4 per measure. ``gap`` and ``slip`` are floats, NaN when unknown; ``stalled``
    marks a forecast line that never reaches 100% (flat, falling or too slow)."""
    tol = settings.tolerance_pp
    gap_score = np.select(
        [np.isnan(gap), gap >= 0, gap >= -tol, gap >= -2 * tol, gap >= -3 * tol], [1, 0, 1, 2, 3], 4
    )
    slip_score = np.select(
        [
            stalled,
            np.isnan(slip) | (slip <= 0),
            slip <= settings.slip_amber_red_days,
            slip <= settings.slip_red_days,
        ],
        [4, 0, 2, 3],
        4,
    )
    in_progress = np.maximum(np.maximum(gap_score, slip_score), np.where(stale, 2, 0))
    return np.select([status == DONE, status == NOT_STARTED, status == LATE], [0, 0, 4], in_progress)


def rate_confidence(
    status: MeasureStatus | str,
    gap: float | None,
    slip_days: int | None,
    *,
    stalled: bool = False,
    stale: bool = False,
    settings: PlanSettings = DEFAULT_SETTINGS,
) -> Confidence:
    """The rating for one set of figures (the same rule the batch applies)."""
    code = MEASURE_STATUS_BY_CODE.index(MeasureStatus(status))
    score = confidence_scores(
        np.array([code]),
        np.array([np.nan if gap is None else gap], dtype=np.float64),
        np.array([np.nan if slip_days is None else slip_days], dtype=np.float64),
        np.array([stalled]),
        np.array([stale]),
        settings,
    )
    return CONFIDENCE_BY_SCORE[int(score[0])]


def worst(ratings) -> Confidence | None:
    """The worst of some ratings (None for none)."""
    scores = [CONFIDENCE_BY_SCORE.index(rating) for rating in ratings if rating is not None]
    return CONFIDENCE_BY_SCORE[max(scores)] if scores else None
