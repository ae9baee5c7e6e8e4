"""Queue workers as deployed (`baqylau db_worker`): several share one database and each task runs once;
/healthz tells a monitor whether a worker is alive and how long work has waited."""

import signal
import subprocess
import sys
import time

import requests

from .conftest import smoke


def health(base: str) -> dict:
    return requests.get(f"{base}/healthz", timeout=30).json()


def wait_for(condition, seconds: float = 60, every: float = 0.3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"not so after {seconds} s")


def start_worker(site, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "baqylau.cli", "db_worker", "--interval", "0.2", "--no-startup-delay"]
    command += args
    return subprocess.Popen(command, env=site.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def upload(browser, site, count: int) -> list[int]:
    office = browser("office-1")
    workbook = office.get(f"/plans/{smoke.PLAN}/workbook.xlsx")
    assert workbook.status_code == 200
    return [
        office.upload_workbook(workbook.content, f"plan-{n}.xlsx", plan=smoke.PLAN, dry_run="on")
        for n in range(count)
    ]


def test_two_workers_share_the_queue_and_each_task_runs_exactly_once(site, base, browser):
    workers = [start_worker(site, "--worker-id", name) for name in ("first", "second")]
    try:
        wait_for(lambda: health(base)["workers"]["alive"] == 2)  # both poll before any work comes
        jobs = upload(browser, site, 8)

        def all_done():
            statuses = {row["pk"]: row["fields"]["status"] for row in site.dump("interop.workbookimportjob")}
            return all(statuses[job] in ("done", "refused", "failed") for job in jobs) and statuses

        statuses = wait_for(all_done, seconds=300, every=1)
    finally:
        for worker in workers:  # SIGTERM: each finishes its task and stops
            worker.terminate()
        codes = [worker.wait(timeout=60) for worker in workers]
    assert codes == [0, 0]
    assert all(statuses[job] == "done" for job in jobs)
    ours = [
        row["fields"]
        for row in site.dump("django_tasks_database.dbtaskresult")
        if row["fields"]["task_path"].endswith("run_workbook_import")
        and row["fields"]["args_kwargs"]["args"][0] in jobs
    ]
    assert len(ours) == len(jobs)
    assert all(task["status"] == "SUCCESSFUL" and len(task["worker_ids"]) == 1 for task in ours)
    assert {task["worker_ids"][0] for task in ours} == {"first", "second"}  # both took work
    queue = health(base)["queue"]
    assert queue["waiting"] == 0 and queue["running"] == 0


def test_healthz_tells_a_live_worker_from_a_dead_one(site, base):
    worker = start_worker(site)
    try:
        alive = wait_for(lambda: health(base)["workers"]["alive"] == 1 and health(base))
        assert alive["status"] == "ok" and alive["problems"] == []
        worker.send_signal(signal.SIGKILL)  # a dead worker leaves its heartbeat behind, which ages
        worker.wait(timeout=30)
        dead = wait_for(lambda: health(base)["workers"]["alive"] == 0 and health(base), seconds=30)
    finally:
        worker.kill()
    assert dead["status"] == "degraded"
    assert dead["problems"] == ["no queue worker is running (no heartbeat)"]
    assert dead["database"] == "reachable"  # the web servers themselves are fine: 200 for the balancer
