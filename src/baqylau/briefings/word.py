"""The briefing as DOCX (python-docx): real headings (Heading 1/2, so Word's navigation and the table of
contents find them), tables staff can edit, the charts as pictures, a TOC field and page numbers that
the word processor fills in, A4 portrait, DejaVu Sans (every Kazakh letter)."""

from __future__ import annotations

import copy
import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .content import ATTENTION_STATUSES, Briefing

FONT = "DejaVu Sans"
ACCENT = RGBColor(0x0B, 0x5C, 0xAD)
WIDE_MM = 178


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A field (TOC, PAGE, NUMPAGES) the word processor computes when it opens or updates the file."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # recomputed on opening
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _set_fonts(document) -> None:
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Table Grid"):
        style = document.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
    document.styles["Normal"].font.size = Pt(9)
    for name in ("Heading 1", "Heading 2", "Title"):
        document.styles[name].font.color.rgb = ACCENT


def _page(document, briefing: Briefing) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(16)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    footer = section.footer.paragraphs[0]
    footer.text = f"{briefing.plan.code} · {briefing.as_of.isoformat()} · "
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")


def _table(document, header: list[str], rows, widths_mm: list[float] | None = None, size: float = 8):
    """A table with a repeated header row; rows are lists of strings. Each row is a copy of one empty
    row built by python-docx (its cells' widths, the runs' size) given its texts: the XML add_row and
    add_run would write, some six times faster (a 1,000-row annex took seconds cell by cell)."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    head = table.rows[0]
    head_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    head_pr.append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    blank = table.add_row()
    for cell in blank.cells:
        cell.paragraphs[0].add_run().font.size = Pt(size)
    blank_row = blank._tr
    table._tbl.remove(blank_row)
    for values in rows:
        row = copy.deepcopy(blank_row)
        for run, text in zip(row.iter(qn("w:r")), values, strict=True):
            run.text = str(text)  # python-docx's own setter: a line break or tab becomes <w:br/>, <w:tab/>
        table._tbl.append(row)
    if widths_mm:
        # The grid (LibreOffice) and the first row's cells (Word) carry the widths; a fixed layout keeps them.
        table.autofit = False
        for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
            column.w = Mm(width)
        for cell, width in zip(table.rows[0].cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _picture(document, png: bytes | None, width_mm: float = WIDE_MM) -> None:
    if png:
        document.add_picture(io.BytesIO(png), width=Mm(width_mm))


def render_docx(briefing: Briefing) -> bytes:
    document = Document()
    _set_fonts(document)
    _page(document, briefing)
    b = briefing
    sections = dict(b.sections)

    document.add_paragraph(f"{_('Briefing')} · {b.plan.code}")
    document.add_heading(b.plan_title, level=0)
    document.add_paragraph(_("as of %(date)s") % {"date": b.as_of.isoformat()})
    _table(
        document, [_("Figure"), "", ""], [[f.label, f.value, f.basis] for f in b.headline], [50, 30, 98], 9
    )
    document.add_paragraph(b.headline_sentence)
    document.add_paragraph(
        _(
            "Compared with %(previous)s. Made %(generated)s from the judgements Baqylau keeps; a measure's "
            "status is judged from accepted reports only."
        )
        % {"previous": b.previous.isoformat(), "generated": b.generated_at.strftime("%Y-%m-%d %H:%M")}
    )
    document.add_heading(_("Contents"), level=1)
    _field(
        document.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "; ".join(title for _a, title in b.sections) + " — " + _("update the field to see page numbers."),
    )
    document.add_page_break()

    document.add_heading(sections["summary"], level=1)
    _picture(document, b.charts.get("status"), 86)
    _picture(document, b.charts.get("confidence"), 86)
    _table(document, [_("Status"), _("Measures")], [[label, count] for _v, label, count in b.status_counts])
    document.add_paragraph()
    _table(
        document,
        [_("Delivery confidence"), _("Measures")],
        [[label, count] for _v, label, count in b.confidence_counts],
    )

    document.add_heading(sections["groups"], level=1)
    _picture(document, b.charts.get("by_sphere"))
    status_labels = [label for v, label, _c in b.status_counts if v in ATTENTION_STATUSES]
    for title, groups in b.group_tables:
        document.add_heading(title, level=2)
        _table(
            document,
            ["", _("Measures"), _("Weighted progress"), _("with data"), *status_labels],
            [[g.name, g.total, g.progress, g.known, *g.attention_counts] for g in groups],
            size=7,
        )

    document.add_heading(sections["attention"], level=1)
    if b.attention:
        _table(
            document,
            [_("Measure"), _("Status"), _("Why"), _("Due"), _("Forecast"), _("Likelihood"), _("Responsible")],
            [
                [f"{m.code} {m.title}", m.status_label, m.reason, m.due, m.forecast, m.likelihood, m.agency]
                for m in b.attention
            ],
            [38, 18, 44, 17, 17, 22, 22],
            size=7,
        )
    else:
        document.add_paragraph(_("Nothing is late or at risk."))

    document.add_heading(sections["instructions"], level=1)
    if b.instructions:
        _table(
            document,
            [_("Instruction"), _("Status"), _("Due"), _("Executors"), _("Extensions")],
            [
                [
                    f"{i.code} {i.text}",
                    f"{i.status_label}, {i.days}",
                    i.due,
                    i.executors,
                    "\n".join(i.extensions) or "—",
                ]
                for i in b.instructions
            ],
            [60, 26, 18, 40, 34],
            size=7,
        )
    else:
        document.add_paragraph(_("No instruction is overdue or near its deadline."))

    document.add_heading(sections["discipline"], level=1)
    _table(
        document,
        [
            _("Agency"),
            _("Due"),
            _("On time"),
            _("After extension"),
            _("Executed late"),
            _("Overdue now"),
            _("Discipline coefficient"),
        ],
        [
            [d.agency, d.due_in_period, d.on_time, d.after_extension, d.late, d.overdue_now, d.on_time_text]
            for d in b.discipline
        ],
        size=7,
    )

    document.add_heading(sections["water"], level=1)
    if b.water:
        _picture(document, b.charts.get("water"))
        _table(
            document,
            [
                _("Summer"),
                _("Demand, m³/day"),
                _("Water available, m³/day"),
                _("Deficit, m³/day"),
                _("Provision"),
            ],
            [[s["summer"], s["demand"], s["supply"], s["deficit"], s["provision"]] for s in b.water.summers],
        )
        document.add_heading(_("What the late water measures cost"), level=2)
        for sentence in b.water.delays or [_("No late water measure changes the balance.")]:
            document.add_paragraph(sentence, style="List Bullet")
    else:
        document.add_paragraph(_("No water model for this region."))

    document.add_heading(sections["changes"], level=1)
    for title, rows in b.change_lists:
        document.add_heading(f"{title} ({len(rows)})", level=2)
        if rows:
            _table(
                document,
                [_("Code"), _("Item"), _("Status")],
                [[c.code, c.title, f"{c.before} → {c.now}" if c.before else c.now] for c in rows],
                size=8,
            )
        else:
            document.add_paragraph("—")

    document.add_page_break()
    document.add_heading(sections["annex"], level=1)
    _table(
        document,
        [
            _("Code"),
            _("Measure"),
            _("Sphere"),
            _("Responsible"),
            _("Due"),
            _("Status"),
            _("Confidence"),
            _("Progress"),
            _("Forecast"),
        ],
        [
            [
                m.code,
                m.title,
                m.sphere,
                m.agency,
                m.due,
                m.status_label,
                m.confidence_label,
                m.progress,
                m.forecast,
            ]
            for m in b.annex
        ],
        [14, 48, 20, 26, 16, 16, 14, 12, 16],
        size=7,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
