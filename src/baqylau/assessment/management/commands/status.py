from baqylau.assessment.judgements import judge_plan
from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.assessment.records import instruction_status_record, measure_status_record
from baqylau.core.output import ListingCommand, plans_for_command


class Command(ListingCommand):
    help = (
        "Every measure and instruction judged as of a date: status, confidence, progress against plan, "
        "forecast, slip and an explanation."
    )
    table_columns = (
        "kind",
        "code",
        "status",
        "confidence",
        "progress",
        "planned",
        "forecast_finish",
        "slip_days",
        "explanation",
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_as_of_argument(parser)

    def rows(self, options):
        as_of = resolve_as_of(options)
        rows = []
        for plan in plans_for_command(options.get("plan")):
            judged = judge_plan(plan, as_of)
            rows += [measure_status_record(judged, code) for code in judged.measures]
            rows += [instruction_status_record(judged, code) for code in judged.instructions]
        return rows
