"""The one import pipeline for plan workbooks; the command, the upload page and the API all call it.

read (refuse what is not a workbook) -> check every rule, collecting every problem -> when there is
none, write everything inside one transaction (or, for a dry run, work out what would be written).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.db import DataError, IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from baqylau.assessment import store
from baqylau.core.interface import interface

from .checks import Checker
from .results import ImportResult, WorkbookRefused
from .source import read_source
from .writer import Writer

# progress(done, total, stage): rows processed so far in the stage "checking" or "writing".
Progress = Callable[[int, int, str], None]


def import_workbook(
    source,
    plan_code: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    language: str | None = None,
    user=None,
) -> ImportResult:
    """Import a plan workbook into the database.

    ``source`` is a path (an .xlsx file, a .zip of CSV files, or a folder of ``<sheet>.csv``) or an
    open binary file (an upload). ``plan_code`` names the plan the rows belong to; it may be left
    out when the workbook has a ``plan`` sheet, and must then agree with it. ``language`` chooses the
    language of the messages; ``user`` is recorded in the audit history.

    Raises ``WorkbookRefused`` when the file cannot be taken at all (not a workbook, encrypted,
    empty, a required sheet missing, too large, no plan to import into). Otherwise returns an
    ``ImportResult``: with ``problems`` nothing was written; without, everything was (unless
    ``dry_run``, which writes nothing and reports what would be created and updated).
    """
    with translation.override(language) if language else nullcontext():
        raw = read_source(source)
        checked = Checker(raw, plan_code, progress).run()
        result = ImportResult(
            plan_code=checked.plan_code,
            dry_run=dry_run,
            problems=checked.problems,
            warnings=checked.warnings,
            rows={name: len(parsed.rows) for name, parsed in checked.sheets.items() if parsed.rows},
        )
        if result.problems:
            return result
        writer = Writer(
            checked, dry_run=dry_run, reason=f"Workbook import: {raw.label}", user=user, progress=progress
        )
        if dry_run:
            writer.run()
        else:
            try:
                with interface("import"), transaction.atomic(), store.batch():
                    writer.run()
                    # The writer works in bulk (no signals): the whole plan is judged once, at the end.
                    store.touched(writer.plan_id, whole=True)
            except IntegrityError as exc:
                # Only a concurrent change can get here: everything the database checks was checked.
                raise WorkbookRefused(
                    "conflict",
                    _(
                        "The database changed while the workbook was being imported; nothing was written. "
                        "Try again."
                    ),
                ) from exc
            except DataError as exc:  # a value the checks let through but the database cannot hold
                raise WorkbookRefused(
                    "database",
                    _("The database refused a value (%(error)s); nothing was written.") % {"error": exc},
                ) from exc
            result.written = True
        result.created, result.updated = writer.created, writer.updated
        return result
