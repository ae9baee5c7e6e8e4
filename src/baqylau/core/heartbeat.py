"""The queue worker's heartbeat: a thread of the worker process that keeps its row fresh."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerHeartbeat

log = logging.getLogger("baqylau.worker")


def beat_seconds() -> float:
    return float(getattr(settings, "BAQYLAU_WORKER_HEARTBEAT_SECONDS", 10))


def alive_since():
    """A worker seen after this moment counts as alive (three beats may be missed)."""
    return timezone.now() - timedelta(seconds=3 * beat_seconds())


class Heartbeat:
    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="baqylau-heartbeat", daemon=True)

    def start(self) -> "Heartbeat":
        # Rows of workers gone for a day are of no more use to anyone.
        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
        self.beat()  # at once, so /healthz sees the worker as soon as it starts
        log.info("worker started: %s", self.worker_id, extra={"worker_id": self.worker_id})
        self._thread.start()
        return self

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": timezone.now(),
            },
        )

    def _run(self) -> None:
        try:
            while not self._stop.wait(beat_seconds()):
                try:
                    self.beat()
                except DatabaseError as exc:  # the next beat tries again; /healthz shows the gap
                    log.warning("heartbeat not written: %s", exc, extra={"worker_id": self.worker_id})
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        """A worker that stops cleanly takes its row away: it is gone, not dead."""
        self._stop.set()
        self._thread.join(timeout=5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        log.info("worker stopped: %s", self.worker_id, extra={"worker_id": self.worker_id})
