import time

from django.core.management.base import BaseCommand

from baqylau.assessment import store
from baqylau.core.output import plans_for_command


class Command(BaseCommand):
    help = (
        "Judge every plan (or --plan CODE) as of today and replace the stored judgements: run once a day "
        "after midnight (cron or a systemd timer), so that time passing turns measures late. Changes made "
        "through the product are judged as they happen; this is for the calendar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan code (default: every plan).")

    def handle(self, *args, **options):
        for plan in plans_for_command(options.get("plan")):
            began = time.perf_counter()
            state = store.refresh_plan(plan)
            self.stdout.write(
                f"{plan.code}: {state.measures} measures and {state.instructions} instructions judged as of "
                f"{state.as_of} in {time.perf_counter() - began:.2f} s"
            )
