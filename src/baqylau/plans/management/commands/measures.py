from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.assessment.reading import PlanReader
from baqylau.core.output import ListingCommand, plans_for_command
from baqylau.plans.listing import measure_record
from baqylau.plans.selectors import measures_for_listing


class Command(ListingCommand):
    help = (
        "List the measures of a plan: code, title, sphere, territories, lead agency, dates, capacities, "
        "source, and the status and confidence as of a date."
    )
    table_columns = (
        "code",
        "title",
        "sphere",
        "territories",
        "lead_agency",
        "due",
        "capacities",
        "status",
        "confidence",
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_as_of_argument(parser)

    def rows(self, options):
        as_of = resolve_as_of(options)
        rows = []
        for plan in plans_for_command(options.get("plan")):
            for row in PlanReader(plan, as_of).measure_rows(measures_for_listing(plan.code)):
                record = measure_record(row["measure"])
                verdict = row["judgement"]
                record.update(as_of=as_of, status=verdict.status.value, confidence=verdict.confidence.value)
                rows.append(record)
        return rows
