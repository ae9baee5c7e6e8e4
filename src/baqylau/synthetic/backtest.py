"""Backtest of the likelihood of delivery on synthetic plans whose true finishes are known.

Plans are generated with seeds held out from the ones the method was tuned on (1, 11, 12), as of a
date; the judgement store rates each plan's open measures as it would any plan's, learning only from
that plan's own history as known on that date. The scores pool the plans (more measures per decile).
The generator's delay process (``process.py``) knows when each measure really finishes, so every
probability is scored against what then happens:

- calibration: the open leaf measures by decile of their probability; in each decile with enough
  measures the share that finished on time should be within 10 percentage points of the mean
  probability;
- Brier score (mean squared error of the probability against 0/1), against the status-only baseline:
  the on-time rate, in the same plan's history, of measures that stood on track (within the tolerance
  of the straight planned line, the forecast not late) or at risk (the rest) at the same point of
  their term, which is what a reader of the status alone could say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from baqylau.assessment import store
from baqylau.assessment.likelihood import table_for
from baqylau.assessment.models import MeasureVerdict
from baqylau.judging import likelihood as engine
from baqylau.plans.models import Plan

from .generate import National, _national_code, generate_national, remove, true_schedule

MIN_IN_DECILE = 80  # deciles with fewer measures are shown, not judged (10 points is 1.8 sigma at 80)
HELD_OUT = (2, 3, 4)
TOLERANCE = 0.10


@dataclass(frozen=True)
class Decile:
    low: float
    high: float
    count: int
    mean_probability: float
    on_time_share: float

    @property
    def judged(self) -> bool:
        return self.count >= MIN_IN_DECILE

    @property
    def gap(self) -> float:
        return abs(self.mean_probability - self.on_time_share)


@dataclass(frozen=True)
class Result:
    seeds: tuple[int, ...]
    as_of: dt.date
    measures: int  # open leaf measures scored
    on_time_share: float
    brier: float
    baseline_brier: float
    deciles: list[Decile]

    @property
    def calibrated(self) -> bool:
        judged = [d for d in self.deciles if d.judged]
        return bool(judged) and all(d.gap <= TOLERANCE for d in judged)

    def lines(self) -> list[str]:
        out = [
            f"likelihood backtest, seeds {', '.join(map(str, self.seeds))}, as of {self.as_of}: "
            f"{self.measures} open measures, "
            f"{100 * self.on_time_share:.1f}% finished on time",
            f"Brier score: {self.brier:.4f} (status-only baseline {self.baseline_brier:.4f})",
            "decile        measures  mean p  on time  gap",
        ]
        for d in self.deciles:
            mark = "" if d.judged else "  (too few to judge)"
            figures = f"{d.count:8d}  {d.mean_probability:6.3f}  {d.on_time_share:7.3f}  {d.gap:5.3f}"
            out.append(f"{d.low:.1f}-{d.high:.1f}     {figures}{mark}")
        out.append(
            "calibrated within 10 points in every judged decile" if self.calibrated else "NOT calibrated"
        )
        return out


def _status_rates(table: engine.ReferenceTable) -> dict[str, float]:
    """On-time rate by the status a reader would have seen, from the plan-wide cells of the table:
    on track (within the tolerance of the planned line, the forecast not late) or at risk (the rest)."""
    counts = {"on_track": [0, 0], "at_risk": [0, 0]}
    for (sphere, agency, _quarter, stood, outlook), cell in table.cells.items():
        if sphere != engine.ALL or agency != engine.ALL or outlook == engine.ANY:
            continue
        within = stood in (engine.ON_PLAN, engine.SLIGHTLY_BEHIND) and outlook != engine.FORECAST_LATE
        counts["on_track" if within else "at_risk"][0] += cell.n
        counts["on_track" if within else "at_risk"][1] += cell.on_time
    rates = {status: k / n if n else 0.5 for status, (n, k) in counts.items()}
    n, k = (sum(column) for column in zip(*counts.values(), strict=True))
    rates["not_started"] = k / n if n else 0.5
    return rates


def run(
    seeds: tuple[int, ...] = HELD_OUT, measures: int = 5000, as_of: dt.date | None = None, keep: bool = False
) -> Result:
    """Generate the held-out plans, let the store judge each as of ``as_of`` (today), score them pooled."""
    from django.utils import timezone

    as_of = as_of or timezone.localdate()
    p, baseline, y = [], [], []
    for seed in seeds:
        for columns, values in zip((p, baseline, y), _one_plan(seed, measures, as_of, keep), strict=True):
            columns.extend(values)
    return score(tuple(seeds), as_of, np.asarray(p, float), np.asarray(baseline, float), np.asarray(y, bool))


def _one_plan(seed: int, measures: int, as_of: dt.date, keep: bool) -> tuple[list, list, list]:
    shape = National(plans=1, measures_per_plan=measures, seed=seed)
    remove(seed)
    generate_national(shape, as_of, progress=lambda _line: None)
    plan = Plan.objects.get(code=_national_code(seed, 0))
    store.ensure_current(plan)
    truth = true_schedule(shape, as_of)
    finish = dict(zip(truth.codes, truth.finish.tolist(), strict=True))
    rows = MeasureVerdict.objects.filter(
        plan=plan, is_leaf=True, status__in=("on_track", "at_risk", "not_started"), due__gte=as_of
    ).values_list("measure__code", "status", "likelihood", "due")
    rates = _status_rates(table_for(plan, as_of))
    p, baseline, y = [], [], []
    for code, status, probability, due in rows:
        p.append(probability)
        baseline.append(rates[status])
        y.append(finish[code] <= due.toordinal())
    if not keep:
        remove(seed)
    return p, baseline, y


def score(
    seeds: tuple[int, ...], as_of: dt.date, p: np.ndarray, baseline: np.ndarray, y: np.ndarray
) -> Result:
    deciles = []
    for i in range(10):
        low, high = i / 10, (i + 1) / 10
        inside = (p >= low) & ((p < high) if i < 9 else (p <= high))
        if inside.any():
            deciles.append(
                Decile(low, high, int(inside.sum()), float(p[inside].mean()), float(y[inside].mean()))
            )
    return Result(
        seeds=seeds,
        as_of=as_of,
        measures=int(p.size),
        on_time_share=float(y.mean()) if y.size else 0.0,
        brier=float(np.mean((p - y) ** 2)) if y.size else 0.0,
        baseline_brier=float(np.mean((baseline - y) ** 2)) if y.size else 0.0,
        deciles=deciles,
    )
