"""The words judgements are made of. String enums, so ``status == "late"`` just works."""

from __future__ import annotations

from enum import StrEnum


class MeasureStatus(StrEnum):
    DONE = "done"
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"


class InstructionStatus(StrEnum):
    EXECUTED = "executed"
    OPEN = "open"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    WITHDRAWN = "withdrawn"
    # Judged as of a date before the instruction existed; the Django side normally filters these.
    NOT_ISSUED = "not_issued"


class ForecastNote(StrEnum):
    """Why a measure has no forecast finish date."""

    DONE = "done"  # nothing left to forecast
    TOO_FEW_REPORTS = "too_few_reports"  # fewer than forecast_min_points reports, or all on one day
    NOT_INCREASING = "not_increasing"  # the fitted line is flat or falling
    TOO_SLOW = "too_slow"  # the fitted line reaches 100% only after 9999-12-31
    CHILD_FORECAST_MISSING = "child_forecast_missing"  # a parent whose unfinished child has no forecast


class ProgressSource(StrEnum):
    OWN = "own"  # the measure's own latest accepted report (or its accepted completion)
    CHILDREN = "children"  # a parent without own reports: weighted roll-up of its children
    NONE = "none"  # no report and no children: progress unknown


# Integer codes the vectorised pipeline works with; the tuples map them back to the enums.
MEASURE_STATUS_BY_CODE = (
    MeasureStatus.DONE,
    MeasureStatus.NOT_STARTED,
    MeasureStatus.ON_TRACK,
    MeasureStatus.AT_RISK,
    MeasureStatus.LATE,
)
DONE, NOT_STARTED, ON_TRACK, AT_RISK, LATE = range(5)

FORECAST_NOTE_BY_CODE = (
    None,
    ForecastNote.DONE,
    ForecastNote.TOO_FEW_REPORTS,
    ForecastNote.NOT_INCREASING,
    ForecastNote.TOO_SLOW,
    ForecastNote.CHILD_FORECAST_MISSING,
)
FORECAST_OK, NOTE_DONE, NOTE_TOO_FEW, NOTE_NOT_INCREASING, NOTE_TOO_SLOW, NOTE_CHILD_MISSING = range(6)
