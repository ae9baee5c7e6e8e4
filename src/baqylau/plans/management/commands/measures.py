from baqylau.assessment.judgements import judge_plan
from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.core.output import ListingCommand, plans_for_command
from baqylau.plans.listing import measure_records


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
        verdicts = {}
        for plan in plans_for_command(options.get("plan")):
            judged = judge_plan(plan, as_of)
            verdicts.update({(plan.code, code): j for code, j in judged.measures.items()})
        rows = measure_records(options.get("plan"))
        for row in rows:
            verdict = verdicts[(row["plan"], row["code"])]
            row.update(as_of=as_of, status=verdict.status.value, confidence=verdict.confidence.value)
        return rows
