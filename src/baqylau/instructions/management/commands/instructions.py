from baqylau.core.output import ListingCommand
from baqylau.instructions.listing import instruction_records


class Command(ListingCommand):
    help = (
        "List the instructions of a plan: code, text, event, responsible and executors, issued, term, "
        "original and current due, state."
    )
    table_columns = (
        "code", "text", "event", "responsible", "executors", "issued_on", "original_due", "due", "state",
    )  # fmt: skip

    def rows(self, options):
        return instruction_records(options.get("plan"))
