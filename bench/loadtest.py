"""make loadtest: 50 simulated people for two minutes against the product as deployed.

The national synthetic dataset on PostgreSQL (built by bench/run.py when missing) is served by
``baqylau serve`` (production settings: gunicorn workers and a queue worker) on a free port of
127.0.0.1; locust (bench/locustfile.py) sends office staff reading pages and the API and agency staff
submitting reports. Prints throughput, p50/p95/p99 and errors, then counts every submitted report in
the database. Exits 1 on any error or any lost write. Bounded: 120 s of load, 50 people, loopback only.

    .venv/bin/python bench/loadtest.py [--users 50] [--seconds 120] [--workers 4]
"""

from __future__ import annotations

import argparse
import csv
import json
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "deploy")]

from run import build  # noqa: E402
from smoke import Site, free_port  # noqa: E402

PLAN = "SYN-1-01"
AGENCIES = [f"SYN-MIN-{n:02d}" for n in range(1, 6)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and 10 <= args.seconds <= 600):
        sys.exit("--users 1..200 and --seconds 10..600: the load test stays bounded")

    url = build("postgresql", "national", rebuild=False)
    marker = f"loadtest-{secrets.token_hex(4)}"
    folder = Path(tempfile.mkdtemp(prefix="baqylau-loadtest-"))
    site = Site(url, folder, BAQYLAU_CONN_MAX_AGE="60")
    site.run("migrate", "--no-input")
    site.run("collectstatic", "--no-input", "-v", "0")
    people = {"office": [], "agency": []}
    # The run's own accounts, made the way an operator makes them (names carry the run's marker).
    for n in range(1, 4):
        name, secret = f"{marker}-office-{n}", secrets.token_urlsafe(16)
        site.run("create-user", name, "--role", "office", "--password-stdin", input=secret + "\n")
        people["office"].append([name, secret])
    for code in AGENCIES:
        name = f"{marker}-{code.lower()}"
        site.run(
            "create-user",
            name,
            "--role",
            "agency_editor",
            "--agency",
            code,
            "--password-stdin",
            input=secrets.token_urlsafe(16) + "\n",
        )
        token = site.run("drf_create_token", name).stdout.split()[2]
        people["agency"].append(token)
    measures = [
        line.strip()
        for line in site.run(
            "shell",
            "--no-imports",  # Django 5.2's shell otherwise prints what it could not import, on stdout
            "-c",
            "from baqylau.plans.models import Measure\n"
            f"codes = Measure.objects.filter(plan__code='{PLAN}').values_list('code', flat=True)[:500]\n"
            "print('\\n'.join(codes))",
        ).stdout.splitlines()
        if line.strip()
    ]
    submitted_file = folder / "submitted.json"
    stats = folder / "stats"
    port = free_port()
    with site.serving("--workers", str(args.workers), "--task-workers", "1", port=port) as base:
        env = {
            **site.env,
            "LOADTEST_PEOPLE": json.dumps(people),
            "LOADTEST_PLAN": PLAN,
            "LOADTEST_MARKER": marker,
            "LOADTEST_MEASURES": json.dumps(measures),
            "LOADTEST_SUBMITTED": str(submitted_file),
        }
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "10",
                "-t",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                str(stats),
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            env=env,
            check=False,
            timeout=args.seconds + 120,
        )
    errors_in_log = site.errors_in_log()
    submitted = json.loads(submitted_file.read_text()) if submitted_file.exists() else []
    with psycopg.connect(url) as conn:
        found = conn.execute(
            "SELECT COUNT(*) FROM reports_report WHERE narrative LIKE %s AND state = 'submitted'",
            [f"{marker}%"],
        ).fetchone()[0]
        # The run's reports leave the dataset again, so the next run and the benchmarks start alike.
        conn.execute("DELETE FROM reports_historicalreport WHERE narrative LIKE %s", [f"{marker}%"])
        conn.execute("DELETE FROM reports_report WHERE narrative LIKE %s", [f"{marker}%"])
    rows = list(csv.DictReader((stats.parent / f"{stats.name}_stats.csv").open()))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"\nload test: {args.users} people, {args.seconds} s, {args.workers} gunicorn workers on PostgreSQL "
        f"(national synthetic set)\n"
        f"requests {total['Request Count']}, failures {total['Failure Count']}, "
        f"{float(total['Requests/s']):.1f} requests/s; p50 {total['50%']} ms, p95 {total['95%']} ms, "
        f"p99 {total['99%']} ms\n"
        f"reports submitted {len(submitted)}, found in the database {found}; errors in the server's log "
        f"{len(errors_in_log)}"
    )
    for r in rows:
        if r["Name"] != "Aggregated":
            print(
                f"  {r['Name']:28} {r['Request Count']:>6} req  {r['Failure Count']:>4} failed  "
                f"p50 {r['50%']:>5}  p95 {r['95%']:>5}  p99 {r['99%']:>5} ms"
            )
    failed = int(total["Failure Count"]) > 0 or found != len(submitted) or errors_in_log or not submitted
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
