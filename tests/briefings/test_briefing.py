"""The briefing of the demo plan as of 2025-10-01, read back from the files a leader would open."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from docx import Document
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from baqylau.briefings.content import build_briefing, sections
from baqylau.briefings.render import make_briefing, prepare, render

AS_OF = dt.date(2025, 10, 1)
KAZAKH = "әғқңөұүһі"
LATE = ("ED-01", "ED-05", "W-04")  # late as of 2025-10-01 (the dashboard says the same)
AT_RISK = ("E-01", "ED-02", "ENV-01", "W-01")
A4 = (595, 842)  # points


def section_titles(language):
    with translation.override(language):
        return [str(title) for _anchor, title in sections()]


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_pdf_briefing_has_every_section_the_late_items_and_charts(demo, language):
    data = make_briefing(demo, AS_OF, language, "pdf")
    reader, text = pdf_text(data)
    flat = " ".join(text.split())
    for title in section_titles(language):
        assert " ".join(title.split()) in flat, title
    for code in LATE + AT_RISK:
        assert code in text
    with translation.override(language):
        assert demo.label.split()[0] in text  # the plan's title in this language
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 3  # status, confidence, sphere and water charts
    first = reader.pages[0].mediabox
    assert (round(first.width), round(first.height)) == A4
    pages = len(reader.pages)
    assert f"{pages} / {pages}" in reader.pages[-1].extract_text()  # page numbers
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("DejaVu" in f for f in fonts), fonts  # embedded, not left to the reader's machine


def test_kazakh_pdf_carries_kazakh_letters_in_a_font_that_has_them_all(demo):
    _reader, text = pdf_text(make_briefing(demo, AS_OF, "kk", "pdf"))
    assert set("әғқңөұі") <= set(text)  # what the demo's Kazakh text uses, read back from the PDF
    cmap = TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").getBestCmap()
    assert all(ord(letter) in cmap and ord(letter.upper()) in cmap for letter in KAZAKH)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_docx_briefing_has_real_headings_tables_charts_toc_and_page_numbers(demo, language):
    document = Document(io.BytesIO(make_briefing(demo, AS_OF, language, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for title in section_titles(language):
        assert title in headings
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for code in LATE + AT_RISK:
        assert code in cells
    assert len(document.tables) >= 8
    assert len(document.inline_shapes) >= 3
    body = document.element.xml
    assert "TOC \\o" in body
    assert "PAGE" in document.sections[0].footer._element.xml
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_headline_figures_say_what_they_are_computed_over(demo, english):
    briefing = build_briefing(demo, AS_OF)
    progress = briefing.headline[0]
    assert progress.label == "Weighted progress"
    assert progress.basis == "over 4 of 14 measures (10 without data)"
    late = next(f for f in briefing.headline if f.label == "Late")
    assert (late.value, late.basis) == ("3", "of 14 measures")


def test_late_items_carry_reason_forecast_likelihood_and_agency(demo, english):
    briefing = build_briefing(demo, AS_OF)
    late = {m.code: m for m in briefing.attention if m.status == "late"}
    assert set(late) == set(LATE)
    for item in briefing.attention:
        assert item.reason and item.agency and item.due
    assert any(m.likelihood != "—" for m in briefing.attention)


def test_changes_since_the_previous_briefing_compare_two_dates(demo, english):
    briefing = build_briefing(demo, AS_OF, previous=dt.date(2025, 1, 1))
    assert {c.code for c in briefing.newly_late} <= set(LATE)
    assert briefing.newly_late  # ED-05 was due 2025-08-31: late since
    late_codes = {c.code for c in briefing.newly_late}
    assert "ED-05" in late_codes


def test_agency_briefing_counts_only_its_own_measures(demo, users, english):
    energy = users["energy"]
    briefing = build_briefing(demo, AS_OF, user=energy)
    whole = build_briefing(demo, AS_OF)
    assert 0 < len(briefing.annex) < len(whole.annex)
    assert "ED-01" not in {m.code for m in briefing.annex}  # education is not the ministry of energy's


def test_brief_command_writes_the_file(demo, tmp_path):
    out = tmp_path / "brief.pdf"
    call_command("brief", "--as-of", "2025-10-01", "--lang", "kk", "--format", "pdf", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")


def test_dashboard_offers_the_download_and_it_is_scoped(client, users, demo):
    client.force_login(users["energy"])
    page = client.get("/", {"as_of": "2025-10-01"})
    assert b'action="/briefing/"' in page.content and b'class="briefing-download"' in page.content
    response = client.get("/briefing/", {"as_of": "2025-10-01", "lang": "ru", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "ED-01" not in cells
    assert client.get("/briefing/", {"format": "odt"}).status_code == 400


def test_rendering_twice_from_one_content(demo):
    briefing = prepare(demo, AS_OF, "en")
    assert render(briefing, "pdf").startswith(b"%PDF")
    assert render(briefing, "docx").startswith(b"PK")


def test_a_briefing_reads_a_fixed_number_of_queries_whatever_the_number_of_items(demo, english):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baqylau.instructions.models import Instruction
    from baqylau.instructions.services import change_deadline
    from baqylau.reference.models import Agency

    build_briefing(demo, AS_OF)
    with CaptureQueriesContext(connection) as few:
        build_briefing(demo, AS_OF)
    agencies = list(Agency.objects.order_by("code")[:3])
    for k in range(12):
        instruction = Instruction.objects.create(
            plan=demo,
            code=f"Q-{k:02d}",
            issued_on=dt.date(2025, 1, 10),
            due=dt.date(2025, 6, 30),
            text=f"Extra instruction {k}",
        )
        instruction.executors.set(agencies[: 1 + k % 3])
        change_deadline(instruction, dt.date(2025, 9, 30), "More time", dt.date(2025, 6, 1))
    with CaptureQueriesContext(connection) as many:
        briefing = build_briefing(demo, AS_OF)
    assert {i.code for i in briefing.instructions} >= {f"Q-{k:02d}" for k in range(12)}
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries][len(few) :]


def test_discipline_counts_on_time_after_extension_late_and_overdue_per_agency(demo, english):
    from baqylau.briefings.discipline import discipline_by_agency
    from baqylau.instructions.models import Instruction
    from baqylau.instructions.services import change_deadline
    from baqylau.reference.models import Agency

    men = Agency.objects.get(code="MEN")  # executes none of the demo's instructions

    def instruction(code, due, executed_on=None, extended_to=None):
        item = Instruction.objects.create(
            plan=demo,
            code=code,
            issued_on=dt.date(2025, 1, 10),
            due=due,
            text=code,
            status="executed" if executed_on else "open",
            closed_on=executed_on,
            responsible=men,
        )
        item.executors.set([men])
        if extended_to:
            change_deadline(item, extended_to, "More time", dt.date(2025, 3, 1))
        return item

    instruction("D-1", dt.date(2025, 4, 30), executed_on=dt.date(2025, 4, 20))  # on time
    instruction(
        "D-2", dt.date(2025, 4, 30), executed_on=dt.date(2025, 6, 1), extended_to=dt.date(2025, 6, 30)
    )
    instruction("D-3", dt.date(2025, 4, 30), executed_on=dt.date(2025, 5, 15))  # late
    instruction("D-4", dt.date(2025, 9, 28))  # overdue on 2025-10-01, and due in the week before
    from baqylau.assessment.reading import PlanReader

    rows = {r.code: r for r in discipline_by_agency(PlanReader(demo, AS_OF))}
    men_row = rows["MEN"]
    assert (men_row.on_time, men_row.after_extension, men_row.late, men_row.overdue_now) == (1, 1, 1, 1)
    assert men_row.due_in_period == 4  # every instruction due by the date, against its original due
    assert men_row.coefficient == 0.25 and men_row.on_time_text == "25%"  # on time / due
    # Every demo instruction is overdue on 2025-10-01: the akimat's are those it is responsible for.
    akimat_responsible = Instruction.objects.filter(plan=demo, responsible__code="AKIMAT", due__lt=AS_OF)
    assert rows["AKIMAT"].overdue_now == akimat_responsible.count() > 0
