"""Benchmark: judge 100,000 synthetic measures with 10 accepted reports each, as of one date.

Run:  .venv/bin/python bench/bench_judging.py [--measures 100000] [--reports 10] [--repeat 3]

The requirement is that judging (``judge_measures`` on prepared facts) takes under 2 seconds
on one core; building the synthetic facts is timed and printed separately. All data here is
synthetic (keys SYNTH-000001, ...), generated from a fixed seed.
"""

from __future__ import annotations

import argparse
import gc
import time
from datetime import date, timedelta

import numpy as np

from baqylau.judging import MeasureFacts, PlanSettings, ProgressPoint, explain, judge_measures, summarise

BUDGET_SECONDS = 2.0
AS_OF = date(2025, 6, 30)


def synthetic_measures(count: int, reports: int, seed: int = 20250630) -> list[MeasureFacts]:
    """``count`` synthetic measures with ``reports`` accepted reports each (some after AS_OF)."""
    rng = np.random.default_rng(seed)
    base = date(2023, 1, 1)
    days = [base + timedelta(days=i) for i in range(6 * 366)]  # shared date objects
    start = rng.integers(0, 950, count)  # a few start after AS_OF
    length = rng.integers(120, 1100, count)
    first_report = start + rng.integers(10, 60, count)
    gaps = rng.integers(20, 70, (count, reports))
    report_day = first_report[:, None] + np.cumsum(gaps, axis=1) - gaps[:, :1]
    pace = rng.uniform(0.3, 1.5, count)[:, None]  # < 1: behind plan, > 1: ahead
    progress = np.clip(100.0 * pace * (report_day - start[:, None]) / length[:, None], 0, 100)
    progress = np.round(np.maximum.accumulate(progress + rng.normal(0, 2, progress.shape), axis=1), 1)
    progress = np.clip(progress, 0.0, 100.0)
    completed = rng.random(count) < 0.05

    # Build the frozen dataclasses the way a bulk loader would: flat, with map() over columns.
    points = list(
        map(ProgressPoint, map(days.__getitem__, report_day.ravel().tolist()), progress.ravel().tolist())
    )
    histories = [tuple(points[i : i + reports]) for i in range(0, len(points), reports)]
    last_report = report_day[:, -1].tolist()
    return list(
        map(
            MeasureFacts,
            [f"SYNTH-{i:06d}" for i in range(count)],
            map(days.__getitem__, start.tolist()),
            map(days.__getitem__, (start + length).tolist()),
            [days[d] if done else None for d, done in zip(last_report, completed.tolist(), strict=True)],
            histories,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    facts = synthetic_measures(args.measures, args.reports)
    build = time.perf_counter() - t0

    settings = PlanSettings()
    timings = []
    for _ in range(args.repeat):
        gc.collect()
        t0 = time.perf_counter()
        judgements = judge_measures(facts, AS_OF, settings)
        timings.append(time.perf_counter() - t0)
    judge = min(timings)

    t0 = time.perf_counter()
    sentences = [explain(j, "ru") for j in judgements[:1000]]
    explain_ms = (time.perf_counter() - t0) * 1000 / len(sentences)

    summary = summarise(judgements)
    print(f"measures: {args.measures:,} synthetic, {args.reports} accepted reports each, as of {AS_OF}")
    print(f"build facts:     {build:8.3f} s (not part of the budget)")
    print(f"judge (best of {args.repeat}): {judge:8.3f} s   runs: {', '.join(f'{t:.3f}' for t in timings)}")
    print(f"measures / s:    {args.measures / judge:12,.0f}")
    print(f"budget ratio:    {judge / BUDGET_SECONDS:8.2f} of {BUDGET_SECONDS:.0f} s")
    print(f"build + judge:   {build + judge:8.3f} s")
    print(f"explain (ru):    {explain_ms:8.3f} ms per judgement, on demand")
    print("statuses:", ", ".join(f"{status} {n:,}" for status, n in summary.counts.items()))
    print("example:", sentences[0])


if __name__ == "__main__":
    main()
