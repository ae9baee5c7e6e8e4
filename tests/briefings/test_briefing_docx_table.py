"""The DOCX briefing's tables are written row by row from a copied blank row: the same XML python-docx
writes cell by cell (a staff member edits the table in Word either way)."""

from docx import Document
from docx.shared import Mm, Pt
from lxml import etree

from baqylau.briefings.word import _table

ROWS = [
    ["ED-01", "Школа на 300 мест", 3],
    ["W-04", " Су құбыры", ""],
    ["I-02", "2025-01-01 → 2025-03-01 on 2024-12-20: more time\n2025-03-01 → 2025-05-01", "a\tb & <c>"],
]


def test_table_rows_are_the_xml_python_docx_writes():
    fast = _table(Document(), ["Code", "Measure", "Note"], ROWS, [20, 60, 40], size=7)
    document = Document()
    slow = document.add_table(rows=1, cols=3)
    slow.style = document.styles["Table Grid"]
    for values in ROWS:
        for cell, text in zip(slow.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(str(text)).font.size = Pt(7)
    for cell, width in zip(slow.rows[0].cells, [20, 60, 40], strict=True):
        cell.width = Mm(width)
    assert [etree.tostring(tr) for tr in fast._tbl.tr_lst[1:]] == [
        etree.tostring(tr) for tr in slow._tbl.tr_lst[1:]
    ]
    assert [c.text for c in fast.rows[3].cells][1].count("\n") == 1
