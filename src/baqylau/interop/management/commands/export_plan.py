from django.core.management.base import BaseCommand, CommandError

from baqylau.interop.workbook import export_workbook


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
        from baqylau.plans.models import Plan

        code = options["plan"]
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            known = ", ".join(Plan.objects.order_by("code").values_list("code", flat=True)) or "none loaded"
            raise CommandError(f"no plan with code {code!r} (plans: {known})")
        try:
            rows = export_workbook(plan, options["output"])
        except OSError as exc:
            raise CommandError(f"cannot write {options['output']}: {exc.strerror or exc}") from None
        listed = ", ".join(f"{n} {name}" for name, n in rows.items() if n)
        self.stdout.write(self.style.SUCCESS(f"Exported plan {plan.code} to {options['output']}: {listed}."))
