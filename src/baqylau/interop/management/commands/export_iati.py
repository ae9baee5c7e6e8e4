from django.core.management.base import BaseCommand, CommandError

from baqylau.core.output import iso_date, plans_for_command, write_output
from baqylau.interop.iati import IatiRefused, ReportingOrg, export_plans


class Command(BaseCommand):
    help = (
        "Export measures as an IATI 2.03 activity file (one iati-activity per measure), checked against "
        "the official schema before it is written. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan code (default: every plan).")
        parser.add_argument("-o", "--output", default="-", help="File to write (default: standard output).")
        parser.add_argument(
            "--reporting-org-ref",
            help="The publisher's IATI organisation identifier (default: the BAQYLAU_IATI_REPORTING_ORG "
            "setting, else the placeholder XX-BAQYLAU).",
        )
        parser.add_argument(
            "--as-of",
            type=iso_date,
            help="Date the activity status is judged on, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options):
        plans = plans_for_command(options["plan"])
        try:
            data = export_plans(
                plans, org=ReportingOrg.configured(options["reporting_org_ref"]), as_of=options["as_of"]
            )
        except IatiRefused as exc:
            raise CommandError(exc.message) from None
        write_output(self, data, options["output"], f"IATI 2.03 file ({len(data)} bytes)")
