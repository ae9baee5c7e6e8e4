import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from baqylau.assessment.water import facility_forecasts
from baqylau.core.output import FORMATS, add_language_argument, iso_date, language_of, render
from baqylau.reference.models import Territory
from baqylau.waterbalance import report
from baqylau.waterbalance.inputs import MissingInputs
from baqylau.waterbalance.services import WhatIf, WhatIfError, region_balance


class Command(BaseCommand):
    help = (
        "Water balance of a region: demand, supply, deficit and provision by summer, by month and by zone; "
        "--what-if FACILITY=DATE|CAPACITY shows what moving or resizing a facility does to the deficit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default="MNG", help="Region territory code (default: %(default)s).")
        parser.add_argument(
            "--as-of", type=iso_date, help="Date whose month the zone table shows (default: today)."
        )
        parser.add_argument(
            "--from", dest="start", type=iso_date, help="First month (default: 3 years before)."
        )
        parser.add_argument(
            "--to", dest="end", type=iso_date, help="Last month (default: the end of next year)."
        )
        parser.add_argument(
            "--what-if", help="FACILITY=YYYY-MM-DD or FACILITY=CAPACITY, e.g. KENDERLI=2026-06-01."
        )
        parser.add_argument("--monthly", action="store_true", help="Also print every month (table format).")
        parser.add_argument("--format", choices=FORMATS[:2], default="table")
        add_language_argument(parser)

    def handle(self, *args, **options):
        with language_of(options):
            self._report(options)

    def _report(self, options):
        as_of = options["as_of"] or timezone.localdate()
        start = options["start"] or dt.date(as_of.year - 3, 1, 1)
        end = options["end"] or dt.date(as_of.year + 1, 12, 31)
        try:
            region = Territory.objects.get(code=options["region"])
            change = WhatIf.parse(options["what_if"]) if options["what_if"] else None
            forecasts = facility_forecasts(region, as_of)
            comparison = region_balance(region, start, end, change, as_of=as_of, forecasts=forecasts)
        except Territory.DoesNotExist:
            raise CommandError(f"no territory with code {options['region']!r}") from None
        except (WhatIfError, MissingInputs) as exc:
            raise CommandError(str(exc)) from None

        summers, zones = report.summers(comparison), report.zones_on(comparison, as_of)
        if options["format"] == "json":
            payload = {
                "region": region.code,
                "as_of": as_of.isoformat(),
                "from": start.isoformat(),
                "to": end.isoformat(),
                "what_if": options["what_if"],
                "summers": summers,
                "zones_as_of": zones,
                "assumed": report.assumed(comparison),
                "months": report.monthly(comparison),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        title = f"Water balance of {region.label}, m³/day"
        if change:
            title += f"; what-if {options['what_if']} (nothing is saved)"
        self.stdout.write(title + "\n\nSummer (June-August mean), region total:\n" + render(summers, "table"))
        self.stdout.write(
            f"\nFacilities as the model counts them on {as_of}:\n"
            + render(report.assumed(comparison), "table")
        )
        if zones:
            self.stdout.write(f"\nZones in {as_of:%Y-%m}:\n" + render(zones, "table"))
        if options["monthly"]:
            self.stdout.write(
                "\nMonth by month, region total:\n" + render(report.monthly(comparison), "table")
            )
