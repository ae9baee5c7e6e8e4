"""Reading one cell: text, codes, lists, dates, numbers. Plain functions, no database.

Each reader takes the raw value (a string from CSV; a string, number or date from XLSX) that is
not blank, and returns the Python value or raises ``CellError`` with a sentence for the user.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from baqylau.core.codes import CODE_RULE, is_code
from baqylau.core.spreadsheet import UNHOLDABLE  # an XLSX cannot hold them; a CSV could

from .spec import LIST_SEPARATOR

# Spaces Russian-locale Excel puts between thousands: ordinary, no-break and narrow no-break.
GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class CellError(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def shown(value) -> str:
    """The cell as the user typed it, for messages."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """Free text, kept as written (line breaks normalised to ``\\n``); numbers and dates as shown."""
    if isinstance(value, str):
        if UNHOLDABLE.search(value):
            raise CellError(_("The text contains a control character that a workbook cannot hold."))
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return shown(value)


def code(value) -> str:
    result = text(value).strip()
    if LIST_SEPARATOR in result:
        raise CellError(_("A code must not contain “;”, which separates the codes in a list."))
    if not is_code(result):
        raise CellError(str(CODE_RULE))
    return result


def codes(value) -> tuple[str, ...]:
    """A ``;``-separated list of codes; blanks are skipped and repeats kept once, in order."""
    seen: dict[str, None] = {}
    for part in text(value).split(LIST_SEPARATOR):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        stripped = value.strip()
        match = ISO_DATE.fullmatch(stripped)
        if match:
            year, month, day = map(int, match.groups())
        else:
            match = DOTTED_DATE.fullmatch(stripped)
            if match:
                day, month, year = map(int, match.groups())
        if match:
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise CellError(_("This is not a real date (no such day in the calendar).")) from None
    raise CellError(_("This is not a date: write it as YYYY-MM-DD (e.g. 2024-12-31) or use an Excel date."))


def decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("This is not a number."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("This is not a finite number."))
        return Decimal(repr(value))  # the shortest decimal that is this float: 602.1, not 602.10000000000002
    if isinstance(value, str):
        cleaned = value.strip().translate(GROUP_SPACES)
        if "," in cleaned:
            if "." in cleaned or cleaned.count(",") > 1:
                raise CellError(
                    _(
                        "This number is ambiguous: use one decimal separator (a comma or a point) "
                        "and no thousands separator."
                    )
                )
            cleaned = cleaned.replace(",", ".")
        try:
            result = Decimal(cleaned)
        except InvalidOperation:
            result = None
        if result is not None and result.is_finite() and cleaned and cleaned[-1].isdigit():
            return result
    raise CellError(_("This is not a number."))


def integer(value) -> int:
    number = decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("This must be a whole number."))
    return int(number)


def floating(value) -> float:
    return float(decimal(value))


def year(value) -> int:
    result = integer(value)
    if not 1800 <= result <= 2200:
        raise CellError(_("This is not a year (expected four digits, e.g. 2024)."))
    return result


def decimal_fits(value: Decimal, max_digits: int, decimal_places: int) -> str | None:
    """Why ``value`` does not fit a decimal column of the database, or None when it fits."""
    normal = value.normalize()
    _sign, digits, exponent = normal.as_tuple()
    places = max(-exponent, 0)
    whole = len(digits) + exponent
    if places > decimal_places:
        return _("The number has more than %(places)s decimal places.") % {"places": decimal_places}
    if max(whole, 0) > max_digits - decimal_places:
        return _("The number is too large (at most %(digits)s digits before the decimal point).") % {
            "digits": max_digits - decimal_places
        }
    return None
