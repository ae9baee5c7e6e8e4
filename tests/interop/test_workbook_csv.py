"""The shapes a workbook arrives in: CSV with or without a BOM, `;`-separated with decimal commas
(Excel in a Russian locale), zipped, XLSX with real dates; Cyrillic and Kazakh text kept exactly."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from baqylau.interop.workbook import cells, export_workbook, import_workbook
from baqylau.interop.workbook.exporter import decimal_text
from baqylau.plans.models import Measure

KAZAKH = "Маңғыстау облысындағы «Каспий» тұщыландыру зауыты: әлеуметтік нысандар, ұңғыма, үй, һ, і, ө, ғ, қ"
RUSSIAN = "Строительство опреснительного завода «Каспий» — ёмкость 40 000 м³/сут"


def rewrite(folder, transform) -> None:
    """Rewrite every CSV file of ``folder`` through ``transform(header, rows) -> bytes``."""
    for path in folder.glob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        path.write_bytes(transform(rows))


def unchanged(result) -> None:
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated) == ({}, {})


def test_csv_without_a_byte_order_mark(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    rewrite(tmp_path / "plan", lambda rows: _csv(rows, ",").encode("utf-8"))
    assert not (tmp_path / "plan" / "measures.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    unchanged(import_workbook(tmp_path / "plan"))


def test_russian_excel_csv_semicolons_and_decimal_commas(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")

    def russian(rows):
        for row in rows[1:]:
            for i, value in enumerate(row):
                if _is_decimal(value):
                    row[i] = value.replace(".", ",")
        return b"\xef\xbb\xbf" + _csv(rows, ";").encode("utf-8")

    rewrite(tmp_path / "plan", russian)
    actuals = (tmp_path / "plan" / "actuals.csv").read_text(encoding="utf-8-sig")
    assert actuals.startswith("indicator;period_end;value") and ";11,5;" in actuals
    unchanged(import_workbook(tmp_path / "plan"))


def test_a_changed_decimal_comma_value_is_read_as_a_number(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    path = tmp_path / "plan" / "actuals.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    heat_2024 = next(r for r in rows if r[:2] == ["HEAT-KM", "2024-12-31"])
    assert heat_2024[2] == "11.5"
    heat_2024[2] = "12,75"
    path.write_bytes(_csv(rows, ";").encode("utf-8"))
    result = import_workbook(tmp_path / "plan")
    assert result.ok and result.updated == {"actuals": 1}
    actual = demo.indicators.get(code="HEAT-KM").actuals.get(period_end=dt.date(2024, 12, 31))
    assert actual.value == Decimal("12.75")


def test_a_zip_of_csv_files_in_a_folder(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    with zipfile.ZipFile(tmp_path / "plan.zip", "w") as archive:
        for path in (tmp_path / "plan").iterdir():
            archive.write(path, f"export/{path.name}")
    unchanged(import_workbook(tmp_path / "plan.zip"))


def test_an_upload_is_read_like_a_file(demo, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    export_workbook(demo, tmp_path / "plan.xlsx")
    upload = SimpleUploadedFile("plan.xlsx", (tmp_path / "plan.xlsx").read_bytes())
    unchanged(import_workbook(upload))
    export_workbook(demo, tmp_path / "plan.zip")
    with open(tmp_path / "plan.zip", "rb") as handle:
        unchanged(import_workbook(handle))


def test_cyrillic_and_kazakh_text_is_kept_byte_for_byte(demo, tmp_path):
    Measure.objects.filter(plan=demo, code="W-02").update(title_kk=KAZAKH, title_ru=RUSSIAN)
    export_workbook(demo, tmp_path / "plan")
    export_workbook(demo, tmp_path / "plan.xlsx")
    data = (tmp_path / "plan" / "measures.csv").read_bytes()
    assert KAZAKH.encode("utf-8") in data and RUSSIAN.encode("utf-8") in data
    sheet = load_workbook(tmp_path / "plan.xlsx", read_only=True)["measures"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    w02 = dict(zip(header, next(r for r in rows if r[0] == "W-02"), strict=False))
    assert (w02["title_kk"], w02["title_ru"]) == (KAZAKH, RUSSIAN)

    # Imported from either file as a copy of the plan, the text arrives unchanged.
    plan_csv = tmp_path / "plan" / "plan.csv"
    plan_csv.write_bytes(plan_csv.read_bytes().replace(b"MNG-URGENT-2024", b"COPY-CSV"))
    book = load_workbook(tmp_path / "plan.xlsx")
    book["plan"]["A2"].value = "COPY-XLSX"
    book.save(tmp_path / "plan.xlsx")
    for source, code in (("plan", "COPY-CSV"), ("plan.xlsx", "COPY-XLSX")):
        assert import_workbook(tmp_path / source).created["measures"] == demo.measures.count()
        copy = Measure.objects.get(plan__code=code, code="W-02")
        assert copy.title_kk.encode("utf-8") == KAZAKH.encode("utf-8") and copy.title_ru == RUSSIAN


def test_xlsx_dates_are_real_dates_and_text_is_never_a_formula(demo, tmp_path):
    Measure.objects.filter(plan=demo, code="W-01").update(title="=SUM(A1:A9)", completion_form="+7 schools")
    export_workbook(demo, tmp_path / "plan.xlsx")
    book = load_workbook(tmp_path / "plan.xlsx")
    sheet = book["measures"]
    header = [c.value for c in sheet[1]]
    w01 = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "W-01")
    due = w01[header.index("due")]
    assert due.is_date and due.value == dt.datetime(2025, 12, 31) and due.number_format == "yyyy-mm-dd"
    title = w01[header.index("title")]
    assert title.data_type == "s" and title.value == "=SUM(A1:A9)"
    assert w01[header.index("budget_kzt")].value == 3_200_000_000
    assert [ws.title for ws in book.worksheets][:2] == ["plan", "territories"]
    Measure.objects.filter(plan=demo, code="W-01").update(title="other")
    result = import_workbook(tmp_path / "plan.xlsx")
    assert result.updated == {"measures": 1}
    assert Measure.objects.get(plan=demo, code="W-01").title == "=SUM(A1:A9)"


def test_xlsx_typed_by_hand_with_text_dates_and_numeric_codes(demo, tmp_path):
    """Dates typed as ISO text and a code Excel turned into a number are read as meant."""
    from openpyxl import Workbook

    from baqylau.interop.workbook.exporter import plan_tables

    tables = plan_tables(demo)
    tables["spheres"][1].append(["7", "Seventh sphere", "", ""])
    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append([_typed_by_hand(v) for v in row])
    book["spheres"].cell(row=book["spheres"].max_row, column=1).value = 7  # a number, as Excel stores "7"
    book.save(tmp_path / "hand.xlsx")
    result = import_workbook(tmp_path / "hand.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert result.created == {"spheres": 1} and result.updated == {}


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**13), max_value=10**13))
def test_a_decimal_written_by_the_export_reads_back_equal_with_a_point_or_a_comma(value):
    text = decimal_text(value)
    assert cells.decimal(text) == value
    assert cells.decimal(text.replace(".", ",")) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234", Decimal(1234)),
        (602.1, Decimal("602.1")),
        ("-0,25", Decimal("-0.25")),
    ],
)
def test_numbers_as_excel_in_a_russian_locale_writes_them(raw, expected):
    assert cells.decimal(raw) == expected


def _typed_by_hand(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _is_decimal(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return "." in value


def _csv(rows, delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()
