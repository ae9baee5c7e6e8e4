"""The briefing as PDF: an HTML/CSS template (A4 portrait, page numbers, a table of contents with page
numbers) printed by WeasyPrint, with the DejaVu fonts the set-up installs embedded."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from weasyprint import HTML

from .content import Briefing


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def briefing_html(briefing: Briefing) -> str:
    return render_to_string(
        "briefings/briefing.html",
        {
            "b": briefing,
            "charts": {name: _data_uri(png) for name, png in briefing.charts.items()},
            "language": briefing.language,
        },
    )


def render_pdf(briefing: Briefing) -> bytes:
    return HTML(string=briefing_html(briefing)).write_pdf()
