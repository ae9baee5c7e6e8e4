"""Texts kept in three languages: a base field (``title``) plus ``title_ru`` and ``title_kk``.

The base field holds the English text, or whatever language the source gave. A reader gets the
text in the active language and falls back to the language that exists, so nothing shows blank.
"""

from django.utils.translation import get_language

FALLBACK_ORDER = {"en": ("", "_ru", "_kk"), "ru": ("_ru", "", "_kk"), "kk": ("_kk", "_ru", "")}


def _first(get, field: str, language: str | None) -> str:
    lang = (language or get_language() or "en").split("-")[0]
    for suffix in FALLBACK_ORDER.get(lang, FALLBACK_ORDER["en"]):
        value = get(field + suffix, "")
        if value:
            return value
    return ""


def translated(obj, field: str, language: str | None = None) -> str:
    return _first(lambda name, default: getattr(obj, name, default), field, language)


def translated_in(values, field: str, language: str | None = None) -> str:
    """``translated`` for a row of values (a mapping holding ``field``, ``field_ru``, ``field_kk``)."""
    return _first(values.get, field, language)


class TranslatedStrMixin:
    """``str(obj)`` is ``code — name`` in the active language; models name their text field."""

    text_field = "name"

    @property
    def label(self) -> str:
        return translated(self, self.text_field)

    def __str__(self) -> str:
        code = getattr(self, "code", "")
        return f"{code} — {self.label}" if code else self.label
