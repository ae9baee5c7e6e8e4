"""Operational rows of the product itself (not domain data, so without an audit history)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A queue worker's sign of life: ``baqylau db_worker`` writes it every few seconds, /healthz reads it,
    so a monitor can tell an idle worker from a dead one even when the queue is empty."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"
