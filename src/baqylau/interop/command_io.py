"""What the import commands share: reading the input, turning a refusal into a message, the summary."""

import sys

from django.core.management.base import BaseCommand, CommandError

from .refusal import InputRefused

MAX_LISTED = 50  # problems listed in a refusal; the rest are counted


def read_input(path: str) -> bytes:
    """The file's bytes, or standard input for '-'; an unreadable file is refused in a sentence."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None


def refusal(exc: InputRefused) -> CommandError:
    listed = exc.problems[:MAX_LISTED]
    more = len(exc.problems) - len(listed)
    return CommandError("\n".join([exc.summary, *listed] + ([f"... and {more} more"] if more > 0 else [])))


def report_import(command: BaseCommand, result, what: str, plan_code: str) -> None:
    """'N things read into plan P: nothing changed', or what was created and updated."""
    if not result.changed:
        command.stdout.write(f"{what} read into plan {plan_code}: nothing changed.")
        return
    for label, counts in (("created", result.created), ("updated", result.updated)):
        if counts:
            command.stdout.write(
                f"{label}: " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            )
    command.stdout.write(command.style.SUCCESS(f"{what} imported into plan {plan_code}."))


def report_warnings(command: BaseCommand, warnings: list[str]) -> None:
    """What a valid file left out and what was used instead, one line each, on standard error."""
    listed = warnings[:MAX_LISTED]
    for warning in listed:
        command.stderr.write(command.style.WARNING(f"warning: {warning}"))
    if len(warnings) > len(listed):
        command.stderr.write(command.style.WARNING(f"... and {len(warnings) - len(listed)} more warnings"))


def add_default_arguments(parser) -> None:
    """--sphere and --agency: what a measure gets when a valid file leaves its sphere or agency out."""
    parser.add_argument(
        "--sphere", help="Sphere code for measures the file files under none (default: 'unassigned')."
    )
    parser.add_argument(
        "--agency",
        help="Agency code for measures the file names no executing agency for (default: 'unassigned').",
    )
