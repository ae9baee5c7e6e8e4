"""The --as-of option shared by the assessment commands."""

import datetime as dt

from django.utils import timezone

from baqylau.core.output import iso_date


def add_as_of_argument(parser) -> None:
    parser.add_argument("--as-of", type=iso_date, help="Judge as of this date, YYYY-MM-DD (default: today).")


def resolve_as_of(options) -> dt.date:
    return options.get("as_of") or timezone.localdate()
