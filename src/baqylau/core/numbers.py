"""How figures read, in the active locale: one rule for each kind, used by templates and view-models
alike, so a page never shows the same figure rounded two ways."""

from decimal import Decimal

from django.utils.formats import get_format, number_format


def percent(value: float | None) -> str:
    """A percentage: one decimal at most, none when it rounds to a whole number (42%, 42,5%); an em
    dash when unknown. Rounded half to even once, here."""
    if value is None:
        return "—"
    rounded = round(float(value), 1)
    places = 0 if rounded == int(rounded) else 1
    return f"{number_format(rounded, decimal_pos=places, use_l10n=True)}%"


def figure(value: Decimal | float | None, separator: str | None = None) -> str:
    """A measured value (an indicator's target or actual): at most two decimals, none when whole, the
    locale's decimal separator (``separator``, when the caller has it, saves looking it up per value);
    an em dash when unknown."""
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    separator = separator or get_format("DECIMAL_SEPARATOR")
    return text.replace(".", separator) if separator != "." else text
