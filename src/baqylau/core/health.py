"""What /healthz reports: the database, the queue workers' heartbeats and the queue itself."""

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .heartbeat import alive_since
from .models import WorkerHeartbeat


def _age(moment, now) -> float | None:
    return round((now - moment).total_seconds(), 1) if moment else None


def health() -> dict:
    """Raises DatabaseError when the database does not answer."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    workers = WorkerHeartbeat.objects.filter(seen_at__gte=alive_since()).aggregate(
        alive=Count("pk"), last=Max("seen_at")
    )
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    tasks = DBTaskResult.objects.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    queue = {
        "waiting": waiting["count"],
        "oldest_waiting_seconds": _age(waiting["oldest"], now),
        "running": DBTaskResult.objects.running().count(),
        "last_started_seconds_ago": _age(tasks["started"], now),
        "last_finished_seconds_ago": _age(tasks["finished"], now),
    }
    problems = []
    if not workers["alive"]:
        problems.append("no queue worker is running (no heartbeat)")
    limit = settings.BAQYLAU_QUEUE_MAX_WAIT_SECONDS
    if queue["oldest_waiting_seconds"] is not None and queue["oldest_waiting_seconds"] > limit:
        problems.append(f"a task has waited more than {limit} s")
    return {
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "database": "reachable",
        "vendor": connection.vendor,
        "workers": {"alive": workers["alive"], "last_seen_seconds_ago": _age(workers["last"], now)},
        "queue": queue,
    }
