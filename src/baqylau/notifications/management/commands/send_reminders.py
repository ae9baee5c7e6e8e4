from django.core.management.base import BaseCommand

from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.assessment.reading import PlanReader
from baqylau.core.output import plans_for_command
from baqylau.notifications.delivery import requeue_due, retry_failed
from baqylau.notifications.reminders import send_digest, send_due_reminders


class Command(BaseCommand):
    help = (
        "Queue the day's reminders (N days before a due date, the first day overdue, reports owed) and, on "
        "the digest weekday, the office's digest; queue again what is due for a retry. Run it daily (cron "
        "or a timer): running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Only this plan (default: every plan).")
        add_as_of_argument(parser)
        parser.add_argument(
            "--digest", action="store_true", help="Send the office's digest today whatever the weekday."
        )
        parser.add_argument(
            "--retry-failed", action="store_true", help="Send again the notifications that failed for good."
        )

    def handle(self, *args, **options):
        day = resolve_as_of(options)
        reminders = digests = 0
        for plan in plans_for_command(options.get("plan")):
            reader = PlanReader(plan, day)
            reminders += len(send_due_reminders(plan, day, reader))
            digests += len(send_digest(plan, day, reader, force=options["digest"]))
        retried = requeue_due()
        if options["retry_failed"]:
            retried += retry_failed()
        self.stdout.write(
            f"{day}: {reminders} reminders and {digests} digests queued; {retried} queued again for a retry"
        )
