"""How figures read, in the active locale: one rule for each kind, used by templates and view-models
alike, so a page never shows the same figure rounded two ways."""

from django.utils.formats import number_format


def percent(value: float | None) -> str:
    """A percentage: one decimal at most, none when it rounds to a whole number (42%, 42,5%); an em
    dash when unknown. Rounded half to even once, here."""
    if value is None:
        return "—"
    rounded = round(float(value), 1)
    places = 0 if rounded == int(rounded) else 1
    return f"{number_format(rounded, decimal_pos=places, use_l10n=True)}%"
