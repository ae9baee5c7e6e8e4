from baqylau.core.output import ListingCommand
from baqylau.instructions.listing import instruction_records


class Command(ListingCommand):
    help = "List the instructions of a plan: code, text, event, executors, issued, term, due, status."
    table_columns = ("code", "text", "event", "executors", "issued_on", "term_days", "due", "status")

    def rows(self, options):
        return instruction_records(options.get("plan"))
