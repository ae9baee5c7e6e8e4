import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from baqylau.interop.iati import IatiRefused, ReportingOrg, export_plans
from baqylau.plans.models import Plan


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
            type=dt.date.fromisoformat,
            help="Date the activity status is judged on, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options):
        plans = Plan.objects.order_by("code")
        if options["plan"]:
            plans = plans.filter(code=options["plan"])
            if not plans:
                known = ", ".join(Plan.objects.values_list("code", flat=True)) or "none loaded"
                raise CommandError(f"no plan with code {options['plan']!r} (plans: {known})")
        try:
            data = export_plans(
                plans, org=ReportingOrg.configured(options["reporting_org_ref"]), as_of=options["as_of"]
            )
        except IatiRefused as exc:
            raise CommandError(exc.message) from None
        if options["output"] == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
        else:
            with open(options["output"], "wb") as handle:
                handle.write(data)
            self.stderr.write(f"IATI 2.03 file written to {options['output']} ({len(data)} bytes).")
