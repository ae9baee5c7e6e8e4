"""The briefing as PDF: an HTML/CSS template (A4 portrait, page numbers, a table of contents with page
numbers) printed by WeasyPrint, with the DejaVu fonts the set-up installs embedded."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from weasyprint import HTML

from .content import ATTENTION_STATUSES, Briefing


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# WeasyPrint lays out a long table in time that grows faster than its rows: long lists are printed as
# consecutive tables of a few dozen rows with the same fixed columns (a 1,000-row annex in a third of
# the time).
ROWS_PER_TABLE = 40
ITEMS_PER_TABLE = 12


def chunks(rows: list, size: int) -> list[list]:
    return [rows[k : k + size] for k in range(0, len(rows), size)]


def briefing_html(briefing: Briefing) -> str:
    return render_to_string(
        "briefings/briefing.html",
        {
            "b": briefing,
            "annex_tables": chunks(briefing.annex, ROWS_PER_TABLE),
            "attention_tables": chunks(briefing.attention, ITEMS_PER_TABLE),
            "status_confidence": list(zip(briefing.status_counts, briefing.confidence_counts, strict=True)),
            "group_statuses": [
                (value, label) for value, label, _c in briefing.status_counts if value in ATTENTION_STATUSES
            ],
            "charts": {name: _data_uri(png) for name, png in briefing.charts.items()},
            "language": briefing.language,
        },
    )


def render_pdf(briefing: Briefing) -> bytes:
    return HTML(string=briefing_html(briefing)).write_pdf()
