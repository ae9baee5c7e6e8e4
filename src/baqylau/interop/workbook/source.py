"""Reading a plan workbook's cells: an .xlsx file, a folder of ``<sheet>.csv``, or a .zip of them.

Whatever the source, the result is the same: per sheet, its header and its non-blank rows, each
with the row number Excel would show (the header is row 1). Files that are not a workbook are
refused here, before any cell is interpreted, with one sentence saying why.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from baqylau.core.spreadsheet import restore_csv_text

from .results import WorkbookRefused

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# OLE compound files: password-protected (encrypted) .xlsx files, and legacy .xls workbooks.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RawSheet:
    name: str
    header: list[str]
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (Excel row number, cell values)
    extra_cells: int = 0  # rows with values in columns that have no header

    @property
    def is_blank(self) -> bool:
        return not self.rows and not any(self.header)


@dataclass
class RawWorkbook:
    kind: str  # "xlsx", "csv-folder", "csv-zip"
    label: str  # the file's name, for messages and the audit history
    sheets: dict[str, RawSheet]


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _max_bytes() -> int:
    return int(settings.BAQYLAU_IMPORT_MAX_BYTES)


def _max_unpacked() -> int:
    return int(settings.BAQYLAU_IMPORT_MAX_UNPACKED_BYTES)


class _Budget:
    """Rows and cells read so far, across every sheet: past the caps the file is refused, before the rows
    are checked or held (a small zip of 200,000 rows would otherwise take minutes and gigabytes)."""

    def __init__(self, label: str):
        self.label = label
        self.rows = self.cells = 0
        self.max_rows = int(settings.BAQYLAU_IMPORT_MAX_ROWS)
        self.max_cells = int(settings.BAQYLAU_IMPORT_MAX_CELLS)

    def take(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > self.max_rows:
            raise WorkbookRefused(
                "too_large",
                _("%(name)s has more than %(limit)s rows; the largest workbook accepted has %(limit)s.")
                % {"name": self.label, "limit": f"{self.max_rows:,}"},
            )
        if self.cells > self.max_cells:
            raise WorkbookRefused(
                "too_large",
                _("%(name)s has more than %(limit)s cells; the largest workbook accepted has %(limit)s.")
                % {"name": self.label, "limit": f"{self.max_cells:,}"},
            )


def _too_large(size: int) -> WorkbookRefused:
    return WorkbookRefused(
        "too_large",
        _("The file is %(size)s; the largest file accepted is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(_max_bytes())},
    )


def _not_workbook(label: str) -> WorkbookRefused:
    return WorkbookRefused(
        "not_workbook",
        _(
            "%(name)s is not a plan workbook: give an .xlsx file, a .zip of CSV files or a folder of "
            "CSV files named after the sheets."
        )
        % {"name": label},
    )


def read_source(source) -> RawWorkbook:
    """Read ``source`` (a path to an .xlsx, .zip or folder, or an open binary file) into raw sheets."""
    if hasattr(source, "read"):
        label = os.path.basename(getattr(source, "name", "") or "") or "upload"
        size = getattr(source, "size", None)
        if size is None and hasattr(source, "seek"):
            source.seek(0, os.SEEK_END)
            size = source.tell()
        if size is not None and size > _max_bytes():
            raise _too_large(size)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(_max_bytes() + 1)
        if len(data) > _max_bytes():
            raise _too_large(len(data))
        return _read_bytes(data, label)
    path = Path(source)
    label = path.name or str(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.is_file():
        raise WorkbookRefused("not_found", _("There is no file %(name)s.") % {"name": str(path)})
    size = path.stat().st_size
    if size > _max_bytes():
        raise _too_large(size)
    return _read_bytes(path.read_bytes(), label)


def _read_bytes(data: bytes, label: str) -> RawWorkbook:
    if data.startswith(OLE_MAGIC):
        raise WorkbookRefused(
            "encrypted",
            _(
                "%(name)s is password-protected (encrypted) or an old-style .xls file: remove the password "
                "and save it as an .xlsx workbook."
            )
            % {"name": label},
        )
    if not data.startswith(ZIP_MAGIC):
        raise _not_workbook(label)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookRefused(
            "not_workbook",
            _(
                "%(name)s is damaged: it starts like an .xlsx or .zip file but cannot be unpacked. "
                "Save or download it again."
            )
            % {"name": label},
        ) from exc
    if sum(m.file_size for m in members) > _max_unpacked():
        raise WorkbookRefused(
            "too_large",
            _("%(name)s unpacks to more than %(limit)s; the file is refused.")
            % {"name": label, "limit": filesizeformat(_max_unpacked())},
        )
    names = {m.filename for m in members}
    budget = _Budget(label)
    if "xl/workbook.xml" in names:
        return RawWorkbook("xlsx", label, _read_xlsx(data, label, budget))
    csv_members = [m for m in members if not m.is_dir() and m.filename.lower().endswith(".csv")]
    csv_members = [m for m in csv_members if not PurePosixPath(m.filename).name.startswith(("._", "~$"))]
    if not csv_members:
        raise _not_workbook(label)
    sheets: dict[str, RawSheet] = {}
    for member in csv_members:
        name = PurePosixPath(member.filename).stem.strip().lower()
        if name in sheets:
            raise WorkbookRefused(
                "not_workbook",
                _("%(name)s holds two CSV files for the sheet %(sheet)s.") % {"name": label, "sheet": name},
            )
        sheets[name] = _read_csv(archive.read(member), name, PurePosixPath(member.filename).name, budget)
    return RawWorkbook("csv-zip", label, sheets)


def _read_folder(path: Path) -> RawWorkbook:
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    files = [p for p in files if not p.name.startswith(("._", "~$"))]
    if not files:
        raise _not_workbook(path.name or str(path))
    total = sum(p.stat().st_size for p in files)
    if total > _max_bytes():
        raise _too_large(total)
    sheets: dict[str, RawSheet] = {}
    budget = _Budget(path.name or str(path))
    for file in files:
        name = file.stem.strip().lower()
        if name in sheets:
            raise WorkbookRefused(
                "not_workbook",
                _("%(name)s holds two CSV files for the sheet %(sheet)s.")
                % {"name": path.name, "sheet": name},
            )
        sheets[name] = _read_csv(file.read_bytes(), name, file.name, budget)
    return RawWorkbook("csv-folder", path.name or str(path), sheets)


def _sniff_delimiter(text: str) -> str:
    """The separator of the header line: ``;`` (Excel in a Russian locale), ``,`` or a tab."""
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes, sheet: str, filename: str, budget: _Budget) -> RawSheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkbookRefused(
            "not_utf8",
            _('%(file)s is not UTF-8 text (byte %(position)s): save it from Excel as "CSV UTF-8".')
            % {"file": filename, "position": exc.start + 1},
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    # Texts the export marked with an apostrophe so that no spreadsheet reads a formula get it taken off.
    records = ([restore_csv_text(cell) for cell in record] for record in reader)
    try:
        return _raw_sheet(sheet, enumerate(records, start=1), budget)
    except csv.Error as exc:
        raise WorkbookRefused(
            "not_workbook",
            _("%(file)s is not a readable CSV file: %(error)s") % {"file": filename, "error": exc},
        ) from exc


def _raw_sheet(name: str, numbered_rows, budget: _Budget) -> RawSheet:
    header: list[str] | None = None
    sheet = RawSheet(name, [])
    width = 0
    for number, values in numbered_rows:
        values = tuple(values)
        if header is None:
            if all(_is_blank(v) for v in values):
                continue  # blank lines above the header
            header = [("" if v is None else str(v)).strip().lower() for v in values]
            while header and not header[-1]:
                header.pop()
            width = len(header)
            sheet.header = header
            continue
        if all(_is_blank(v) for v in values):
            continue
        budget.take(width)
        if len(values) > width:
            if any(not _is_blank(v) for v in values[width:]):
                sheet.extra_cells += 1
            values = values[:width]
        elif len(values) < width:
            values = values + (None,) * (width - len(values))
        sheet.rows.append((number, values))
    return sheet


def _read_xlsx(data: bytes, label: str, budget: _Budget) -> dict[str, RawSheet]:
    from openpyxl import load_workbook

    sheets: dict[str, RawSheet] = {}
    # Untrusted input: any failure to parse the package is a refusal, never a traceback.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                name = ws.title.strip().lower()
                if name in sheets:
                    continue
                ws.reset_dimensions()  # some writers record wrong dimensions; read every row
                sheets[name] = _raw_sheet(name, enumerate(ws.iter_rows(values_only=True), start=1), budget)
        finally:
            book.close()
    except WorkbookRefused:
        raise
    except Exception as exc:
        raise WorkbookRefused(
            "not_workbook",
            _("%(name)s could not be read as an .xlsx workbook (%(error)s).")
            % {"name": label, "error": type(exc).__name__},
        ) from exc
    return sheets
