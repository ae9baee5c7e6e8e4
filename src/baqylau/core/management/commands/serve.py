"""``baqylau serve``: the product as deployed, gunicorn and the queue workers, until stopped.

Production settings unless DJANGO_SETTINGS_MODULE says otherwise (see ``baqylau/cli.py``). It refuses
to start before ``baqylau migrate`` and ``baqylau collectstatic`` have been run, and stops everything
when one of its processes dies, so the process manager (systemd) restarts the whole.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

STOP_SECONDS = 40  # gunicorn's graceful timeout (30 s) and a little


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise CommandError(f"{name} must be a whole number, not {value!r}.") from exc


class Command(BaseCommand):
    help = "Serve the product: gunicorn (the pages and the API) and the queue workers, until stopped."
    requires_system_checks = []  # the checks run in each gunicorn worker; serve checks what it needs

    def add_arguments(self, parser):
        cores = os.cpu_count() or 1
        parser.add_argument("--host", default=os.environ.get("BAQYLAU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=_env_int("BAQYLAU_PORT", 8000))
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("BAQYLAU_WEB_WORKERS", 2 * cores + 1),
            help="gunicorn worker processes (BAQYLAU_WEB_WORKERS; default 2 × cores + 1)",
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=_env_int("BAQYLAU_TASK_WORKERS", 1),
            help="queue workers (baqylau db_worker) to run beside it (BAQYLAU_TASK_WORKERS; default 1); "
            "0 when the workers run elsewhere",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=_env_int("BAQYLAU_WEB_TIMEOUT", 60),
            help="seconds a request may take before gunicorn restarts its worker (BAQYLAU_WEB_TIMEOUT)",
        )

    def handle(self, *args, host, port, workers, task_workers, timeout, **options):
        self._ready()
        python = sys.executable
        gunicorn = [python, "-m", "gunicorn", "--config", "python:baqylau.core.gunicorn_config"]
        gunicorn += ["--bind", f"{host}:{port}", "--workers", str(workers), "--timeout", str(timeout)]
        commands = {"gunicorn": gunicorn} | {
            f"queue worker {n}": [python, "-m", "baqylau.cli", "db_worker", "--no-reload"]
            for n in range(1, task_workers + 1)
        }
        # Own process groups: a Ctrl+C reaches serve alone, which stops the others in order.
        processes = {name: subprocess.Popen(cmd, process_group=0) for name, cmd in commands.items()}
        self.stderr.write(
            f"baqylau serve: http://{host}:{port}/ ({workers} web workers, {task_workers} queue workers, "
            f"settings {os.environ['DJANGO_SETTINGS_MODULE']})"
        )
        sys.exit(self._supervise(processes))

    def _ready(self) -> None:
        """Refuse to start what would answer 500: unapplied migrations, uncollected static files."""
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        connection.close()
        if pending:
            raise CommandError(f"{len(pending)} migrations are not applied: run `baqylau migrate` first.")
        if isinstance(staticfiles_storage, ManifestFilesMixin):
            manifest = staticfiles_storage.manifest_name
            if not staticfiles_storage.exists(manifest):
                raise CommandError(
                    f"The static files are not collected in {settings.STATIC_ROOT}: "
                    "run `baqylau collectstatic --no-input` first."
                )

    def _supervise(self, named: dict[str, subprocess.Popen]) -> int:
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop)
        processes = list(named.values())
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.2)
        died = [name for name, p in named.items() if p.poll() is not None]
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if died and not stopping:
            self.stderr.write(f"baqylau serve: {died[0]} stopped on its own, so everything was stopped.")
            return 1
        return 0
