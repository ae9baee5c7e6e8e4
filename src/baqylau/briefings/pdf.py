"""The briefing as PDF: an HTML/CSS template (A4 portrait, page numbers, a table of contents with page
numbers) printed by WeasyPrint, with the DejaVu fonts the set-up installs embedded.

Speed: WeasyPrint lays out about one table cell a millisecond, on one core, and a 1,000-measure plan's
briefing has some 15,000 cells, nearly half of them in the annex. The annex opens a page of its own, so
it is laid out as a document of its own, in a second process while this one lays out the rest (the
"first part": cover, contents, sections); the two PDFs are joined (pypdf) into the pages a single
document would have had. What needs the whole document is done on the joined pages: the footers
("3 / 64", the plan and date) are laid out once for the joined page count and stamped on every page;
the contents take the annex's page number from an empty stand-in section that opens the page the annex
begins on (the first part's last page, left out of the join).
"""

from __future__ import annotations

import base64
import gc
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import Fit, NameObject
from weasyprint import HTML

from .content import ATTENTION_STATUSES, Briefing

TEMPLATE = "briefings/briefing.html"
PAGES_TEMPLATE = "briefings/briefing_pages.html"

# Long lists are printed as consecutive tables of a few dozen rows with the same fixed columns. (With
# WeasyPrint 70 that is neither faster nor slower than one long table, measured; the layout is kept.)
ROWS_PER_TABLE = 40
ITEMS_PER_TABLE = 12

# The annex is laid out in a second process from this many rows: below, starting one costs more than
# laying the annex out here after the rest.
PARALLEL_ANNEX_ROWS = 200

# WeasyPrint makes hundreds of thousands of objects that live until the file is written; with the
# collector's default thresholds they are scanned again and again (a tenth to a sixth of the time).
LAYOUT_GC_THRESHOLD = (100_000, 50, 100)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def chunks(rows: list, size: int) -> list[list]:
    return [rows[k : k + size] for k in range(0, len(rows), size)]


def briefing_context(briefing: Briefing) -> dict:
    return {
        "b": briefing,
        "annex_tables": chunks(briefing.annex, ROWS_PER_TABLE),
        "attention_tables": chunks(briefing.attention, ITEMS_PER_TABLE),
        "status_confidence": list(zip(briefing.status_counts, briefing.confidence_counts, strict=True)),
        "group_statuses": [
            (value, label) for value, label, _c in briefing.status_counts if value in ATTENTION_STATUSES
        ],
        "charts": {name: _data_uri(png) for name, png in briefing.charts.items()},
        "language": briefing.language,
    }


def briefing_html(briefing: Briefing, part: str, context: dict | None = None) -> str:
    """The HTML of one part: "first" (everything before the annex) or "annex"."""
    return render_to_string(TEMPLATE, {**(context or briefing_context(briefing)), "part": part})


@contextmanager
def _fewer_collections():
    previous = gc.get_threshold()
    gc.set_threshold(*LAYOUT_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def write_pdf(html: str) -> bytes:
    """One part laid out and written; run in this process or in the annex's."""
    with _fewer_collections():
        return HTML(string=html).write_pdf()


@contextmanager
def _annex_process(rows: int):
    """A process for the annex's layout, or None where this process had better do it. Forked: it starts
    at once with everything imported, and only lays out the HTML it is given (no database). Not from a
    daemonic process (they may not have children) nor where there is no fork."""
    forks = "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
    if rows < PARALLEL_ANNEX_ROWS or not forks:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def render_pdf(briefing: Briefing) -> bytes:
    context = briefing_context(briefing)
    annex_html = briefing_html(briefing, "annex", context)
    with _annex_process(len(briefing.annex)) as pool:
        annex = pool.submit(write_pdf, annex_html) if pool else None
        first = write_pdf(briefing_html(briefing, "first", context))
        annex = annex.result() if annex else write_pdf(annex_html)
    return join(briefing, first, annex)


def join(briefing: Briefing, first: bytes, annex: bytes) -> bytes:
    """The first part (less its stand-in last page) and the annex as one PDF, with the footers, the
    contents' links and the bookmarks a single document would have."""
    first_pdf, annex_pdf = PdfReader(io.BytesIO(first)), PdfReader(io.BytesIO(annex))
    kept = len(first_pdf.pages) - 1
    stand_in = first_pdf.get_destination_page_number(first_pdf.named_destinations["annex"])
    if stand_in != kept:
        raise ValueError(f"the annex's stand-in is on page {stand_in + 1} of {kept + 1}, not the last")
    writer = PdfWriter()
    # The annex first: its destination exists when the first part comes in, so the contents' link to
    # it is kept (pypdf drops links to destinations it does not have).
    writer.append(annex_pdf, import_outline=False)
    writer.merge(0, first_pdf, pages=(0, kept))
    _annex_bookmarks(writer, annex_pdf, offset=kept)
    pages = _footers(briefing, len(writer.pages))
    for page, footer in zip(writer.pages, PdfReader(io.BytesIO(pages)).pages, strict=True):
        page.merge_page(footer)
        page.compress_content_streams()
    writer.add_metadata(first_pdf.metadata)
    writer.root_object[NameObject("/Lang")] = first_pdf.root_object["/Lang"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annex_bookmarks(writer: PdfWriter, annex_pdf: PdfReader, offset: int) -> None:
    """The annex's bookmarks under the first part's last top-level one (its heading is an h2 under the
    plan's h1), as in a single document."""
    root = writer.get_outline_root()
    parent = root.get("/Last")

    def add(items, parent):
        previous = None
        for item in items:
            if isinstance(item, list):  # the children of the item before
                add(item, previous)
                continue
            page = offset + annex_pdf.get_destination_page_number(item)
            fit = Fit.xyz(left=item.left, top=item.top, zoom=item.zoom)
            previous = writer.add_outline_item(title=item.title, page_number=page, parent=parent, fit=fit)

    add(annex_pdf.outline, parent)


def _footers(briefing: Briefing, pages: int) -> bytes:
    html = render_to_string(
        PAGES_TEMPLATE, {"b": briefing, "language": briefing.language, "more_pages": range(pages - 1)}
    )
    with _fewer_collections():
        return HTML(string=html).write_pdf()
