import sys

from django.core.management.base import BaseCommand, CommandError

from baqylau.interop.oc4ids import Oc4idsRefused, import_oc4ids

MAX_LISTED = 50


class Command(BaseCommand):
    help = (
        "Import an OC4IDS 0.9.5 project package: validated against the official schema first, then each "
        "project becomes a facility under a measure of the plan; all or nothing, and importing the same "
        "package again changes nothing. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The package JSON file ('-' for standard input).")
        parser.add_argument("--plan", required=True, help="Code of the plan to import into.")

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
            done = import_oc4ids(data, plan_code=options["plan"])
        except Oc4idsRefused as exc:
            listed = exc.problems[:MAX_LISTED]
            more = len(exc.problems) - len(listed)
            raise CommandError(
                "\n".join([exc.summary, *listed] + ([f"... and {more} more"] if more > 0 else []))
            ) from None
        result = done.result
        if not result.changed:
            self.stdout.write(f"{done.projects} projects read into plan {done.plan.code}: nothing changed.")
            return
        for label, counts in (("created", result.created), ("updated", result.updated)):
            if counts:
                self.stdout.write(
                    f"{label}: " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
                )
        self.stdout.write(
            self.style.SUCCESS(f"{done.projects} projects imported into plan {done.plan.code}.")
        )
