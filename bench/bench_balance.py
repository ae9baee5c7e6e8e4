"""Benchmark: a 10-year monthly water balance for 50 synthetic zones and 200 synthetic sources, of which
N_POOLED are pooled networks (like the regional pipeline) reaching 5-20 zones each, half of them fully
pooled, half partly; the rest serve 1-3 zones by fixed shares.

Budget: under 0.2 s per balance. Run: .venv/bin/python bench/bench_balance.py
The data is synthetic (random, seeded) and says so in every figure's source.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from baqylau.balance import (
    Assumption,
    Assumptions,
    PopulationPoint,
    Source,
    Stage,
    WaterInputs,
    Zone,
    water_balance,
    what_if,
)

BUDGET_S = 0.2
N_ZONES, N_SOURCES, START, END = 50, 200, date(2024, 1, 1), date(2033, 12, 31)
N_POOLED = 10  # the first N_POOLED sources
RUNS = 7


def synthetic(value: float) -> Assumption:
    return Assumption(value, source="synthetic (bench/bench_balance.py)")


def synthetic_inputs(seed: int = 7) -> WaterInputs:
    rng = random.Random(seed)
    zones = tuple(
        Zone(
            f"Z{i:02d}",
            f"Synthetic zone {i}",
            tuple(
                PopulationPoint(date(year, 1, 1), synthetic(rng.uniform(5_000, 300_000)))
                for year in (2020, 2024, 2030)
            ),
        )
        for i in range(N_ZONES)
    )
    sources = []
    for j in range(N_SOURCES):
        baseline = rng.choice([0.0, rng.uniform(1_000, 50_000)])
        stages, capacity, when = [], baseline, START
        for _ in range(rng.randint(0, 3)):
            capacity += rng.uniform(1_000, 30_000)
            when += timedelta(days=rng.randint(30, 1_200))
            stages.append(Stage(synthetic(capacity), when, "synthetic"))
        sources.append(Source(f"S{j:03d}", f"Synthetic source {j}", synthetic(baseline), tuple(stages)))
    shares, pooled = {}, {}
    for j, source in enumerate(sources):  # a fixed-share source serves 1-3 zones, a pooled one 5-20
        served = rng.sample(zones, rng.randint(5, 20) if j < N_POOLED else rng.randint(1, 3))
        weights = [rng.random() for _ in served]
        shares |= {
            (source.code, z.code): synthetic(w / sum(weights)) for w, z in zip(weights, served, strict=True)
        }
        if j < N_POOLED:
            pooled[source.code] = synthetic(1.0 if j % 2 == 0 else rng.uniform(0.3, 0.9))
    assumptions = Assumptions(
        norm_l_person_day={z.code: synthetic(rng.uniform(125, 350)) for z in zones},
        other_consumers_m3_day={z.code: synthetic(rng.uniform(0, 5_000)) for z in zones},
        seasonal_factor={m: synthetic(1.2 if m in (6, 7, 8) else 1.0) for m in range(1, 13)},
        availability={s.code: synthetic(rng.uniform(0.7, 1.0)) for s in sources},
        baseline_availability={s.code: synthetic(0.8) for s in sources[::10]},
        served_share=shares,
        pooled_share=pooled,
    )
    return WaterInputs(zones, tuple(sources), assumptions)


def best_of(runs: int, call) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    t0 = time.perf_counter()
    inputs = synthetic_inputs()
    build = time.perf_counter() - t0
    n_stages = sum(len(s.stages) for s in inputs.sources)
    water_balance(inputs, START, END)  # warm-up

    balance_s = best_of(RUNS, lambda: water_balance(inputs, START, END))
    moved = what_if(inputs, "S000", capacity_m3_day=99_000, stage=None)
    what_if_s = best_of(
        RUNS, lambda: water_balance(moved, START, END).deficit - water_balance(inputs, START, END).deficit
    )

    result = water_balance(inputs, START, END)
    months, spare = len(result.months), result.total("spare").mean()
    print(
        f"synthetic inputs: {N_ZONES} zones, {N_SOURCES} sources ({N_POOLED} pooled, {n_stages} stages), "
        f"{months} months; mean spare pooled water {spare:,.0f} m³/day, mean deficit "
        f"{result.total('deficit').mean():,.0f} m³/day"
    )
    print(f"building inputs (not timed against the budget): {build * 1000:.1f} ms")
    ratio = balance_s / BUDGET_S
    print(f"water_balance, best of {RUNS}: {balance_s * 1000:.2f} ms = {ratio:.3f} x the {BUDGET_S} s budget")
    print(f"what-if (two balances + difference), best of {RUNS}: {what_if_s * 1000:.2f} ms")
    print("OK: within budget" if balance_s < BUDGET_S else "OVER BUDGET")


if __name__ == "__main__":
    main()
