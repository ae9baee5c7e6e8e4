"""The XLSX the plan export writes (``core/xlsx.py``): a workbook Excel, openpyxl and the import read
cell for cell as written, in as many queries for a large plan as for a small one."""

import datetime as dt
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from baqylau.core.xlsx import column_letter, write_xlsx
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.interop.workbook import export_workbook, import_workbook
from baqylau.plans.models import Measure

TEXTS = [
    "plain",
    "Маңғыстау облысы — «Каспий» 🚰",
    "a & b <c> \"d\" 'e' ]]>",
    "  spaces kept  ",
    "line\nbreak",
    "carriage\r\nreturn",
    "=SUM(A1:A9)",
    "+7 701 000 00 00",
    "\rstarts with a carriage return",
    "'=quoted once",
    "_x0041_ stays as typed",
    "{braces}",
]


def _cells(path, sheet="t"):
    book = load_workbook(path)
    return book, [list(row) for row in book[sheet].iter_rows()]


def test_text_is_text_and_never_a_formula(tmp_path):
    write_xlsx({"t": (["text"], [[t] for t in TEXTS])}, tmp_path / "t.xlsx")
    _book, (header, *rows) = _cells(tmp_path / "t.xlsx")
    assert [(c.value, c.font.b) for c in header] == [("text", True)]
    for text, (cell,) in zip(TEXTS, rows, strict=True):
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t", "\r")), text


def test_characters_a_workbook_cannot_hold_are_left_out_and_long_text_is_cut(tmp_path):
    rows = [["a\x00b\x0bc\x1fd\ufffee"], ["x" * 40_000], ["\x01=1"]]
    write_xlsx({"t": (["text"], rows)}, tmp_path / "t.xlsx")
    _book, (_header, *cells) = _cells(tmp_path / "t.xlsx")
    assert [c[0].value for c in cells] == ["abcde", "x" * 32_767, "=1"]
    assert cells[2][0].quotePrefix  # what is left would be read as a formula


def test_numbers_dates_and_empty_cells(tmp_path):
    values = [
        (Decimal("30000.0000"), 30000, int),
        (Decimal("602.1000"), 602.1, float),
        (Decimal("-0.0000"), 0, int),
        (Decimal("12345678901234.5678"), "12345678901234.5678", str),  # a double would change it
        (0.30000000000000004, 0.30000000000000004, float),  # every digit of a double
        (5.0, 5, int),
        (2**53 + 1, 2**53 + 1, int),
        (True, True, bool),
        (dt.date(2025, 12, 31), dt.datetime(2025, 12, 31), dt.datetime),
        (dt.date(1900, 1, 1), dt.datetime(1900, 1, 1), dt.datetime),  # before Excel's 29 February 1900
        (dt.datetime(2024, 5, 6, 12, 30), dt.datetime(2024, 5, 6, 12, 30), dt.datetime),
    ]
    rows = [[value, None, "", 1] for value, _read, _kind in values]
    write_xlsx({"t": (["value", "none", "empty", "last"], rows)}, tmp_path / "t.xlsx")
    _book, (_header, *cells) = _cells(tmp_path / "t.xlsx")
    for (value, read, kind), row in zip(values, cells, strict=True):
        assert (row[0].value, type(row[0].value)) == (read, kind), value
        assert row[0].number_format == ("yyyy-mm-dd" if kind is dt.datetime else "General")
        assert (row[1].value, row[2].value, row[3].value) == (None, None, 1)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=-(10**14), max_value=10**14, places=4, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=200,
    )
)
def test_every_decimal_reads_back_as_itself(tmp_path_factory, values):
    """A number cell when a double holds the decimal exactly, else its text: either way the same value."""
    path = tmp_path_factory.mktemp("decimals") / "t.xlsx"
    write_xlsx({"t": (["value"], [[v] for v in values])}, path)
    _book, (_header, *cells) = _cells(path)
    for value, (cell,) in zip(values, cells, strict=True):
        read = cell.value
        assert Decimal(read if isinstance(read, str) else repr(read)) == value, (value, read)
        assert isinstance(read, str) == (Decimal(repr(float(value))) != value), (value, read)


def test_the_package_is_well_formed_and_the_header_frozen(tmp_path):
    tables = {name: (["a", "b"], [[1, "x"]] * 3) for name in ("plan", "territories", "a&b")}
    tables["wide"] = ([f"c{i}" for i in range(30)], [list(range(30))])
    write_xlsx(tables, tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))  # every part is XML that parses
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["plan", "territories", "a&b", "wide"]
    assert {ws.freeze_panes for ws in book.worksheets} == {"A2"}
    assert book["wide"]["AD2"].value == 29
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_texts_of_every_kind_come_back_unchanged(demo, tmp_path):
    texts = [t for t in TEXTS if "\r" not in t]  # the import reads a line break as "\n"
    measures = list(Measure.objects.filter(plan=demo).order_by("code"))[: len(texts)]
    assert len(measures) == len(texts)
    for measure, text in zip(measures, texts, strict=True):
        Measure.objects.filter(pk=measure.pk).update(title_ru=text, completion_form=text)
    export_workbook(demo, tmp_path / "plan.xlsx")
    result = import_workbook(tmp_path / "plan.xlsx")
    assert result.ok and (result.created, result.updated) == ({}, {})
    assert set(texts) <= set(Measure.objects.filter(plan=demo).values_list("title_ru", flat=True))


@pytest.fixture
def grown(demo):
    """The demo plan with 40 more measures, each with 5 indicators of 12 monthly targets and actuals."""

    def grow():
        template = Measure.objects.filter(plan=demo, parent=None).order_by("code").first()
        measures = []
        for i in range(40):
            template.pk, template.code = None, f"GROWN-{i:02d}"
            template.save()
            measures.append(Measure.objects.get(pk=template.pk))
        indicators = Indicator.objects.bulk_create(
            Indicator(plan=demo, measure=m, code=f"{m.code}-I{k}", name="grown", unit="t")
            for m in measures
            for k in range(5)
        )
        months = [dt.date(2025, month, 28) for month in range(1, 13)]
        Target.objects.bulk_create(
            Target(indicator=i, period_end=day, value=Decimal(n))
            for i in indicators
            for n, day in enumerate(months)
        )
        Actual.objects.bulk_create(
            Actual(indicator=i, period_end=day, value=Decimal(n) / 3, note="n")
            for i in indicators
            for n, day in enumerate(months)
        )

    return grow


def test_queries_do_not_grow_with_the_plan(demo, grown, tmp_path):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_workbook(demo, tmp_path / "plan.xlsx")
        return len(captured)

    small = queries()
    grown()
    assert queries() == small
    sheet = load_workbook(tmp_path / "plan.xlsx", read_only=True)["targets"]
    assert sum(1 for _ in sheet.iter_rows()) - 1 == Target.objects.filter(indicator__plan=demo).count()
