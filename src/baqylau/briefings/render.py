"""A briefing file: the content in one language, its charts, laid out as PDF or DOCX."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from baqylau.plans.models import Plan

from . import charts
from .content import Briefing, build_briefing

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANGUAGES = ("kk", "ru", "en")


def chart_words() -> dict[str, str]:
    return {
        "status": _("Measures by status"),
        "confidence": _("Delivery confidence"),
        "by sphere": _("Measures by status in each sphere"),
        "demand": _("demand"),
        "supply": _("water available"),
        "deficit": _("deficit"),
        "as of": _("as of"),
        "m³/day": _("m³/day"),
    }


def prepare(plan: Plan, as_of: dt.date, language: str, user=None, previous=None) -> Briefing:
    """The briefing's content and charts in ``language``."""
    with translation.override(language):
        briefing = build_briefing(plan, as_of, user=user, previous=previous, language=language)
        charts.render_all(briefing, chart_words())
    return briefing


def render(briefing: Briefing, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown briefing format {fmt!r} (formats: {', '.join(FORMATS)})")
    with translation.override(briefing.language):
        if fmt == "pdf":
            from .pdf import render_pdf

            return render_pdf(briefing)
        from .word import render_docx

        return render_docx(briefing)


def make_briefing(plan: Plan, as_of: dt.date, language: str, fmt: str, user=None, previous=None) -> bytes:
    return render(prepare(plan, as_of, language, user=user, previous=previous), fmt)


def file_name(plan: Plan, as_of: dt.date, language: str, fmt: str) -> str:
    return f"briefing-{plan.code}-{as_of.isoformat()}-{language}.{fmt}"
