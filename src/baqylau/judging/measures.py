"""Judging measures as of a date: the judgement, and the batch pipeline that produces it.

The pipeline works on whole columns (numpy arrays, one entry per measure) so that judging
100,000 measures stays well within the speed budget; ``judge_measure`` is a batch of one, so
the single and the batch answers cannot drift apart. Status rules, in order of precedence:

1. done        - completion accepted on or before as_of, or the latest accepted report is 100%
                 (a parent without own reports: every child done)
2. not_started - as_of is before the start date
3. late        - as_of is after the due date (on the due date itself a measure is not late)
4. at_risk     - behind the planned trajectory by more than tolerance_pp, or the forecast finish
                 is after the due date (or the fitted line never reaches 100%), or stale
5. on_track    - otherwise
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import numpy as np

from .confidence import CONFIDENCE_BY_SCORE, Confidence, confidence_scores
from .facts import MeasureFacts, OutcomeFact
from .forecast import Forecast, clamp, forecast_finish
from .history import NO_DAY, completion_day, known_history, latest
from .measure_reasons import measure_reasons
from .parents import Level, hierarchy_levels, roll_up_children
from .reasons import Reason
from .settings import DEFAULT_SETTINGS, PlanSettings
from .statuses import (
    AT_RISK,
    DONE,
    FORECAST_NOTE_BY_CODE,
    FORECAST_OK,
    LATE,
    MEASURE_STATUS_BY_CODE,
    NOT_STARTED,
    NOTE_CHILD_MISSING,
    NOTE_DONE,
    NOTE_NOT_INCREASING,
    NOTE_TOO_SLOW,
    ON_TRACK,
    ForecastNote,
    MeasureStatus,
    ProgressSource,
)
from .trajectory import Knots, planned_progress


@dataclass(frozen=True, slots=True)
class MeasureJudgement:
    """The verdict on one measure as of a date, with the figures it rests on.

    Percentages are 0..100; ``gap`` is progress - planned in percentage points. ``None`` means
    unknown, never zero. ``reasons`` and ``explain()`` are computed only when asked.
    """

    kind: ClassVar[str] = "measure"

    key: str
    as_of: date
    status: MeasureStatus
    confidence: Confidence
    progress: float | None  # accepted progress at as_of (100 once done)
    planned: float | None  # planned progress at as_of; None before due when there is no curve
    gap: float | None  # progress - planned
    behind: bool  # gap < -tolerance_pp
    forecast_finish: date | None
    forecast_note: ForecastNote | None  # why there is no forecast (None when there is one)
    slip_days: int | None  # forecast (or, once done, actual) finish minus due; positive is late
    finished_on: date | None  # when done: the accepted completion or the report that reached 100%
    last_report_on: date | None  # latest accepted report on or before as_of (children's for a parent)
    days_since_report: int | None  # as_of - last_report_on
    stale: bool
    report_count: int  # own accepted reports on or before as_of
    forecast_points: int  # reports the forecast line was fitted over
    progress_source: ProgressSource
    children_total: int
    children_known: int  # children whose progress is known
    unknown_weight_share: float | None  # 0..1 share of the children's weight with unknown progress
    start: date | None
    due: date
    weight: float
    settings: PlanSettings
    outcome: OutcomeFact | None = None  # the declared outcome as of as_of, when the measure has one

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return measure_reasons(self)


def judge_measure(
    facts: MeasureFacts,
    as_of: date,
    settings: PlanSettings = DEFAULT_SETTINGS,
    *,
    descendants: Sequence[MeasureFacts] = (),
) -> MeasureJudgement:
    """Judge one measure; a parent needs its ``descendants`` (children, their children, ...)."""
    return judge_measures([facts, *descendants], as_of, settings)[0]


def judge_measures(
    facts: Sequence[MeasureFacts], as_of: date, settings: PlanSettings = DEFAULT_SETTINGS
) -> list[MeasureJudgement]:
    """Judge every measure as of ``as_of``; results are in the order of ``facts``.

    Parents must come with all their descendants in the same batch (ValueError otherwise).
    """
    if not isinstance(facts, list | tuple):
        facts = list(facts)
    if not facts:
        return []
    hierarchy_levels([f.key for f in facts], [f.children for f in facts])  # validate before any work
    return judge_own(own_figures(facts, as_of, settings), as_of, settings)


@dataclass(frozen=True, slots=True)
class OwnFigures:
    """What each measure's own facts say as of a date, in columns (index i is one measure).

    Everything here stays true on later days until a new fact is known (a report, a completion, a
    milestone of the planned curve passed): ``judge_own`` turns it into judgements for any such day,
    so the judgement store re-decides a plan as time passes without reading its facts again. Dates
    are ordinals, NO_DAY for none; the forecast finish is not clamped to a date.
    """

    keys: tuple[str, ...]
    children: tuple[tuple[str, ...], ...]
    start: np.ndarray
    due: np.ndarray
    weight: np.ndarray
    completed: np.ndarray  # accepted completion; it counts from its day on
    knots: Knots  # milestones of the planned curve
    has_own: np.ndarray  # an own progress report is known
    last_report: np.ndarray  # latest own report, with or without a figure
    own_progress: np.ndarray  # of the latest own report (NaN when none)
    report_count: np.ndarray
    completion_day: np.ndarray  # first report of the final run of 100% reports (NO_DAY if none)
    forecast: Forecast
    # Declared outcomes (None where a measure has none): such a measure is done when its outcome is met,
    # never because its children or a report say so. Empty: no measure declares one.
    outcomes: tuple[OutcomeFact | None, ...] = ()

    def with_outcomes(self, outcomes: Mapping[str, OutcomeFact]) -> OwnFigures:
        """The same figures with these measures' outcomes (by key) as of the day they were taken."""
        if not outcomes:
            return dataclasses.replace(self, outcomes=())
        return dataclasses.replace(self, outcomes=tuple(outcomes.get(key) for key in self.keys))


def own_figures(
    facts: Sequence[MeasureFacts], as_of: date, settings: PlanSettings = DEFAULT_SETTINGS
) -> OwnFigures:
    """Each measure's own figures from its facts, reports after ``as_of`` ignored."""
    day = as_of.toordinal()
    n = len(facts)
    history = known_history([f.history for f in facts], day)
    has_own, last_report, own_progress = latest(history)
    # A report without a progress figure (a narrative) still shows the agency is reporting.
    narrative = _ordinals([f.last_report_on for f in facts])
    completed = _ordinals([f.completed_on for f in facts])
    return OwnFigures(
        keys=tuple(f.key for f in facts),
        children=tuple(f.children for f in facts),
        start=_ordinals([f.start for f in facts]),
        due=_ordinals([f.due for f in facts]),
        weight=np.fromiter((f.weight for f in facts), np.float64, n),
        # A completion dated after as_of is not known yet.
        completed=np.where(completed <= day, completed, NO_DAY),
        knots=Knots.of([f.trajectory for f in facts]),
        has_own=has_own,
        last_report=np.maximum(last_report, np.where(narrative <= day, narrative, NO_DAY)),
        own_progress=own_progress,
        report_count=history.count,
        completion_day=completion_day(history),
        forecast=forecast_finish(history, day, settings),
    )


def judge_own(
    own: OwnFigures, as_of: date, settings: PlanSettings = DEFAULT_SETTINGS
) -> list[MeasureJudgement]:
    """Judge every measure as of ``as_of`` from its own figures (taken on or before that day)."""
    if not own.keys:
        return []
    levels = hierarchy_levels(own.keys, own.children)
    day = as_of.toordinal()
    columns = _time_figures(own, day, settings)
    _roll_up_parents(columns, levels)
    verdict = _decide(columns, day, settings)
    return _judgements(own, as_of, settings, columns, verdict)


class _Columns:
    """Per-measure working arrays of one batch (index i is facts[i])."""

    __slots__ = (
        "children_known",
        "completed",
        "completed_known",
        "declared",
        "done",
        "due",
        "finish",
        "finished",
        "from_children",
        "has_own",
        "has_start",
        "last_report",
        "met",
        "note",
        "planned",
        "points",
        "progress",
        "report_count",
        "start",
        "unknown_share",
        "weight",
    )


def _time_figures(own: OwnFigures, day: int, settings: PlanSettings) -> _Columns:
    """The own figures as of ``day``: the planned value, completion and forecast on that day."""
    c = _Columns()
    n = len(own.keys)
    c.start, c.due, c.weight = own.start, own.due, own.weight
    c.has_start = c.start != NO_DAY
    c.completed = own.completed
    c.planned = planned_progress(c.start, c.has_start, c.due, own.knots, day)
    c.has_own = own.has_own
    c.last_report = own.last_report.copy()
    c.report_count = own.report_count
    c.completed_known = (c.completed != NO_DAY) & (c.completed <= day)
    reached_100 = c.has_own & (own.own_progress >= 100.0)
    # A declared outcome decides completion: met on its day, else not done whatever the reports say.
    c.declared, met_on = _outcome_columns(own, n)
    c.met = c.declared & (met_on != NO_DAY) & (met_on <= day)
    c.done = np.where(c.declared, c.met, c.completed_known | reached_100)
    # The accepted completion date wins over the date a report first said 100%.
    c.finished = np.where(
        c.declared,
        np.where(c.met, met_on, NO_DAY),
        np.where(c.completed_known, c.completed, np.where(reached_100, own.completion_day, NO_DAY)),
    )
    c.progress = np.where(c.done, 100.0, own.own_progress)

    c.finish = clamp(own.forecast.finish, day)
    c.note = np.where(c.done, NOTE_DONE, own.forecast.note).astype(np.int8)
    c.points = np.where(c.done, 0, own.forecast.points)

    c.from_children = np.zeros(n, dtype=bool)
    c.children_known = np.zeros(n, dtype=np.int64)
    c.unknown_share = np.full(n, np.nan)
    return c


def _outcome_columns(own: OwnFigures, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(declared, met_on ordinal) per measure from the own figures' outcomes."""
    if not own.outcomes:
        return np.zeros(n, dtype=bool), np.full(n, NO_DAY, dtype=np.int64)
    declared = np.fromiter((o is not None for o in own.outcomes), bool, n)
    met_on = np.fromiter(
        (o.met_on.toordinal() if o is not None and o.met_on is not None else NO_DAY for o in own.outcomes),
        np.int64,
        n,
    )
    return declared, met_on


def _roll_up_parents(c: _Columns, levels: list[Level]) -> None:
    """Parents without own reports take progress, completion, last report and forecast from
    their children, one height at a time so children are final before their parents read them."""
    for level in levels:
        rolled = roll_up_children(
            level, c.progress, c.done, c.weight, c.finished, c.last_report, c.finish, c.note == FORECAST_OK
        )
        c.children_known[level.parents] = rolled.known
        c.unknown_share[level.parents] = rolled.unknown_share

        derive = ~c.has_own[level.parents]  # parents with own reports keep their own figures
        p = level.parents[derive]
        declared = c.declared[p]
        all_done = rolled.all_done[derive] & ~declared  # an outcome goal is done by its outcome only
        own_done = np.where(declared, c.met[p], c.completed_known[p])
        done = own_done | all_done
        c.from_children[p] = ~own_done | declared
        c.done[p] = done
        c.finished[p] = np.where(
            own_done,
            np.where(declared, c.finished[p], c.completed[p]),
            np.where(all_done, rolled.finished[derive], NO_DAY),
        )
        # Children still roll up progress for an outcome goal; its done-ness is the outcome's.
        c.progress[p] = np.where(done, 100.0, rolled.progress[derive])
        c.last_report[p] = rolled.last_report[derive]
        c.finish[p] = rolled.forecast[derive]
        c.note[p] = np.where(
            done, NOTE_DONE, np.where(rolled.forecast_missing[derive], NOTE_CHILD_MISSING, FORECAST_OK)
        )
        c.points[p] = 0


@dataclass(frozen=True, slots=True)
class _Verdict:
    status: np.ndarray
    score: np.ndarray
    gap: np.ndarray
    behind: np.ndarray
    stale: np.ndarray
    forecast_ok: np.ndarray
    slip: np.ndarray
    has_slip: np.ndarray


def _decide(c: _Columns, day: int, settings: PlanSettings) -> _Verdict:
    """Gap, slip and staleness, then the status and the confidence rating."""
    gap = c.progress - c.planned  # NaN when either is unknown
    behind = gap < -settings.tolerance_pp
    forecast_ok = c.note == FORECAST_OK
    stalled = (c.note == NOTE_NOT_INCREASING) | (c.note == NOTE_TOO_SLOW)  # never reaches 100%
    forecast_slip = np.where(forecast_ok, c.finish - c.due, 0)
    slipping = (forecast_ok & (forecast_slip > 0)) | stalled

    # Silence counts from the last report, or from the start when there has been none; done and
    # not-yet-started measures owe no reports.
    anchor = np.where(c.last_report != NO_DAY, c.last_report, np.where(c.has_start, c.start, NO_DAY))
    started = ~c.has_start | (c.start <= day)
    silent_too_long = day - anchor > settings.reporting_interval_days
    stale = ~c.done & started & (anchor != NO_DAY) & silent_too_long

    outcome_short = c.declared & ~c.met
    status = np.select(
        [c.done, c.has_start & (day < c.start), day > c.due, behind | slipping | stale | outcome_short],
        [DONE, NOT_STARTED, LATE, AT_RISK],
        ON_TRACK,
    )
    score = confidence_scores(
        status, gap, np.where(forecast_ok, forecast_slip, np.nan), stalled, stale | outcome_short, settings
    )
    return _Verdict(
        status=status,
        score=score,
        gap=gap,
        behind=behind,
        stale=stale,
        forecast_ok=forecast_ok,
        # Once done, the slip is the actual one: finished minus due.
        slip=np.where(forecast_ok, forecast_slip, c.finished - c.due),
        has_slip=forecast_ok | (c.done & (c.finished != NO_DAY)),
    )


_SOURCES = (ProgressSource.NONE, ProgressSource.OWN, ProgressSource.CHILDREN)


def _judgements(
    own: OwnFigures, as_of: date, settings: PlanSettings, c: _Columns, v: _Verdict
) -> list[MeasureJudgement]:
    """Back to Python objects, column by column (much faster than converting per measure)."""
    n = len(own.keys)
    day = as_of.toordinal()
    has_report = c.last_report != NO_DAY
    source = np.where(c.from_children, 2, np.where(c.has_own | c.completed_known, 1, 0))
    return list(
        map(
            MeasureJudgement,
            own.keys,
            [as_of] * n,
            [MEASURE_STATUS_BY_CODE[code] for code in v.status.tolist()],
            [CONFIDENCE_BY_SCORE[score] for score in v.score.tolist()],
            _floats(c.progress),
            _floats(c.planned),
            _floats(v.gap),
            v.behind.tolist(),
            _dates(np.where(v.forecast_ok, c.finish, NO_DAY)),
            [FORECAST_NOTE_BY_CODE[code] for code in c.note.tolist()],
            _optional_ints(v.slip, v.has_slip),
            _dates(c.finished),
            _dates(c.last_report),
            _optional_ints(day - c.last_report, has_report),
            v.stale.tolist(),
            c.report_count.tolist(),
            c.points.tolist(),
            [_SOURCES[s] for s in source.tolist()],
            [len(children) for children in own.children],
            c.children_known.tolist(),
            _floats(c.unknown_share),
            _dates(own.start),
            _dates(own.due),
            c.weight.tolist(),
            [settings] * n,
            list(own.outcomes) if own.outcomes else [None] * n,
        )
    )


def _ordinals(days: list[date | None]) -> np.ndarray:
    return np.fromiter((NO_DAY if d is None else d.toordinal() for d in days), np.int64, len(days))


def _dates(ordinals: np.ndarray) -> list[date | None]:
    fromordinal = date.fromordinal
    return [None if o == NO_DAY else fromordinal(o) for o in ordinals.tolist()]


def _floats(values: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]  # NaN != NaN


def _optional_ints(values: np.ndarray, present: np.ndarray) -> list[int | None]:
    return [v if ok else None for v, ok in zip(values.tolist(), present.tolist(), strict=True)]
