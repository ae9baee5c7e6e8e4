"""Likelihood of delivery: how comparable measures actually went (reference-class forecasting).

Plain Python and numpy, no Django. The reference class of an open measure is the plan's resolved
measures (due before the date, so whether they finished on time is known) that stood where it stands
now: at the same share of their planned duration (four quarters), as far behind their straight
planned line (no report yet, on plan or ahead, up to 10 points behind, 10-25, more than 25), and with
the same outlook from the engine's forecast line then (none, by the due date, after it or never). Only
measures due before the date count: measures still within their term that finished early would count
while their slower peers could not, which would flatter every estimate.

The classes nest: the plan by standing alone, the plan by standing and outlook, its sphere, its
sphere and lead agency. The probability of finishing by the due date starts from a documented prior
for the gap (``PRIOR_ON_TIME``) and is shrunk towards each narrower class by what that class shows,
with the class above worth ``STRENGTH`` measures:
``p = (on_time + STRENGTH * p_above) / (n + STRENGTH)``. With no history it is the prior; with a long
history it is the class's own rate. The 80% interval of the finish date comes from the narrowest class
with at least ``QUANTILE_MIN`` measures: the 10th and 90th percentiles of their finish relative to
their due date, in shares of their planned duration (``PRIOR_SLIP`` when no class has enough).

A measure already past its due date has probability 0; its interval comes from comparable late
measures that ran at least as late as it does now.

The five-point confidence rating of an open measure is read from the probability (``score_of``),
never better than amber while it is at risk or stale.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .forecast import forecast_finish
from .history import NO_DAY, KnownHistory
from .settings import DEFAULT_SETTINGS, PlanSettings
from .statuses import FORECAST_OK, NOTE_NOT_INCREASING, NOTE_TOO_SLOW

CHECKPOINTS = (0.125, 0.375, 0.625, 0.875)  # where a resolved measure's standing is read (quarter centres)
QUARTER_EDGES = (0.25, 0.5, 0.75)
NO_REPORT, ON_PLAN, SLIGHTLY_BEHIND, BEHIND, FAR_BEHIND = range(5)
ANY, NO_FORECAST, FORECAST_ON_TIME, FORECAST_LATE = -1, 0, 1, 2  # outlook from the forecast line
# Judgement-based prior: how often public-programme measures that stood so far behind finished on
# time (most overrun; those ahead usually hold). Replaced by the plan's own history as it grows.
PRIOR_ON_TIME = {NO_REPORT: 0.35, ON_PLAN: 0.75, SLIGHTLY_BEHIND: 0.55, BEHIND: 0.30, FAR_BEHIND: 0.12}
# Prior 80% interval of the finish, in shares of the planned duration after the due date.
PRIOR_SLIP = {
    NO_REPORT: (-0.05, 0.60),
    ON_PLAN: (-0.10, 0.20),
    SLIGHTLY_BEHIND: (-0.05, 0.35),
    BEHIND: (0.0, 0.60),
    FAR_BEHIND: (0.10, 1.00),
}
STRENGTH = 8.0  # the class above counts as this many measures
EXPLAIN_MIN = 5  # a class is quoted in the explanation from this many measures
QUANTILE_MIN = 10  # a class gives the interval from this many measures
LATE_SAMPLE = 400  # late measures' slips kept for the interval of measures already past due
ALL = ""  # the plan-wide class in the sphere and agency slots


@dataclass(frozen=True, slots=True)
class Resolved:
    """A measure due before the date: its schedule, its finish (NO_DAY: not finished) and its reports."""

    start: int
    due: int
    finish: int
    sphere: str
    agency: str
    history: Sequence[tuple[int, float]]  # (day, accepted progress), by day
    key: object = None  # what the caller knows it by (the store: the measure's id)


@dataclass(slots=True)
class Cell:
    n: int = 0
    on_time: int = 0
    low: float | None = None  # 10th percentile of the relative finish (set once there are enough)
    high: float | None = None


@dataclass(frozen=True, slots=True)
class ReferenceTable:
    """What the plan's resolved measures say, by class (sphere, agency, quarter, gap)."""

    as_of: dt.date
    resolved: int
    cells: Mapping[tuple[str, str, int, int, int], Cell]  # (sphere, agency, quarter, stood, outlook)
    late_slips: tuple[float, ...]  # relative finish after due of measures that ran late, sorted

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "resolved": self.resolved,
            "cells": [[*key, c.n, c.on_time, c.low, c.high] for key, c in self.cells.items()],
            "late_slips": list(self.late_slips),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> ReferenceTable:
        cells = {
            (s, a, q, g, o): Cell(n, k, low, high) for s, a, q, g, o, n, k, low, high in data.get("cells", [])
        }
        as_of = dt.date.fromisoformat(data["as_of"])
        return cls(as_of, data.get("resolved", 0), cells, tuple(data.get("late_slips", ())))


EMPTY = ReferenceTable(dt.date.min, 0, {}, ())


@dataclass(frozen=True, slots=True)
class Basis:
    """What the likelihood rests on, for its explanation: the class quoted and what it shows."""

    level: str  # "sphere_agency", "sphere", "plan", "prior", "late", "late_few"
    sphere: str
    agency: str
    quarter: int  # 0..3: the share of its term the measure has run
    stood: int  # NO_REPORT .. FAR_BEHIND
    n: int
    on_time: int
    outlook: int = ANY  # of the class quoted: ANY when it is not told apart by outlook
    # How the explanation names the sphere and the agency: a text or {"en": .., "ru": .., "kk": ..}.
    sphere_name: object = None
    agency_name: object = None


@dataclass(frozen=True, slots=True)
class Likelihood:
    probability: float  # of finishing by the due date, 0..1
    finish_low: dt.date  # 80% interval of the finish date
    finish_high: dt.date
    basis: Basis


def quarter_of(elapsed: float) -> int:
    return bisect.bisect_right(QUARTER_EDGES, elapsed)


def stood_of(progress: float | None, elapsed: float) -> int:
    """The gap to the straight planned line (progress - elapsed share), in bins."""
    if progress is None:
        return NO_REPORT
    gap = progress - 100.0 * min(max(elapsed, 0.0), 1.0)
    if gap >= 0:
        return ON_PLAN
    if gap >= -10:
        return SLIGHTLY_BEHIND
    if gap >= -25:
        return BEHIND
    return FAR_BEHIND


def outlook_of(note: int, finish: int, due: int) -> int:
    """What the engine's forecast line says: none, by the due date, or after it (or never)."""
    if note == FORECAST_OK:
        return FORECAST_ON_TIME if finish <= due else FORECAST_LATE
    if note in (NOTE_NOT_INCREASING, NOTE_TOO_SLOW):
        return FORECAST_LATE
    return NO_FORECAST


@dataclass(frozen=True, slots=True)
class Standing:
    """A resolved measure as the reference keeps it: its schedule, its finish and where it stood at each
    checkpoint it reached unfinished, as (quarter, gap bin, outlook). None of it changes with the date
    (the forecast line at a checkpoint rests on the reports known then), so the daily step keeps each
    measure's standing and reads the facts only of measures resolved since: ``table_of`` turns the
    standings into the table as of any later date (the slips of unfinished measures grow with it)."""

    key: object
    start: int
    due: int
    finish: int
    sphere: str
    agency: str
    checkpoints: tuple[tuple[int, int, int], ...]

    def to_json(self) -> list:
        flat = [v for point in self.checkpoints for v in point]
        return [self.key, self.start, self.due, self.finish, self.sphere, self.agency, flat]

    @classmethod
    def from_json(cls, data: Sequence) -> Standing:
        key, start, due, finish, sphere, agency, flat = data
        points = tuple(tuple(flat[i : i + 3]) for i in range(0, len(flat), 3))
        return cls(key, start, due, finish, sphere, agency, points)


def standings(
    measures: Iterable[Resolved], as_of: dt.date, settings: PlanSettings = DEFAULT_SETTINGS
) -> list[Standing]:
    """Where each resolved measure (due before ``as_of``) stood at its checkpoints."""
    day = as_of.toordinal()
    kept: list[tuple[Resolved, list[tuple[int, int]]]] = []
    days: list[int] = []
    values: list[float] = []
    first: list[int] = []
    count: list[int] = []
    for m in measures:
        if m.due >= day or m.start == NO_DAY or m.due <= m.start:
            continue
        span = m.due - m.start
        finished = m.finish != NO_DAY and m.finish <= day
        report_days = [d for d, _ in m.history]
        points = []
        for share in CHECKPOINTS:
            at = m.start + share * span
            if finished and m.finish <= at:
                break
            known = bisect.bisect_right(report_days, at)
            progress = m.history[known - 1][1] if known else None
            points.append((quarter_of(share), stood_of(progress, share)))
            # The forecast line as it stood then: the reports known at the checkpoint.
            first.append(len(days))
            count.append(known)
            days.extend(report_days[:known])
            values.extend(v for _, v in m.history[:known])
        kept.append((m, points))
    forecast = forecast_finish(
        KnownHistory(
            day=np.asarray(days, dtype=np.int64),
            progress=np.asarray(values, dtype=np.float64),
            first=np.asarray(first, dtype=np.int64),
            count=np.asarray(count, dtype=np.int64),
        ),
        day,
        settings,
    )
    notes, finishes = forecast.note.tolist(), forecast.finish.tolist()
    out, at = [], 0
    for m, points in kept:
        checkpoints = []
        for quarter, stood in points:
            checkpoints.append((quarter, stood, outlook_of(notes[at], finishes[at], m.due)))
            at += 1
        finish = m.finish if m.finish != NO_DAY and m.finish <= day else NO_DAY
        out.append(Standing(m.key, m.start, m.due, finish, m.sphere, m.agency, tuple(checkpoints)))
    return out


def _sorted_quantile(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile of each run ``values[start : start + size]`` of already sorted values, as
    ``np.quantile``'s "linear" method gives it (the same floats: from below for t < 0.5, else from above)."""
    position = (sizes - 1) * q
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, sizes - 1)
    t = position - low
    a, b = values[starts + low], values[starts + high]
    return np.where(t >= 0.5, b - (b - a) * (1 - t), a + (b - a) * t)


def _quantiles(groups: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> dict[int, tuple[float, float]]:
    """The 10th and 90th percentile of ``values`` within each group in ``wanted``, for all groups at
    once: one sort, not one ``np.quantile`` per cell."""
    order = np.lexsort((values, groups))
    groups, values = groups[order], values[order]
    starts = np.searchsorted(groups, wanted, side="left")
    sizes = np.searchsorted(groups, wanted, side="right") - starts
    low, high = (_sorted_quantile(values, starts, sizes, q) for q in (0.1, 0.9))
    return {int(g): (float(lo), float(hi)) for g, lo, hi in zip(wanted, low, high, strict=True)}


def table_of(kept: Iterable[Standing], as_of: dt.date) -> ReferenceTable:
    """The reference table as of ``as_of`` from the resolved measures' standings (numpy: every point
    at once; a plan of 20,000 measures has some 40,000 checkpoints, each counted in four classes)."""
    day = as_of.toordinal()
    kept = [m for m in kept if m.due < day]
    if not kept:
        return ReferenceTable(as_of, 0, {}, ())
    start, due, finish = (np.array([getattr(m, name) for m in kept], dtype=np.int64) for name in
                          ("start", "due", "finish"))  # fmt: skip
    finished = (finish != NO_DAY) & (finish <= day)
    on_time = finished & (finish <= due)
    # Not finished: it runs at least this late (a lower bound, which keeps intervals modest).
    slip = (np.where(finished, finish, day) - due) / (due - start)
    classes: dict[tuple[str, str], int] = {}
    owner, points = [], []
    for i, m in enumerate(kept):
        cls = classes.setdefault((m.sphere, m.agency), len(classes))
        for point in m.checkpoints:
            owner.append(i)
            points.append((cls, *point))
    named = list(classes)
    if points:
        cls, quarter, stood, outlook = np.array(points, dtype=np.int64).T
        owner = np.asarray(owner, dtype=np.int64)
        spheres = {s for s, _ in named}
        sphere_id = {s: k for k, s in enumerate(sorted(spheres))}
        sphere = np.array([sphere_id[s] for s, _ in named], dtype=np.int64)[cls]
        n = len(points)
        # The four classes a point counts in: (sphere, class, quarter, stood, outlook), -1 for "any".
        keys = np.empty((4 * n, 5), dtype=np.int64)
        keys[:, 2], keys[:, 3] = np.tile(quarter, 4), np.tile(stood, 4)
        keys[:n, 0], keys[:n, 1], keys[:n, 4] = -1, -1, ANY
        keys[n : 2 * n, 0], keys[n : 2 * n, 1], keys[n : 2 * n, 4] = -1, -1, outlook
        keys[2 * n : 3 * n, 0], keys[2 * n : 3 * n, 1], keys[2 * n : 3 * n, 4] = sphere, -1, outlook
        keys[3 * n :, 0], keys[3 * n :, 1], keys[3 * n :, 4] = sphere, cls, outlook
        # One int per class (mixed radix over the five parts, each shifted to start at 0): a flat
        # np.unique is far cheaper than one over rows.
        radix = np.array([len(sphere_id) + 1, len(named) + 1, 4, 5, 4], dtype=np.int64)
        shifted = keys + np.array([1, 1, 0, 0, 1], dtype=np.int64)
        code = shifted[:, 0]
        for k in range(1, 5):
            code = code * radix[k] + shifted[:, k]
        _codes, first, cell_of = np.unique(code, return_index=True, return_inverse=True)
        unique = keys[first]
        member_slip, member_on_time = np.tile(slip[owner], 4), np.tile(on_time[owner], 4)
        counts = np.bincount(cell_of, minlength=len(unique))
        timely = np.bincount(cell_of, weights=member_on_time, minlength=len(unique))
        enough = np.flatnonzero(counts >= QUANTILE_MIN)
        bounds = _quantiles(cell_of, member_slip, enough) if enough.size else {}
        by_sphere_id = {k: s for s, k in sphere_id.items()}
        cells = {}
        for c, (s, a, q, g, o) in enumerate(unique.tolist()):
            key = (
                ALL if s < 0 else by_sphere_id[s],
                ALL if a < 0 else named[a][1],
                q,
                g,
                o,
            )
            low, high = bounds.get(c, (None, None))
            cells[key] = Cell(int(counts[c]), int(timely[c]), low, high)
    else:
        cells = {}
    late = sorted(slip[~on_time].tolist())
    if len(late) > LATE_SAMPLE:  # evenly thinned: the quantiles stay, the stored table stays small
        late = [late[int(i)] for i in np.linspace(0, len(late) - 1, LATE_SAMPLE)]
    return ReferenceTable(as_of, len(kept), cells, tuple(round(s, 4) for s in late))


def learn(
    measures: Iterable[Resolved], as_of: dt.date, settings: PlanSettings = DEFAULT_SETTINGS
) -> ReferenceTable:
    """The reference table from the plan's resolved measures (due before ``as_of``)."""
    return table_of(standings(measures, as_of, settings), as_of)


def estimate(
    table: ReferenceTable,
    sphere: str,
    agency: str,
    start: dt.date | None,
    due: dt.date,
    progress: float | None,
    as_of: dt.date,
    outlook: int = NO_FORECAST,
    tails: list[tuple[float, float]] | None = None,
    by_class: dict | None = None,
) -> Likelihood:
    """The likelihood of one open measure as of ``as_of`` (``outlook``: its forecast's, ``outlook_of``).
    ``tails`` and ``by_class`` (a dict the caller keeps) save work when many measures share a table."""
    day, end = as_of.toordinal(), due.toordinal()
    begin = start.toordinal() if start is not None else end - 365  # no start: read as a year's term
    span = max(end - begin, 1)
    elapsed = (day - begin) / span
    quarter = min(max(quarter_of(elapsed), 0), 3)
    stood = stood_of(progress, elapsed)
    if day > end:
        return _late(table, sphere, agency, quarter, stood, day, end, span, tails)
    key = (sphere, agency, quarter, stood, outlook)
    known = by_class.get(key) if by_class is not None else None
    if known is None:
        known = _class_estimate(table, *key)
        if by_class is not None:
            by_class[key] = known
    p, quoted, interval = known
    low = max(day, round(end + interval[0] * span))
    high = max(low, round(end + interval[1] * span))
    return Likelihood(p, dt.date.fromordinal(low), dt.date.fromordinal(high), quoted)


def _class_estimate(table, sphere, agency, quarter, stood, outlook) -> tuple[float, Basis, tuple]:
    """(probability, the class quoted, the interval in shares of the term) of a measure standing so:
    the same for every measure of the class, whatever its dates."""
    p = PRIOR_ON_TIME[stood]
    quoted = Basis("prior", sphere, agency, quarter, stood, 0, 0)
    interval = PRIOR_SLIP[stood]
    for level, key in (
        ("plan", (ALL, ALL, quarter, stood, ANY)),
        ("plan", (ALL, ALL, quarter, stood, outlook)),
        ("sphere", (sphere, ALL, quarter, stood, outlook)),
        ("sphere_agency", (sphere, agency, quarter, stood, outlook)),
    ):
        cell = table.cells.get(key)
        if cell is None:
            continue
        p = (cell.on_time + STRENGTH * p) / (cell.n + STRENGTH)
        if cell.n >= EXPLAIN_MIN:
            quoted = Basis(level, sphere, agency, quarter, stood, cell.n, cell.on_time, key[4])
        if cell.low is not None:
            interval = (cell.low, cell.high)
    return round(p, 4), quoted, interval


def _late(table, sphere, agency, quarter, stood, day, end, span, tails=None) -> Likelihood:
    """Past due: never on time; when it may finish, from late measures that ran at least this late.
    ``tails``: ``tail_quantiles(table)``, for rating many measures by one table."""
    now = (day - end) / span
    first = bisect.bisect_left(table.late_slips, now)
    later = len(table.late_slips) - first
    if later >= EXPLAIN_MIN:
        low_q, high_q = (tails or tail_quantiles(table))[first]
        low, high = max(day, round(end + low_q * span)), max(day, round(end + high_q * span))
        basis = Basis("late", sphere, agency, quarter, stood, later, 0)
    else:
        low, high = day, day + max(30, span // 2)
        basis = Basis("late_few", sphere, agency, quarter, stood, later, 0)
    return Likelihood(0.0, dt.date.fromordinal(low), dt.date.fromordinal(max(low, high)), basis)


def tail_quantiles(table: ReferenceTable) -> list[tuple[float, float]]:
    """For each position i in the sorted late slips: the 10th and 90th percentile of the slips from i on
    (what ``_late`` quotes for a measure already that late), all computed at once."""
    slips = np.asarray(table.late_slips, dtype=np.float64)
    starts = np.arange(slips.size)
    sizes = slips.size - starts
    low, high = (_sorted_quantile(slips, starts, sizes, q).tolist() for q in (0.1, 0.9))
    return list(zip(low, high, strict=True))


def score_of(probability: float) -> int:
    """The five-point rating (0 green .. 4 red) a probability of delivering on time reads as."""
    if probability >= 0.8:
        return 0
    if probability >= 0.6:
        return 1
    if probability >= 0.4:
        return 2
    if probability >= 0.2:
        return 3
    return 4


def rate(
    judgements: Sequence,
    classes: Sequence[tuple[str, str]],
    table: ReferenceTable | None,
    names: Mapping[str, Mapping[str, object]] | None = None,
) -> list:
    """The judgements with each open measure's likelihood, and its confidence read from it.

    ``classes`` are (sphere, lead agency) codes per judgement; ``names`` ({"sphere": {code: name},
    "agency": {code: name}}) name them in explanations. Done measures and measures that declare an
    outcome get none and keep their rating. The rating is the probability's, but an at-risk or stale
    measure is never better than amber, a late one always red.
    """
    from .confidence import CONFIDENCE_BY_SCORE
    from .statuses import ForecastNote, MeasureStatus

    table = table or EMPTY
    spheres, agencies = (names or {}).get("sphere"), (names or {}).get("agency")
    tails = None  # the late measures' intervals, computed once the first late measure asks
    by_class: dict = {}  # what each reference class says, worked out once
    out = []
    for j, (sphere, agency) in zip(judgements, classes, strict=True):
        # Done: nothing left to forecast. A declared outcome is met by a model's verdict, which the pace
        # of comparable works does not predict.
        if j.status == MeasureStatus.DONE or j.outcome is not None:
            out.append(j)
            continue
        outlook = NO_FORECAST
        if j.forecast_note is None and j.forecast_finish is not None:
            outlook = FORECAST_ON_TIME if j.forecast_finish <= j.due else FORECAST_LATE
        elif j.forecast_note in (ForecastNote.NOT_INCREASING, ForecastNote.TOO_SLOW):
            outlook = FORECAST_LATE
        if tails is None and j.as_of > j.due:
            tails = tail_quantiles(table)
        likely = estimate(
            table, sphere, agency, j.start, j.due, j.progress, j.as_of, outlook, tails, by_class
        )
        if spheres is not None or agencies is not None:
            basis = dataclasses.replace(
                likely.basis,
                sphere_name=(spheres or {}).get(sphere, sphere),
                agency_name=(agencies or {}).get(agency, agency),
            )
            likely = dataclasses.replace(likely, basis=basis)
        score = score_of(likely.probability)
        if j.status == MeasureStatus.AT_RISK or j.stale:
            score = max(score, 2)
        if j.status == MeasureStatus.LATE:
            score = 4
        out.append(dataclasses.replace(j, likelihood=likely, confidence=CONFIDENCE_BY_SCORE[score]))
    return out
