from django.db.models import Prefetch

from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.assessment.reading import PlanReader
from baqylau.assessment.records import instruction_status_record, measure_status_record
from baqylau.core.output import ListingCommand, plans_for_command
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure
from baqylau.reference.models import Agency, Territory


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
            reader = PlanReader(plan, as_of)
            measures = Measure.objects.filter(plan=plan).select_related("plan", "sphere", "lead_agency")
            measures = measures.prefetch_related(Prefetch("territories", Territory.objects.order_by("code")))
            rows += [
                measure_status_record(r["measure"], r["judgement"]) for r in reader.measure_rows(measures)
            ]
            instructions = Instruction.objects.filter(plan=plan).select_related("plan")
            instructions = instructions.prefetch_related(
                Prefetch("executors", Agency.objects.order_by("code"))
            )
            rows += [
                instruction_status_record(r["instruction"], r["judgement"])
                for r in reader.instruction_rows(instructions)
            ]
        return rows
