"""Tables written as an .xlsx workbook, streamed: each sheet's SpreadsheetML is written row by row.

openpyxl's write-only mode builds a cell object and an lxml element for every cell (about 10,000 rows
a second here), and XlsxWriter's constant-memory mode is about 2.5 times faster; a plan workbook has
hundreds of thousands of cells. A table of plain values needs neither: this module writes the parts
of a workbook (ECMA-376 SpreadsheetML, inline strings as openpyxl writes them) with one string per
row, and nothing else: no formulas, no shared strings, four cell styles, no theme.

Cells (the same rules as ``spreadsheet.xlsx_cell`` for openpyxl):

* text is always a text cell, never a formula; one that a spreadsheet would read as a formula
  (``spreadsheet.FORMULA_STARTS``) carries Excel's quote prefix; characters XML 1.0 cannot hold are
  left out and a text is cut at Excel's 32,767 characters, as openpyxl does;
* ``int`` and ``float`` are numbers (a float in its shortest exact form), ``Decimal`` a number when
  a binary double holds it exactly and else its plain text (``spreadsheet.decimal_text``);
* dates (and datetimes) are Excel serial dates shown ``yyyy-mm-dd``; ``None`` and ``""`` no cell;
* the header row is bold and frozen.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from .spreadsheet import FORMULA_STARTS, UNHOLDABLE_CLASS, decimal_text

DATE_FORMAT = "yyyy-mm-dd"
MAX_TEXT = 32_767  # characters an Excel cell holds
CHUNK_ROWS = 2_000  # rows joined into one write
# Cell styles (indexes into cellXfs below).
BOLD, DATE, QUOTED = 1, 2, 3

# Anything in a text that needs more than copying: XML's specials, a carriage return (an XML reader
# would turn it into a line feed), and the characters an .xlsx cannot hold.
_SPECIAL = re.compile(rf"[&<>\r{UNHOLDABLE_CLASS}\ud800-\udfff]")
_UNHOLDABLE = re.compile(rf"[{UNHOLDABLE_CLASS}\ud800-\udfff]")
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_EPOCH = dt.date(1899, 12, 30).toordinal()  # Excel's day 0 (Windows, 1900 date system)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def write_xlsx(tables: dict[str, tuple[list[str], list[list]]], path) -> None:
    """Write ``{sheet name: (header, rows)}`` to ``path`` as one workbook, the sheets in that order."""
    names = list(tables)
    cells = _Cells()
    with zipfile.ZipFile(Path(path), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(names)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("docProps/app.xml", _APP)
        archive.writestr("docProps/core.xml", _core())
        archive.writestr("xl/workbook.xml", _workbook(names))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
        archive.writestr("xl/styles.xml", _STYLES)
        for number, name in enumerate(names, start=1):
            header, rows = tables[name]
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                for chunk in _sheet(header, rows, cells):
                    part.write(chunk.encode("utf-8"))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- a sheet ---------------------------------------------------------------------------------------
def _sheet(header: list[str], rows: list[list], cells: _Cells):
    width = max(len(header), max((len(r) for r in rows), default=0), 1)
    opens = [f'<c r="{column_letter(i)}' for i in range(width)]  # a cell: open + row number + tail
    yield (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>'
    )
    bold = f' s="{BOLD}"'
    heads = (f"{o}1{_text_tail(str(v), bold)}" for o, v in zip(opens, header, strict=False) if v)
    yield "".join(['<row r="1">', *heads, "</row>"])
    by_type, tail = cells.by_type, cells.tail
    for start in range(0, len(rows), CHUNK_ROWS):
        # The innermost loop of the export: per cell three pieces of text, the last one cached by value
        # (looked up here rather than in a call: a call per cell would cost as much as the rest).
        parts = []
        add = parts.append
        for number, row in enumerate(rows[start : start + CHUNK_ROWS], start=start + 2):
            n = str(number)
            add(f'<row r="{n}">')
            for cell_open, value in zip(opens, row, strict=False):  # a short row: no cells after it
                if value is None:
                    continue
                known = by_type.get(type(value))
                end = None if known is None else known.get(value)
                if end is None:
                    end = tail(value)
                if end:
                    add(cell_open)
                    add(n)
                    add(end)
            add("</row>")
        yield "".join(parts)
    yield (
        '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"
    )


class _Cells:
    """What follows ``<c r="A2`` for each value: kept per type and value while the workbook is written,
    since a plan repeats its codes, sources, dates and numbers row after row."""

    CACHED_TEXT = 256  # longer texts are rarely repeated: written each time, not kept

    def __init__(self):
        self.by_type: dict[type, dict] = {str: {}, dt.date: {}, int: {}, Decimal: {}, float: {}}

    def tail(self, value) -> str:
        known = self.by_type.get(type(value))
        if known is None:
            return _tail(value)
        end = known.get(value)
        if end is None:
            end = _tail(value)
            if type(value) is not str or len(value) <= self.CACHED_TEXT:
                known[value] = end
        return end


def _tail(value) -> str:
    """The rest of the cell of ``value`` after its reference; "" for no cell (empty text, not finite)."""
    if isinstance(value, str):
        return _text_tail(value, "") if value else ""
    if isinstance(value, bool):
        return f'" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        text = str(value)  # "602.1000": the database's decimals, quantized
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if len(text) <= 15 and "E" not in text and text[-1].isdigit():
            # At most 15 digits: the double nearest this text gives it back (DBL_DIG), so the text is
            # the number cell, as the shortest form of that double would be. Quick: a plan has
            # tens of thousands of distinct values.
            return f'"><v>{text}</v></c>'
        if not value.is_finite():
            return ""
        if value == value.to_integral_value() and abs(value) < 2**53:
            return f'"><v>{int(value)}</v></c>'
        as_float = float(value)
        if Decimal(repr(as_float)) == value:
            return f'"><v>{_float(as_float)}</v></c>'
        return _text_tail(decimal_text(value), "")  # a double would change it: its exact text
    if isinstance(value, float):
        return f'"><v>{_float(value)}</v></c>' if math.isfinite(value) else ""
    if isinstance(value, int):
        return f'"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'" s="{DATE}"><v>{_float(_serial(value.date()) + seconds / 86400)}</v></c>'
    if isinstance(value, dt.date):
        return f'" s="{DATE}"><v>{_serial(value)}</v></c>'
    return _tail(str(value))


def _text_tail(value: str, styled: str) -> str:
    escaped = value
    if len(value) > MAX_TEXT or _SPECIAL.search(value):
        value = _UNHOLDABLE.sub("", value)[:MAX_TEXT]
        escaped = value.translate(_ESCAPES)
    if value.startswith(FORMULA_STARTS):
        styled = f' s="{QUOTED}"'  # typing into it again must not make it a formula either
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'"{styled} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def _float(value: float) -> str:
    """The shortest text that reads back as exactly this double; a whole number without ".0", so that a
    reader gives it back as the whole number it is (as openpyxl's own ``%.16g`` does)."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _serial(value: dt.date) -> int:
    days = value.toordinal() - _EPOCH
    if 0 < days <= 60:  # Excel's 1900 counts a 29 February that never was: dates before March shift
        days -= 1
    return days


# -- the package around the sheets ------------------------------------------------------------------
def _content_types(sheets: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{kind}.extended-properties+xml"/>'
        f"{overrides}</Types>"
    )


_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f"{_HEAD}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Baqylau</Application></Properties>"
)


def _core() -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>Baqylau</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _workbook(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{_attribute(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1)
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}{styles}</Relationships>'


def _attribute(text: str) -> str:
    return text.translate(_ESCAPES).replace('"', "&quot;")


_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
