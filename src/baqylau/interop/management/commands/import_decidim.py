import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from baqylau.interop.decidim import DecidimRefused, import_decidim
from baqylau.interop.decidim.importer import DEFAULT_PREFIX

MAX_LISTED = 50


class Command(BaseCommand):
    help = (
        "Import a Decidim accountability results CSV (the component's export): results become measures, "
        "their progress accepted reports. Every problem is reported by row and column; all or nothing, "
        "and importing the same file again changes nothing. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The results CSV file ('-' for standard input).")
        parser.add_argument("--plan", required=True, help="Code of the plan to import into.")
        parser.add_argument(
            "--agency",
            required=True,
            help="Code of the agency that leads the results and reports their progress.",
        )
        parser.add_argument(
            "--sphere", help="Sphere code for results whose category matches no sphere (or that have none)."
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="Date of the progress reports, YYYY-MM-DD (default: each result's updated_at).",
        )
        parser.add_argument(
            "--code-prefix", default=DEFAULT_PREFIX, help="Prefix of measure codes (default: %(default)s)."
        )

    def handle(self, *args, **options):
        if options["file"] == "-":
            data = sys.stdin.buffer.read()
        else:
            try:
                with open(options["file"], "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        try:
            done = import_decidim(
                data,
                plan_code=options["plan"],
                agency_code=options["agency"],
                sphere_code=options["sphere"],
                as_of=options["as_of"],
                prefix=options["code_prefix"],
            )
        except DecidimRefused as exc:
            listed = exc.problems[:MAX_LISTED]
            more = len(exc.problems) - len(listed)
            raise CommandError(
                "\n".join([exc.summary, *listed] + ([f"... and {more} more"] if more > 0 else []))
            ) from None
        result = done.result
        if not result.changed:
            self.stdout.write(f"{done.rows} results read into plan {done.plan.code}: nothing changed.")
            return
        for label, counts in (("created", result.created), ("updated", result.updated)):
            if counts:
                self.stdout.write(
                    f"{label}: " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
                )
        self.stdout.write(self.style.SUCCESS(f"{done.rows} results imported into plan {done.plan.code}."))
