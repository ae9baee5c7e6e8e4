from django.core.management.base import BaseCommand

from baqylau.interop.command_io import (
    add_default_arguments,
    read_input,
    refusal,
    report_import,
    report_warnings,
)
from baqylau.interop.oc4ids import Oc4idsRefused, import_oc4ids


class Command(BaseCommand):
    help = (
        "Import an OC4IDS 0.9.5 project package: validated against the official schema first, then each "
        "project becomes a facility under a measure of the plan; all or nothing, and importing the same "
        "package again changes nothing. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The package JSON file ('-' for standard input).")
        parser.add_argument("--plan", required=True, help="Code of the plan to import into.")
        add_default_arguments(parser)

    def handle(self, *args, **options):
        data = read_input(options["file"])
        try:
            done = import_oc4ids(
                data, plan_code=options["plan"], sphere_code=options["sphere"], agency_code=options["agency"]
            )
        except Oc4idsRefused as exc:
            raise refusal(exc) from None
        report_warnings(self, done.warnings)
        report_import(self, done.result, f"{done.projects} projects", done.plan.code)
