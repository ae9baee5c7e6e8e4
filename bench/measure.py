"""One benchmark worker: every row for one dataset in one database, timed the way users meet it.

Run by ``bench/run.py`` (``make bench``), which builds the datasets and compares them; by hand:

    .venv/bin/python bench/measure.py --dataset national --url sqlite:///var/bench/national.sqlite3

Pages and the API are requested through Django's test client (the whole middleware stack, templates
and serializers, DEBUG off), each ``RUNS`` times after ``WARMUP`` requests; the floor of each is the
hand-written SQL of ``floors.py`` timed the same way in the same database. Writes (accepting a report,
the store's steps, the workbook export and import) call the product's own functions. Prints one JSON
list of rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

RUNS = 9
WARMUP = 2
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    k = (len(ordered) - 1) * share
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def timed(call, runs: int = RUNS, warmup: int = WARMUP) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return samples


def row(name, dataset, database, samples, queries=None, floor=None, target=None, **extra) -> dict:
    median = statistics.median(samples) * 1000
    result = {
        "name": name,
        "database": database,
        "size": dataset,
        "median_ms": round(median, 1),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 1),
        "queries": queries,
        "floor_ms": None if floor is None else round(statistics.median(floor) * 1000, 2),
        "floor_ratio": None if floor is None else round(median / (statistics.median(floor) * 1000), 2),
        "growth": None,
        "target": target,
        "met": None,
        **extra,
    }
    return result


def setup(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("BAQYLAU_CONN_MAX_AGE", "60")  # as deployed: connections kept between requests
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baqylau.settings.dev")
    os.environ.setdefault("BAQYLAU_HOME", tempfile.mkdtemp(prefix="baqylau-bench-home-"))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # as deployed: no query log, no debug pages
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = "bench_urls"  # the product's URLs and /bench-nothing/ (a request's fixed cost)


class QueryCount:
    """Counts the statements a block sends (an execute wrapper survives the request's reconnects)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def count_queries(call) -> int:
    from django.db import connection

    counter = QueryCount()
    with connection.execute_wrapper(counter):
        call()
    return counter.count


def page_rows(dataset, database, plan, measure, office, agency) -> list[dict]:
    import floors
    from django.db import connection
    from django.test import Client

    from baqylau.assessment import store
    from baqylau.assessment.models import MeasureVerdict

    store.ensure_current(plan)
    today = store.today()
    clients = {}
    for user in (office, agency):
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    frame = {
        kind: timed(lambda url=url: clients[office.username].get(url))
        for kind, url in (("page", "/bench-empty-page/"), ("api", "/bench-empty-answer/"))
    }
    region = plan.region_id
    late_count = MeasureVerdict.objects.filter(plan=plan, status="late").count()
    deep_page = max(1, (late_count // floors.PAGE) // 2)
    agency_id = agency.profile.agency_id
    pages = [
        ("dashboard", office, f"/?plan={plan.code}", lambda c: floors.dashboard(c, plan.pk, region, today)),
        (
            "dashboard (agency)",
            agency,
            f"/?plan={plan.code}",
            lambda c: floors.dashboard(c, plan.pk, region, today, agency_id),
        ),
        (
            "measures register, page 1",
            office,
            f"/measures/?plan={plan.code}",
            lambda c: floors.register(c, plan.pk, today),
        ),
        (
            "measures register, deep filtered page",
            office,
            f"/measures/?plan={plan.code}&status=late&sort=due&page={deep_page}",
            lambda c: floors.register(c, plan.pk, today, "late", "due", (deep_page - 1) * floors.PAGE),
        ),
        (
            "measure page",
            office,
            f"/measures/{plan.code}/{measure.code}/",
            lambda c: floors.measure_page(c, measure.pk, today),
        ),
        (
            "instructions register",
            office,
            f"/instructions/?plan={plan.code}",
            lambda c: floors.instructions(c, plan.pk, today),
        ),
    ] + [
        (
            f"API {kind} list",
            office,
            f"/api/v1/{kind}/?plan={plan.code}",
            lambda c, kind=kind: getattr(floors, f"api_{kind}")(c, plan.pk, today),
        )
        for kind in ("measures", "instructions", "reports", "facilities", "indicators")
    ]
    rows = []
    for name, user, url, floor in pages:
        client = clients[user.username]
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        queries = count_queries(lambda client=client, url=url: client.get(url))
        samples = timed(lambda client=client, url=url: client.get(url))

        def run_floor(floor=floor):
            with connection.cursor() as cursor:
                floor(cursor)

        sql = timed(run_floor)
        nothing = frame["api" if url.startswith("/api/") else "page"]
        floor_samples = [a + b for a, b in zip(sorted(sql), sorted(nothing), strict=True)]
        rows.append(
            row(
                name,
                dataset,
                database,
                samples,
                queries,
                floor_samples,
                "median < 300 ms, p95 < 600 ms, floor ratio < 5, queries as at the demo size",
                bytes=len(response.content),
                url=url,
                floor_sql_ms=round(statistics.median(sql) * 1000, 2),
                request_ms=round(statistics.median(nothing) * 1000, 2),
            )
        )
    return rows


def accept_rows(dataset, database, plan, measure, reviewer, runs=RUNS) -> list[dict]:
    """Accepting one submitted report with every indicator value of its measure."""
    from baqylau.assessment import store
    from baqylau.indicators.models import Indicator
    from baqylau.reports import workflow
    from baqylau.reports.models import Report, ReportActual

    indicators = list(Indicator.objects.filter(measure=measure))
    # Every run in the same state at every size: new reports on days with no actual yet (the synthetic
    # actuals fall on month ends), so each accept creates all its actuals and updates none.
    period = store.today()
    days = [period - dt.timedelta(days=j) for j in range(1, 200)]
    days = [d for d in days if (d + dt.timedelta(days=1)).day != 1][: runs + 1]
    reports = []
    for day in days:
        report = Report.objects.create(
            measure=measure,
            agency=measure.lead_agency,
            period_end=day,
            narrative="bench",
            progress=10,
            state="submitted",
            submitted_on=period,
        )
        ReportActual.objects.bulk_create(
            ReportActual(report=report, indicator=i, value=1) for i in indicators
        )
        reports.append(report)
    samples, counts = [], []
    for report in reports:
        report.refresh_from_db()
        counter = QueryCount()
        from django.db import connection

        with connection.execute_wrapper(counter):
            began = time.perf_counter()
            workflow.accept(report, reviewer, report.version)
            samples.append(time.perf_counter() - began)
        counts.append(counter.count)
    values = len(indicators)
    return [
        row(
            "accepting a report with all its indicator values",
            dataset,
            database,
            samples[1:],
            counts[-1],
            None,
            "< 50 ms; queries independent of the number of values",
            values=values,
            reports_measure=report.measure.code,
        )
    ]


def store_rows(dataset, database, plans, measure) -> list[dict]:
    from baqylau.assessment import store
    from baqylau.assessment.judgements import judge_plan
    from baqylau.plans.models import Measure

    rows = []
    measures = Measure.objects.filter(plan__in=plans).count()
    # The incremental step after one accepted report (the judging inside the accept above).
    samples = timed(lambda: store.refresh_measures(measure.plan, [measure.pk]))
    rows.append(
        row(
            "store: incremental refresh after one accepted report",
            dataset,
            database,
            samples,
            target="< 50 ms",
            measures=measures,
        )
    )
    # As of another date: a whole plan judged from its facts.
    biggest = max(plans, key=lambda p: p.measures.count())
    past = store.today() - dt.timedelta(days=180)
    samples = timed(lambda: judge_plan(biggest, past), runs=5, warmup=1)
    rows.append(
        row(
            "as-of judging of one plan",
            dataset,
            database,
            samples,
            target="< 1 s for 1,000 measures",
            measures=biggest.measures.count(),
        )
    )
    # The daily step: every plan advanced one day (a new day each run), then back to today.
    day = [store.today()]

    def advance():
        day[0] += dt.timedelta(days=1)
        for plan in plans:
            store.advance_plan(plan, day[0])

    samples = timed(advance, runs=5, warmup=1)
    rows.append(
        row(
            "store refresh: every measure re-decided for the next day",
            dataset,
            database,
            samples,
            target="< 1 s for 20,000 measures",
            measures=measures,
        )
    )
    began = time.perf_counter()
    for plan in plans:
        store.refresh_plan(plan)
    rebuild = time.perf_counter() - began
    rows.append(
        row(
            "store rebuild: every measure judged from all its facts",
            dataset,
            database,
            [rebuild],
            target="< 30 s for 20,000 measures (imports and bulk loads only)",
            measures=measures,
        )
    )
    return rows


def export_rows(dataset, database, plan) -> list[dict]:
    from baqylau.interop.workbook import export_workbook
    from baqylau.interop.workbook.exporter import TooLargeForXlsx

    folder = Path(tempfile.mkdtemp(prefix="baqylau-bench-export-"))
    path, name = folder / "plan.xlsx", "plan workbook export (XLSX)"
    try:
        export_workbook(plan, path)
    except TooLargeForXlsx:  # a sheet outgrows Excel: the product exports the same tables as CSV files
        path, name = folder / "plan.zip", "plan workbook export (CSV zip: too large for XLSX)"
    samples = timed(lambda: export_workbook(plan, path), runs=3, warmup=0)
    tracemalloc.start()
    export_workbook(plan, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return [
        row(
            name,
            dataset,
            database,
            samples,
            target="streamed, bounded memory",
            peak_mb=round(peak / 1_048_576, 1),
            file_mb=round(path.stat().st_size / 1_048_576, 2),
        )
    ]


def briefing_rows(dataset, database, plan) -> list[dict]:
    """The weekly briefing of the plan as of today, content, charts and file, in each format."""
    from django.utils import timezone

    from baqylau.briefings.render import make_briefing

    today = timezone.localdate()
    rows = []
    for fmt in ("pdf", "docx"):
        size = [0]

        def make(fmt=fmt, size=size):
            size[0] = len(make_briefing(plan, today, "ru", fmt))

        samples = timed(make, runs=3, warmup=1)
        rows.append(
            row(
                f"briefing ({fmt.upper()})",
                dataset,
                database,
                samples,
                target="< 10 s for a 1,000-measure plan",
                file_kb=round(size[0] / 1024),
                measures=plan.measures.count(),
            )
        )
    return rows


def import_rows(database) -> list[dict]:
    """A synthetic workbook of 10,000 measures imported into this (fresh) database."""
    from bench_workbook_import import synthetic_tables, write_synthetic

    from baqylau.interop.workbook import import_workbook

    folder = Path(tempfile.mkdtemp(prefix="baqylau-bench-import-"))
    source = folder / "synthetic.xlsx"
    tables = synthetic_tables(10_000)
    write_synthetic(tables, source, as_csv=False)
    began = time.perf_counter()
    result = import_workbook(source)
    seconds = time.perf_counter() - began
    if not result.ok:
        raise SystemExit(f"the synthetic workbook was refused: {result.problems[:3]}")
    rows_in = sum(len(t[1]) for t in tables.values())
    return [
        row(
            "workbook import of 10,000 measures", "import", database, [seconds], target="< 60 s", rows=rows_in
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", required=True, choices=("demo", "small", "national", "single", "rsr", "import")
    )
    parser.add_argument("--database", required=True, choices=("sqlite", "postgresql"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--out")
    parser.add_argument("--only", choices=("pages", "writes", "store", "export", "briefing"), action="append")
    args = parser.parse_args()
    setup(args.url)

    from django.contrib.auth import get_user_model

    from baqylau.accounts.models import Profile
    from baqylau.plans.models import Measure, Plan

    rows: list[dict] = []
    if args.dataset == "import":
        rows += import_rows(args.database)
    else:
        users = get_user_model().objects
        office, reviewer = users.get(username="office"), users.get(username="reviewer")
        if args.dataset == "rsr":
            for code in ("SYN-1-RSR1", "SYN-1-RSR2"):
                plan = Plan.objects.get(code=code)
                measure = Measure.objects.get(plan=plan, code="SYN-P-01")
                size = f"rsr {code[-1]}x"
                from django.test import Client

                client = Client()
                client.force_login(office)
                url = f"/measures/{plan.code}/{measure.code}/"
                client.get(url)
                queries = count_queries(lambda c=client, u=url: c.get(u))
                rows.append(
                    row(
                        "measure page",
                        size,
                        args.database,
                        timed(lambda c=client, u=url: c.get(u)),
                        queries,
                        target="<= 267 ms (1x), <= 580 ms (2x); queries equal at both",
                    )
                )
                rows += [dict(r, size=size) for r in export_rows(size, args.database, plan)]
                rows += [
                    dict(r, size=size) for r in accept_rows(size, args.database, plan, measure, reviewer)
                ]
        else:
            code = {
                "demo": "MNG-URGENT-2024",
                "small": "SYN-3-01",
                "national": "SYN-1-01",
                "single": "SYN-2-01",
            }[args.dataset]
            plan = Plan.objects.select_related("region").get(code=code)
            measure = (
                Measure.objects.filter(plan=plan, children=None, indicators__isnull=False)
                .order_by("code")
                .first()
            )
            agency_user, _ = users.get_or_create(username="bench-agency")
            Profile.objects.update_or_create(
                user=agency_user, defaults={"role": "agency_editor", "agency": measure.lead_agency}
            )
            only = set(args.only or ("pages", "writes", "store", "export", "briefing"))
            if "pages" in only:
                rows += page_rows(args.dataset, args.database, plan, measure, office, agency_user)
            if "writes" in only:
                rows += accept_rows(args.dataset, args.database, plan, measure, reviewer)
            if "store" in only:
                plans = list(
                    Plan.objects.filter(code__startswith="SYN-") if args.dataset != "demo" else [plan]
                )
                rows += store_rows(args.dataset, args.database, plans, measure)
            if "export" in only:
                rows += export_rows(args.dataset, args.database, plan)
            if "briefing" in only and args.dataset in ("demo", "national"):
                rows += briefing_rows(args.dataset, args.database, plan)
    text = json.dumps(rows, indent=1)
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
