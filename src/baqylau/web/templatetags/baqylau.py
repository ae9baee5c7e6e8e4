"""Small display helpers for templates: no business rules, only how a value looks."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from baqylau.core import numbers
from baqylau.core.translation import translated as translated_text

register = template.Library()

STATUS_LABELS = {
    "done": _("done"),
    "not_started": _("not started"),
    "on_track": _("on track"),
    "at_risk": _("at risk"),
    "late": _("late"),
    "executed": _("executed"),
    "open": _("open"),
    "overdue": _("overdue"),
    "withdrawn": _("withdrawn"),
    "not_issued": _("not issued"),
}
CONFIDENCE_LABELS = {
    "green": _("green"),
    "amber_green": _("amber/green"),
    "amber": _("amber"),
    "amber_red": _("amber/red"),
    "red": _("red"),
}


INTERFACE_LABELS = {
    "web": _("pages"),
    "admin": _("administration"),
    "api": _("API"),
    "cli": _("command line"),
    "import": _("import"),
    "system": _("system"),
}


@register.filter
def translated(obj, field: str) -> str:
    """A text kept in three columns (``field``, ``field_ru``, ``field_kk``), in the page's language."""
    return translated_text(obj, field)


@register.filter
def interface_label(value) -> str:
    """Which door a change came in by, in words (the audit history stores a code)."""
    return INTERFACE_LABELS.get(value, value)


@register.filter
def status_label(value) -> str:
    return STATUS_LABELS.get(getattr(value, "value", value), value)


@register.filter
def confidence_label(value) -> str:
    return CONFIDENCE_LABELS.get(getattr(value, "value", value), value)


@register.filter
def css_value(value) -> str:
    """An enum or string as a CSS class suffix."""
    return str(getattr(value, "value", value) or "unknown").replace("_", "-")


@register.filter
def percent(value) -> str:
    """42% or 42,5% in the active locale's number format; an em dash when unknown (``core.numbers``)."""
    return numbers.percent(value)


@register.filter
def fraction_percent(value) -> str:
    """A share 0..1 as a percentage (0.425 -> 42,5%)."""
    return numbers.percent(None if value is None else 100.0 * value)


@register.filter
def figure(value) -> str:
    """An indicator's value: at most two decimals, none when whole (``core.numbers.figure``)."""
    return numbers.figure(value)


@register.filter
def whole(value) -> str:
    """A whole number with the locale's grouping (263 893 in Russian, 263,893 in English)."""
    if value is None:
        return "—"
    return number_format(round(value), decimal_pos=0, use_l10n=True, force_grouping=True)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for sort links and pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
