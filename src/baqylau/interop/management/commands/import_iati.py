from django.core.management.base import BaseCommand

from baqylau.interop.command_io import (
    add_default_arguments,
    read_input,
    refusal,
    report_import,
    report_warnings,
)
from baqylau.interop.iati import IatiRefused, import_iati


class Command(BaseCommand):
    help = (
        "Import an IATI 2.03 activity file: validated against the official schema first, then activities "
        "become measures and results become indicators, targets and actuals; all or nothing, and "
        "importing the same file again changes nothing. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The IATI XML file ('-' for standard input).")
        parser.add_argument(
            "--plan", help="Plan code to import into (default: the plan named in a Baqylau export)."
        )
        parser.add_argument(
            "--region",
            help="Territory code of the region, to create the plan when --plan names none that exists.",
        )
        parser.add_argument("--title", help="Title of a plan created by this import (default: its code).")
        add_default_arguments(parser)

    def handle(self, *args, **options):
        data = read_input(options["file"])
        try:
            done = import_iati(
                data,
                plan_code=options["plan"],
                region_code=options["region"],
                plan_title=options["title"],
                sphere_code=options["sphere"],
                agency_code=options["agency"],
            )
        except IatiRefused as exc:
            raise refusal(exc) from None
        report_warnings(self, done.warnings)
        report_import(self, done.result, f"{done.activities} activities", done.plan.code)
