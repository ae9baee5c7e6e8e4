import sys

from django.core.management.base import BaseCommand, CommandError

from baqylau.interop.iati import IatiRefused, import_iati

MAX_LISTED = 50


def refusal(exc: IatiRefused) -> CommandError:
    listed = exc.problems[:MAX_LISTED]
    more = len(exc.problems) - len(listed)
    lines = [exc.summary, *listed] + ([f"... and {more} more"] if more > 0 else [])
    return CommandError("\n".join(lines))


class Command(BaseCommand):
    help = (
        "Import an IATI 2.03 activity file: validated against the official schema first, then activities "
        "become measures and results become indicators, targets and actuals; all or nothing, and "
        "importing the same file again changes nothing. See docs/interop.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The IATI XML file ('-' for standard input).")
        parser.add_argument(
            "--plan", help="Plan code to import into (default: the plan named in a Baqylau export)."
        )
        parser.add_argument(
            "--region",
            help="Territory code of the region, to create the plan when --plan names none that exists.",
        )
        parser.add_argument("--title", help="Title of a plan created by this import (default: its code).")

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
            done = import_iati(
                data, plan_code=options["plan"], region_code=options["region"], plan_title=options["title"]
            )
        except IatiRefused as exc:
            raise refusal(exc) from None
        result = done.result
        if not result.changed:
            self.stdout.write(
                f"{done.activities} activities read into plan {done.plan.code}: nothing changed."
            )
            return
        for label, counts in (("created", result.created), ("updated", result.updated)):
            if counts:
                self.stdout.write(
                    f"{label}: " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
                )
        self.stdout.write(
            self.style.SUCCESS(f"{done.activities} activities imported into plan {done.plan.code}.")
        )
