from django.core.management.base import CommandError

from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.core.output import ListingCommand, iso_date, plans_for_command
from baqylau.instructions.discipline import GROUPINGS, discipline


class Command(ListingCommand):
    help = (
        "Execution discipline: per responsible agency, official or issuer, the instructions issued, executed "
        "on time against the ORIGINAL deadline, on time only after an extension, late, overdue now, delays, "
        "extensions and the coefficient (on time / due in the period). Each plan ends with its total."
    )
    table_columns = (
        "plan",
        "key",
        "label",
        "issued",
        "due",
        "on_time",
        "after_extension",
        "late",
        "overdue",
        "avg_delay_days",
        "worst_delay_days",
        "extensions_per_instruction",
        "coefficient",
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--by", choices=list(GROUPINGS), default="agency", help="Group by (default: agency)."
        )
        parser.add_argument("--from", dest="start", type=iso_date, help="Period start (original due dates).")
        parser.add_argument("--to", dest="end", type=iso_date, help="Period end (original due dates).")
        add_as_of_argument(parser)

    def rows(self, options):
        start, end = options.get("start"), options.get("end")
        if start and end and start > end:
            raise CommandError(f"--from {start} is after --to {end}")
        as_of = resolve_as_of(options)
        rows = []
        for plan in plans_for_command(options.get("plan")):
            table = discipline(plan, options["by"], start, end, as_of)
            for row in [*table.rows, table.total]:
                rows.append({"plan": plan.code, "by": table.by, **row.record()})
        return rows
