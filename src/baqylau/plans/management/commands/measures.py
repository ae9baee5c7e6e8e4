from baqylau.core.output import ListingCommand
from baqylau.plans.listing import measure_records


class Command(ListingCommand):
    help = "List the measures of a plan: code, title, sphere, territories, lead agency, dates, capacities."
    table_columns = ("code", "title", "sphere", "territories", "lead_agency", "start", "due", "capacities")

    def rows(self, options):
        return measure_records(options.get("plan"))
