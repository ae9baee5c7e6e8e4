"""Options shared by the assessment commands: the as-of date and the plans to judge."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone


def as_of_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write YYYY-MM-DD") from None


def add_as_of_argument(parser) -> None:
    parser.add_argument(
        "--as-of", type=as_of_date, help="Judge as of this date, YYYY-MM-DD (default: today)."
    )


def resolve_as_of(options) -> dt.date:
    return options.get("as_of") or timezone.localdate()
