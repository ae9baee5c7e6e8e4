"""Render a judgement as one sentence: "<status>: <reason>; <reason>; ...".

Templates live in plain per-language modules (``lang/en.py``, ``lang/ru.py``, ``lang/kk.py``):
``STATUS`` labels, ``REASONS`` format strings, and ``days`` / ``points`` / ``DECIMAL`` for numbers.
Format fields take a spec: ``{x:pct}`` a percentage, ``{x:pp}`` percentage points, ``{x:days}``
a number of days, ``{x:times}`` how many times, ``{x:num}`` a plain number, ``{p:band}`` a probability
of delivering on time in words, ``{g:stood}`` how far behind plan a measure stood; dates render as ISO
(2025-06-30). A name given in several languages (``{"en": ..., "ru": ..., "kk": ...}``) renders in the
reason's language.
"""

from __future__ import annotations

import _string
import string
from types import ModuleType

from .lang import en, kk, ru
from .reasons import Reason

LANGUAGES: dict[str, ModuleType] = {"en": en, "ru": ru, "kk": kk}
FALLBACK = "en"


def language(lang: str | None) -> ModuleType:
    """The template module for ``lang`` ("ru", "ru-RU", "kk_KZ", ...); English when unknown."""
    code = (lang or FALLBACK).replace("_", "-").split("-")[0].lower()
    return LANGUAGES.get(code, LANGUAGES[FALLBACK])


def explain(judgement, lang: str = FALLBACK, reasons=None) -> str:
    """One sentence explaining a measure or instruction judgement, in ``lang`` (from ``reasons`` when
    given, else the judgement's own)."""
    templates = language(lang)
    head = _status_label(templates, judgement.kind, judgement.status)
    parts = [render_reason(reason, lang) for reason in (judgement.reasons if reasons is None else reasons)]
    return f"{head}: {'; '.join(parts)}" if parts else head


def render_reason(reason: Reason, lang: str = FALLBACK) -> str:
    """One reason in ``lang``; a code missing from a language falls back to English."""
    formatter = _formatters.get(lang)
    if formatter is None:
        formatter = _formatters[lang] = _Formatter(language(lang), lang)
    template = formatter.templates.REASONS.get(reason.code) or LANGUAGES[FALLBACK].REASONS[reason.code]
    return formatter.render(template, reason.params)


_formatters: dict[str, _Formatter] = {}  # by the language asked for, each made once
_parsed: dict[str, tuple | None] = {}


def _pieces(template: str) -> tuple | None:
    """The template's (literal, name, spec, conversion) pieces, parsed once; None when a field is more
    than a plain name with a plain spec (``{a.b}``, ``{x:{w}}``), which ``vformat`` then renders."""
    if template not in _parsed:
        pieces = tuple(_string.formatter_parser(template))
        simple = all(
            name is None or (name.isidentifier() and "{" not in spec) for _literal, name, spec, _c in pieces
        )
        _parsed[template] = pieces if simple else None
    return _parsed[template]


def _status_label(templates: ModuleType, kind: str, status: str) -> str:
    key = f"{kind}.{status}"
    return templates.STATUS.get(key) or LANGUAGES[FALLBACK].STATUS[key]


class _Formatter(string.Formatter):
    def __init__(self, templates: ModuleType, lang: str) -> None:
        super().__init__()
        self.templates = templates
        self.lang = (lang or FALLBACK).replace("_", "-").split("-")[0].lower()

    def render(self, template: str, params: dict) -> str:
        """``vformat(template, (), params)``, from the template parsed once (a list writes many)."""
        pieces = _pieces(template)
        if pieces is None:
            return self.vformat(template, (), params)
        out = []
        for literal, name, spec, conversion in pieces:
            if literal:
                out.append(literal)
            if name is not None:
                value = params[name]
                if conversion:
                    value = self.convert_field(value, conversion)
                out.append(self.format_field(value, spec))
        return "".join(out)

    def format_field(self, value, format_spec: str) -> str:
        t = self.templates
        if isinstance(value, dict):  # a name in several languages
            value = value.get(self.lang) or value.get(FALLBACK) or next(iter(value.values()), "")
        if format_spec == "pct":
            return f"{number(value, t.DECIMAL)}%"
        if format_spec == "pp":
            return t.points(number(value, t.DECIMAL), value)
        if format_spec == "days":
            return t.days(int(value))
        if format_spec == "times":
            return t.times(int(value))
        if format_spec == "band":  # a probability of delivering on time, in words
            return t.LIKELIHOOD_BANDS[_band(value)]
        if format_spec == "stood":
            return t.STOOD[value]
        if format_spec == "num":
            return number(value, t.DECIMAL)
        return super().format_field(value, format_spec)  # dates: str(date) is ISO 8601


def _band(probability: float) -> int:
    """0 very likely on time .. 4 very likely late (the same cut points as the confidence rating)."""
    from .likelihood import score_of

    return score_of(probability)


def number(value: float, decimal: str = ".") -> str:
    """At most one decimal, none when whole: 42, 42.5 (or 42,5)."""
    rounded = round(float(value), 1)
    if rounded == int(rounded):
        return str(int(rounded))  # also turns -0.0 into 0
    return f"{rounded:.1f}".replace(".", decimal)
