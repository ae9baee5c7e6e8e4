import time

from django.core.management.base import BaseCommand

from baqylau.assessment import store
from baqylau.core.output import plans_for_command


class Command(BaseCommand):
    help = (
        "Bring every plan's stored judgements (or --plan CODE's) to today: run once a day after midnight "
        "(cron or a systemd timer), so that time passing turns measures late and instructions overdue. "
        "Changes made through the product are judged as they happen; this is for the calendar. "
        "--rebuild judges from all the facts again instead of from the stored figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan code (default: every plan).")
        parser.add_argument("--rebuild", action="store_true", help="Judge from all the facts again.")

    def handle(self, *args, **options):
        step = store.refresh_plan if options["rebuild"] else store.advance_plan
        for plan in plans_for_command(options.get("plan")):
            began = time.perf_counter()
            state = step(plan)
            self.stdout.write(
                f"{plan.code}: {state.measures} measures and {state.instructions} instructions judged as of "
                f"{state.as_of} in {time.perf_counter() - began:.2f} s"
            )
