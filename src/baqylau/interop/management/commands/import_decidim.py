from django.core.management.base import BaseCommand

from baqylau.core.output import iso_date
from baqylau.interop.command_io import read_input, refusal, report_import
from baqylau.interop.decidim import DecidimRefused, import_decidim
from baqylau.interop.decidim.importer import DEFAULT_PREFIX


class Command(BaseCommand):
    help = (
        "Import a Decidim accountability results CSV (the component's export): results become measures, "
        "their progress accepted reports. Every problem is reported by row and column; all or nothing, "
        "and importing the same file again changes nothing. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The results CSV file ('-' for standard input).")
        parser.add_argument("--plan", required=True, help="Code of the plan to import into.")
        parser.add_argument(
            "--agency",
            required=True,
            help="Code of the agency that leads the results and reports their progress.",
        )
        parser.add_argument(
            "--sphere", help="Sphere code for results whose category matches no sphere (or that have none)."
        )
        parser.add_argument(
            "--as-of",
            type=iso_date,
            help="Date of the progress reports, YYYY-MM-DD (default: each result's updated_at).",
        )
        parser.add_argument(
            "--code-prefix", default=DEFAULT_PREFIX, help="Prefix of measure codes (default: %(default)s)."
        )

    def handle(self, *args, **options):
        data = read_input(options["file"])
        try:
            done = import_decidim(
                data,
                plan_code=options["plan"],
                agency_code=options["agency"],
                sphere_code=options["sphere"],
                as_of=options["as_of"],
                prefix=options["code_prefix"],
            )
        except DecidimRefused as exc:
            raise refusal(exc) from None
        report_import(self, done.result, f"{done.rows} results", done.plan.code)
