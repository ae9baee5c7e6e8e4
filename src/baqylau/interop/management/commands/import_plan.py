import argparse
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from baqylau.core.output import acting_user, add_language_argument, add_user_argument
from baqylau.interop.workbook import WorkbookRefused, import_workbook


class Command(BaseCommand):
    help = (
        "Import a plan workbook (an .xlsx file, a .zip of CSV files or a folder of CSV files): every rule "
        "is checked first and every problem listed; nothing is written unless there is none. Rows are "
        "matched by code, so importing the same workbook again changes nothing. See docs/workbook.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The workbook: FILE.xlsx, FILE.zip or a folder of <sheet>.csv.")
        parser.add_argument(
            "--plan",
            help="Code of the plan the rows belong to (may be left out when the workbook has a plan sheet).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Show a progress bar on standard error (default: when it is a terminal).",
        )
        add_language_argument(parser)
        add_user_argument(parser)

    def handle(self, *args, **options):
        language = options.get("language") or translation.get_language()
        with translation.override(language):
            self._import(options)

    def _import(self, options):
        user = acting_user(options, "plans.add_measure")  # importing a plan is the project office's work
        stream = options.get("stderr") or sys.stderr
        show = options["progress"] if options["progress"] is not None else _is_tty(stream)
        bar = _Bar(stream) if show else None
        try:
            result = import_workbook(
                options["file"],
                plan_code=options["plan"],
                dry_run=options["dry_run"],
                progress=bar,
                user=user,
            )
        except WorkbookRefused as refusal:
            if refusal.code == "no_plan":
                raise CommandError(
                    _("The workbook has no plan sheet: name the plan it belongs to with --plan CODE.")
                ) from None
            raise CommandError(refusal.reason) from None
        finally:
            if bar:
                bar.close()
        for warning in result.warnings:
            self.stdout.write(_("warning: %(warning)s") % {"warning": warning})
        for problem in result.problems:
            self.stdout.write(str(problem))
        if result.problems:
            raise CommandError(
                _("%(count)s problem(s) in %(file)s; nothing was written.")
                % {"count": len(result.problems), "file": options["file"]}
            )
        for sheet, rows in result.rows.items():
            created, updated = result.created.get(sheet, 0), result.updated.get(sheet, 0)
            self.stdout.write(
                _("%(sheet)s: %(rows)s rows, %(created)s created, %(updated)s updated")
                % {"sheet": sheet, "rows": rows, "created": created, "updated": updated}
            )
        counts = {"created": result.total_created, "updated": result.total_updated, "plan": result.plan_code}
        if result.dry_run:
            message = _(
                "Dry run: the workbook is valid; importing it would create %(created)s and update "
                "%(updated)s rows of plan %(plan)s. Nothing was written."
            )
        elif result.total_created or result.total_updated:
            message = _("Imported into plan %(plan)s: %(created)s rows created, %(updated)s updated.")
        else:
            message = _("Plan %(plan)s already matches the workbook: nothing changed.")
        self.stdout.write(self.style.SUCCESS(message % counts))


def _is_tty(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class _Bar:
    """A tqdm bar per stage ("checking", then "writing"), driven by the pipeline's progress calls."""

    def __init__(self, stream):
        self.stream = stream
        self.bar = None

    def __call__(self, done: int, total: int, stage: str) -> None:
        from tqdm import tqdm

        if self.bar is None or self.bar.desc != stage:
            self.close()
            self.bar = tqdm(total=total, desc=stage, unit=" rows", file=self.stream, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
