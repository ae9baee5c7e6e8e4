"""/healthz for monitors: the queue workers' heartbeats and the queue's depth and oldest waiting task."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from baqylau.core.heartbeat import Heartbeat
from baqylau.core.models import WorkerHeartbeat


def health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.json()


def waiting_task(age: timedelta) -> None:
    task = DBTaskResult.objects.create(
        task_path="baqylau.interop.tasks.run_workbook_import",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - age)


def test_no_worker_is_degraded_though_the_site_answers(client, db):
    report = health(client)
    assert report["status"] == "degraded" and report["database"] == "reachable"
    assert report["workers"] == {"alive": 0, "last_seen_seconds_ago": None}
    assert report["problems"] == ["no queue worker is running (no heartbeat)"]


def test_a_worker_that_starts_is_alive_and_one_that_stops_is_gone(client, db, settings):
    settings.BAQYLAU_WORKER_HEARTBEAT_SECONDS = 3600  # the thread's next beat is not in this test
    heartbeat = Heartbeat("worker-a").start()
    try:
        report = health(client)
        assert report["status"] == "ok" and report["workers"]["alive"] == 1
    finally:
        heartbeat.stop()
    assert not WorkerHeartbeat.objects.exists() and health(client)["workers"]["alive"] == 0


def test_a_heartbeat_three_beats_old_is_a_dead_worker(client, db, settings):
    settings.BAQYLAU_WORKER_HEARTBEAT_SECONDS = 10
    now = timezone.now()
    for name, age in (("fresh", 5), ("dead", 31)):
        WorkerHeartbeat.objects.create(
            worker_id=name, hostname="app-1", pid=1, started_at=now, seen_at=now - timedelta(seconds=age)
        )
    workers = health(client)["workers"]
    assert workers["alive"] == 1 and 4 < workers["last_seen_seconds_ago"] < 60


def test_work_waiting_too_long_is_degraded_with_the_queue_depth(client, db, settings):
    settings.BAQYLAU_QUEUE_MAX_WAIT_SECONDS = 300
    WorkerHeartbeat.objects.create(
        worker_id="busy", hostname="app-1", pid=1, started_at=timezone.now(), seen_at=timezone.now()
    )
    waiting_task(timedelta(seconds=20))
    report = health(client)
    assert report["status"] == "ok" and report["queue"]["waiting"] == 1
    waiting_task(timedelta(minutes=10))
    report = health(client)
    assert report["status"] == "degraded" and report["queue"]["waiting"] == 2
    assert 590 < report["queue"]["oldest_waiting_seconds"] < 700
    assert report["problems"] == ["a task has waited more than 300 s"]
