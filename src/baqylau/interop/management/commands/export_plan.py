from django.core.management.base import BaseCommand, CommandError

from baqylau.core.output import plans_for_command
from baqylau.interop.workbook import export_workbook
from baqylau.interop.workbook.exporter import TooLargeForXlsx


class Command(BaseCommand):
    help = (
        "Export a plan as a plan workbook: FILE.xlsx, FILE.zip (CSV files) or a folder of CSV files. "
        "Importing the result gives the same plan back. See docs/workbook.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Code of the plan to export.")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            help="Where to write: a path ending in .xlsx or .zip, or else a folder for the CSV files.",
        )

    def handle(self, *args, **options):
        (plan,) = plans_for_command(options["plan"])  # --plan is required: exactly one plan
        try:
            rows = export_workbook(plan, options["output"])
        except TooLargeForXlsx as exc:
            raise CommandError(f"cannot write {options['output']}: {exc}") from None
        except OSError as exc:
            raise CommandError(f"cannot write {options['output']}: {exc.strerror or exc}") from None
        listed = ", ".join(f"{n} {name}" for name, n in rows.items() if n)
        self.stdout.write(self.style.SUCCESS(f"Exported plan {plan.code} to {options['output']}: {listed}."))
