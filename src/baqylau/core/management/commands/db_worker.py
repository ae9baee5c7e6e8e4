"""``baqylau db_worker``: django-tasks-db's worker, with a heartbeat that /healthz reports.

This command takes the place of django-tasks-db's own (``baqylau.core`` comes before it in
INSTALLED_APPS); options and behaviour are the same.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as TasksDbWorkerCommand

from baqylau.core.heartbeat import Heartbeat


class Command(TasksDbWorkerCommand):
    help = "Run the background worker of the task queue kept in the database (with a heartbeat for /healthz)"

    def handle(self, *args, **options):
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)  # the reloader's parent: its child is the worker
        heartbeat = Heartbeat(options["worker_id"]).start()
        try:
            super().handle(*args, **options)
        finally:  # also on SIGTERM/SIGINT: the worker leaves through SystemExit
            heartbeat.stop()
