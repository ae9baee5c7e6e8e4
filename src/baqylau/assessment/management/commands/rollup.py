from baqylau.assessment.options import add_as_of_argument, resolve_as_of
from baqylau.assessment.reading import PlanReader
from baqylau.assessment.records import group_record
from baqylau.assessment.store import MEASURE_GROUPINGS
from baqylau.core.output import ListingCommand, plans_for_command
from baqylau.reference.models import Agency, Sphere, Territory

NAMES = {"sphere": Sphere, "territory": Territory, "agency": Agency}


class Command(ListingCommand):
    help = (
        "Measures rolled up by plan, sphere, territory or agency as of a date: counts per status, weighted "
        "progress (unknown progress counted apart), worst confidence. Parents are not counted twice: "
        "the roll-up counts measures without children."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_as_of_argument(parser)
        parser.add_argument(
            "--by", choices=MEASURE_GROUPINGS, default="sphere", help="Group by (default: %(default)s)."
        )

    def rows(self, options):
        as_of, by = resolve_as_of(options), options["by"]
        rows = []
        for plan in plans_for_command(options.get("plan")):
            groups = PlanReader(plan, as_of).rollup(by)
            if by == "plan":
                names = {plan.code: plan.label}
            else:
                names = {o.code: o.label for o in NAMES[by].objects.filter(code__in=groups)}
            rows += [group_record(by, key, names.get(key, key), summary) for key, summary in groups.items()]
        return rows
