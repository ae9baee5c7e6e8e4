from django.core.management.base import BaseCommand, CommandError

from baqylau.core.output import iso_date, plans_for_command, write_output
from baqylau.interop.oc4ids import Oc4idsRefused, Publisher, dumps, export_package


class Command(BaseCommand):
    help = (
        "Export facilities as an OC4IDS 0.9.5 project package (one project per facility), validated "
        "against the official schema before it is written. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan code (default: every plan).")
        parser.add_argument("-o", "--output", default="-", help="File to write (default: standard output).")
        parser.add_argument(
            "--prefix",
            help="The publisher's registered OC4IDS project-id prefix, e.g. oc4ids-ab12cd (default: the "
            "BAQYLAU_OC4IDS setting, else the placeholder oc4ids-baqylau).",
        )
        parser.add_argument(
            "--as-of",
            type=iso_date,
            help="Date statuses and milestones are judged on, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options):
        plans = plans_for_command(options["plan"])
        try:
            package = export_package(
                plans, publisher=Publisher.configured(options["prefix"]), as_of=options["as_of"]
            )
        except Oc4idsRefused as exc:
            raise CommandError(exc.message) from None
        summary = f"OC4IDS package with {len(package['projects'])} projects"
        write_output(self, dumps(package), options["output"], summary)
