from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.briefings.render import FORMATS, LANGUAGES, make_briefing
from baqylau.core.output import iso_date, plans_for_command


class Command(BaseCommand):
    help = (
        "The briefing of a plan as of a date, as PDF or DOCX, in Kazakh, Russian or English: headline "
        "figures, charts, late and at-risk measures, overdue instructions, discipline, water, changes."
    )
    # A report read from the database: the system checks (a second of URL and app imports) are for the
    # commands that start or change the product (serve's workers, migrate, check).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan code (default: the only plan, or the first by code).")
        add_as_of_argument(parser)
        parser.add_argument(
            "--previous", type=iso_date, help="The previous briefing's date (default: a week earlier)."
        )
        parser.add_argument("--lang", choices=LANGUAGES, default="ru")
        parser.add_argument("--format", choices=tuple(FORMATS), default="pdf")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, **options):
        plans = plans_for_command(options.get("plan"))
        if not plans:
            raise CommandError("no plan is loaded")
        plan = plans[0]
        as_of = resolve_as_of(options)
        previous = options.get("previous")
        if previous and previous >= as_of:
            raise CommandError(f"--previous {previous} must be before --as-of {as_of}")
        data = make_briefing(plan, as_of, options["lang"], options["format"], previous=previous)
        path = Path(options["output"])
        path.write_bytes(data)
        self.stderr.write(
            f"{path}: briefing of {plan.code} as of {as_of} ({options['lang']}, {options['format']}, "
            f"{len(data):,} bytes)"
        )
