"""Printing records from the command line as a table, JSON or CSV: one way for every command."""

import contextlib
import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tabulate import tabulate

FORMATS = ("table", "json", "csv")


def add_format_argument(parser, default: str = "table") -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default=default, help="Output format (default: %(default)s)."
    )


def iso_date(value: str) -> date:
    """An argparse type: a YYYY-MM-DD date, or a refusal that says how to write one."""
    from .dates import era_message, in_era

    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write YYYY-MM-DD") from None
    if not in_era(parsed):
        raise CommandError(f"{value}: {era_message()}")
    return parsed


def add_language_argument(parser) -> None:
    parser.add_argument(
        "--language",
        choices=[code for code, _ in settings.LANGUAGES],
        help="Language of titles and names (default: the site's; missing text falls back).",
    )


def language_of(options):
    """The language chosen with --language, active only while the command runs (restored after)."""
    return translation.override(options["language"]) if options.get("language") else contextlib.nullcontext()


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value) -> str:
    """A table or CSV cell: lists joined with '; ' as in the plan workbook."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def _csv_cell(value) -> str:
    from .spreadsheet import csv_text

    plain = _plain(value)
    text = _cell(value)
    return text if isinstance(plain, int | float | bool) or plain is None else csv_text(text)


def render(rows: Sequence[dict], fmt: str, table_columns: Sequence[str] | None = None) -> str:
    """Rows of plain dicts in the chosen format. The table may show fewer columns than JSON and CSV."""
    if fmt == "json":
        return json.dumps([_plain(r) for r in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        if not rows:
            return ""
        buffer = io.StringIO()
        # Rows of several kinds (measures and instructions): every column any row has.
        columns = list(dict.fromkeys(key for row in rows for key in row))
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        # A text a spreadsheet would read as a formula is neutralised (core/spreadsheet.py); numbers are not.
        writer.writerows({k: _csv_cell(v) for k, v in r.items()} for r in rows)
        return buffer.getvalue().rstrip("\n")
    if fmt == "table":
        columns = list(table_columns or (rows[0] if rows else []))
        return tabulate([[_cell(r.get(c)) for c in columns] for r in rows], headers=columns, maxcolwidths=60)
    raise CommandError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def plans_for_command(code: str | None):
    """The plans a command works on: the one named by --plan (refused when unknown), else every plan."""
    from baqylau.plans.models import Plan

    plans = Plan.objects.select_related("region").order_by("code")
    if code:
        plans = plans.filter(code=code)
        if not plans:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "none loaded"
            raise CommandError(f"no plan with code {code!r} (plans: {known})")
    return list(plans)


def write_output(command: BaseCommand, content: str | bytes, path: str, summary: str) -> None:
    """Write an export to standard output ("-") or to a file, saying on standard error what was written."""
    if path == "-":
        command.stdout.write(content.decode("utf-8") if isinstance(content, bytes) else content, ending="")
        return
    mode, encoding = ("wb", None) if isinstance(content, bytes) else ("w", "utf-8")
    with open(path, mode, encoding=encoding) as handle:
        handle.write(content)
    command.stderr.write(f"{summary} written to {path}.")


class ListingCommand(BaseCommand):
    """A command that prints rows of one plan (or all plans) in the chosen format."""

    table_columns: Sequence[str] = ()

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan code (default: every plan).")
        add_language_argument(parser)
        add_format_argument(parser)

    def rows(self, options) -> list[dict]:
        raise NotImplementedError

    def handle(self, *args, **options):
        with language_of(options):
            plans_for_command(options.get("plan"))  # an unknown plan is refused before anything is printed
            self.stdout.write(render(self.rows(options), options["format"], self.table_columns))


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        help="Act as this user: the same permission rules as the pages apply, and the audit history names "
        "them (default: the operator, who has the server's full trust).",
    )


def acting_user(options, permission: str, obj=None):
    """The user named by --user, refused unless the rules grant ``permission``; None for the operator."""
    username = options.get("user")
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    if not user.has_perm(permission, obj):
        raise CommandError(f"{username} may not do this ({permission}): refused, nothing was written")
    return user
