"""Benchmark: import a synthetic plan workbook of 10,000 measures into a fresh database.

Run:  .venv/bin/python bench/bench_workbook_import.py [--measures 10000] [--csv] [--keep DIR]

The requirement is that a workbook of 10,000 measures, with matching facilities, indicators,
targets and actuals and about 1,000 instructions, imports in under 60 seconds. Everything here is
synthetic (codes SYNTH-..., titles "Synthetic measure ..."), generated from a fixed seed. The
script sets Django up with the test settings and a temporary SQLite file (unless DATABASE_URL
is set), migrates it (not timed), writes the workbook (not timed), then times the import, a
second import of the same workbook (which must change nothing), and an import that revises the
title and due date of every measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

BUDGET_SECONDS = 60.0


def synthetic_tables(measures: int, seed: int = 20240614) -> dict[str, tuple[list[str], list[list]]]:
    """The sheets of a synthetic plan: per measure one facility, one indicator, 3 targets, 2 actuals."""
    rng = random.Random(seed)
    day = dt.date(2024, 1, 1)
    territories = [
        ["SYNTH-REGION", "Synthetic region", "Синтетическая область", "Синтетикалық облыс", "", 44.0, 52.0]
    ]
    territories += [
        [f"SYNTH-T{i:02d}", f"Synthetic district {i}", f"Район {i}", f"{i} аудан", "SYNTH-REGION", 43.0, 51.0]
        for i in range(1, 50)
    ]
    agencies = [
        [f"SYNTH-A{i:03d}", f"Synthetic agency {i}", f"Ведомство {i}", "", "other"] for i in range(100)
    ]
    spheres = [[f"synth-{i}", f"Synthetic sphere {i}", f"Сфера {i}", f"Сала {i}"] for i in range(11)]
    plan = [
        ["SYNTH-PLAN", "Synthetic plan", "SYNTH-REGION", day, dt.date(2028, 12, 31), measures, "synthetic"]
    ]
    measure_rows, facility_rows, indicator_rows, target_rows, actual_rows = [], [], [], [], []
    for i in range(measures):
        code = f"SYNTH-M{i:06d}"
        start = day + dt.timedelta(days=rng.randrange(0, 365))
        due = start + dt.timedelta(days=rng.randrange(90, 1200))
        parent = f"SYNTH-M{rng.randrange(0, 1000):06d}" if i >= 1000 and rng.random() < 0.3 else ""
        measure_rows.append(
            [
                code,
                f"Synthetic measure {i}",
                f"synth-{i % 11}",
                f"SYNTH-A{rng.randrange(100):03d}",
                due,
                f"Синтетическая мера {i}",
                f"Синтетикалық шара {i}",
                ";".join(sorted({f"SYNTH-T{rng.randrange(1, 50):02d}" for _ in range(rng.randrange(1, 4))})),
                ";".join(sorted({f"SYNTH-A{rng.randrange(100):03d}" for _ in range(rng.randrange(0, 3))})),
                start,
                "facility commissioned",
                rng.randrange(1, 10_000) * 1_000_000,
                parent,
                1,
                "synthetic",
            ]
        )
        facility_rows.append(
            [
                f"SYNTH-F{i:06d}",
                f"Synthetic facility {i}",
                "other",
                code,
                f"SYNTH-T{rng.randrange(1, 50):02d}",
                round(rng.uniform(41, 46), 4),
                round(rng.uniform(50, 56), 4),
                "m³/day",
                rng.randrange(0, 50_000),
                rng.randrange(50_000, 100_000),
                due,
                None,
                "synthetic",
            ]
        )
        indicator_rows.append(
            [f"SYNTH-I{i:06d}", f"Synthetic indicator {i}", "%", code, "up", 0, start, "synthetic"]
        )
        for k in range(3):
            target_rows.append([f"SYNTH-I{i:06d}", start + dt.timedelta(days=365 * (k + 1)), 30 * (k + 1)])
        for k in range(2):
            actual_rows.append(
                [
                    f"SYNTH-I{i:06d}",
                    start + dt.timedelta(days=180 * (k + 1)),
                    round(rng.uniform(0, 60), 1),
                    "SYNTH-A000",
                ]
            )
    events = [[f"SYNTH-E{i:03d}", day + dt.timedelta(days=i), f"Synthetic meeting {i}"] for i in range(100)]
    instructions = []
    for i in range(measures // 10):
        issued = day + dt.timedelta(days=i % 100)
        term = rng.choice([None, 7, 30, 90])
        due = issued + dt.timedelta(days=term if term else rng.randrange(10, 400))
        instructions.append(
            [
                f"SYNTH-N{i:05d}",
                issued,
                f"Synthetic instruction {i}",
                f"SYNTH-A{rng.randrange(100):03d};SYNTH-A{rng.randrange(100):03d}",
                due,
                f"SYNTH-E{i % 100:03d}",
                term,
                f"SYNTH-M{rng.randrange(measures):06d}",
            ]
        )
    return {
        "plan": (["code", "title", "region", "start", "end", "declared_measures", "source"], plan),
        "territories": (["code", "name", "name_ru", "name_kk", "parent", "lat", "lon"], territories),
        "agencies": (["code", "name", "name_ru", "name_kk", "kind"], agencies),
        "spheres": (["code", "name", "name_ru", "name_kk"], spheres),
        "measures": (
            [
                "code",
                "title",
                "sphere",
                "lead_agency",
                "due",
                "title_ru",
                "title_kk",
                "territories",
                "co_agencies",
                "start",
                "completion_form",
                "budget_kzt",
                "parent",
                "weight",
                "source",
            ],
            measure_rows,
        ),
        "facilities": (
            [
                "code",
                "name",
                "kind",
                "measure",
                "territory",
                "lat",
                "lon",
                "capacity_unit",
                "capacity_baseline",
                "capacity_target",
                "commission_planned",
                "commission_actual",
                "source",
            ],
            facility_rows,
        ),
        "indicators": (
            ["code", "name", "unit", "measure", "direction", "baseline", "baseline_date", "source"],
            indicator_rows,
        ),
        "targets": (["indicator", "period_end", "value"], target_rows),
        "actuals": (["indicator", "period_end", "value", "reported_by"], actual_rows),
        "events": (["code", "date", "title"], events),
        "instructions": (
            ["code", "issued_on", "text", "executors", "due", "event", "term_days", "measures"],
            instructions,
        ),
    }


def write_synthetic(tables, path: Path, as_csv: bool) -> None:
    if as_csv:
        from baqylau.interop.workbook.exporter import csv_bytes

        path.mkdir(parents=True, exist_ok=True)
        for name, (header, rows) in tables.items():
            (path / f"{name}.csv").write_bytes(csv_bytes(header, rows))
        return
    from baqylau.core.xlsx import write_xlsx

    write_xlsx(tables, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--csv", action="store_true", help="a folder of CSV files instead of an .xlsx")
    parser.add_argument("--keep", help="write the synthetic workbook and database into this folder")
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="baqylau-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baqylau.settings.test")
    database = work / "synthetic.sqlite3"
    if "DATABASE_URL" not in os.environ:
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    from baqylau.interop.workbook import import_workbook

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate a fresh database: {time.perf_counter() - started:.1f} s (not timed)")

    started = time.perf_counter()
    tables = synthetic_tables(args.measures)
    source = work / ("synthetic" if args.csv else "synthetic.xlsx")
    write_synthetic(tables, source, args.csv)
    rows = sum(len(t[1]) for t in tables.values())
    counts = ", ".join(f"{len(t[1])} {name}" for name, t in tables.items())
    print(f"synthetic workbook {source}: {rows} rows ({counts}) in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    result = import_workbook(source)
    seconds = time.perf_counter() - started
    if not result.ok:
        for problem in result.problems[:20]:
            print(problem)
        sys.exit(f"the synthetic workbook was refused with {len(result.problems)} problems")
    print(
        f"import: {seconds:.1f} s, {rows / seconds:,.0f} rows/s, {result.total_created} created; "
        f"{seconds / BUDGET_SECONDS:.2f} of the {BUDGET_SECONDS:.0f} s budget"
    )

    started = time.perf_counter()
    again = import_workbook(source)
    seconds_again = time.perf_counter() - started
    print(
        f"second import: {seconds_again:.1f} s, {again.total_created} created, {again.total_updated} updated "
        "(must be 0 and 0)"
    )
    # Every measure retitled and moved by a day: the update path, with its history.
    header, rows = tables["measures"]
    title, due = header.index("title"), header.index("due")
    for row in rows:
        row[title] += " (revised)"
        row[due] += dt.timedelta(days=1)
    write_synthetic(tables, source, args.csv)
    started = time.perf_counter()
    revised = import_workbook(source)
    seconds_revised = time.perf_counter() - started
    print(f"import revising every measure: {seconds_revised:.1f} s, {revised.updated} updated")
    if seconds > BUDGET_SECONDS or again.total_created or again.total_updated or not revised.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
