"""The PDF briefing is laid out in two parts (everything before the annex, and the annex) and joined: read
back, it must be the one document a leader opens, with its contents, links, bookmarks and footers."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from baqylau.briefings import pdf
from baqylau.briefings.content import sections
from baqylau.briefings.render import prepare, render

AS_OF = dt.date(2025, 10, 1)


def flat(text: str) -> str:
    return " ".join(text.split())


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


@pytest.fixture
def briefing(demo):
    return prepare(demo, AS_OF, "en")


def test_contents_links_and_bookmarks_lead_to_each_section_page(briefing):
    reader = PdfReader(io.BytesIO(render(briefing, "pdf")))
    texts = [flat(page.extract_text()) for page in reader.pages]
    cover = reader.pages[0].extract_text()
    links = {
        str(a.get_object()["/Dest"]): reader.get_destination_page_number(
            reader.named_destinations[str(a.get_object()["/Dest"])]
        )
        for a in reader.pages[0]["/Annots"]
    }
    bookmarks = {title: page for _depth, title, page in outline(reader)}
    with_annex = False
    for anchor, title in sections():
        listed = re.search(re.escape(title) + r"[ .]*(\d+)\s*$", cover, re.MULTILINE)
        assert listed, title
        shown_on = int(listed.group(1)) - 1
        assert texts[shown_on].startswith(title) or f" {title} " in texts[shown_on], (title, shown_on)
        assert not any(title in text for text in texts[1:shown_on]), title  # the first page it is on
        assert links[anchor] == shown_on
        assert bookmarks[title] == shown_on
        with_annex |= anchor == "annex"
    assert with_annex
    # The annex's heading is nested under the plan's title like the other sections.
    assert [(d, t) for d, t, _p in outline(reader) if t in dict(sections()).values()] == [
        (1, title) for _a, title in sections()
    ]
    assert reader.metadata.title.startswith(briefing.plan_title)
    assert reader.root_object["/Lang"] == "en"


def test_every_page_has_its_number_and_after_the_cover_the_plan_and_date(briefing):
    reader = PdfReader(io.BytesIO(render(briefing, "pdf")))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"{number} / {pages}" in text
        assert (f"{briefing.plan.code} · as of 2025-10-01" in text) == (number > 1), number
    start = max(n for n, page in enumerate(reader.pages) if "Annex: all measures" in page.extract_text())
    annex = " ".join(page.extract_text() for page in reader.pages[start:])
    assert all(m.code in annex for m in briefing.annex)
    assert briefing.annex[-1].code in reader.pages[-1].extract_text()  # no stand-in page left at the end


def test_the_annex_laid_out_in_a_second_process_gives_the_same_pages(briefing, monkeypatch):
    here = PdfReader(io.BytesIO(render(briefing, "pdf")))
    monkeypatch.setattr(pdf, "PARALLEL_ANNEX_ROWS", 1)
    apart = PdfReader(io.BytesIO(render(briefing, "pdf")))
    assert [p.extract_text() for p in apart.pages] == [p.extract_text() for p in here.pages]
    assert outline(apart) == outline(here)
