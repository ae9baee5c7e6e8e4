"""Decidim accountability results: the CSV export imports as measures with hierarchy and accepted progress;
bad rows are refused by row and column, and nothing is written."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from baqylau.interop.decidim import DecidimRefused, import_decidim, plain_text
from baqylau.plans.models import Facility, Measure
from baqylau.reports.models import Report

SAMPLE = Path(__file__).parent / "decidim_fixtures" / "results.csv"


def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def rows() -> list[str]:
    return sample().splitlines()


def table() -> list[list[str]]:
    return list(csv.reader(io.StringIO(sample()), delimiter=";"))


def write(cells: list[list[str]], delimiter: str = ";") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(cells)
    return buffer.getvalue()


def snapshot() -> tuple:
    return (
        Measure.objects.count(),
        Report.objects.count(),
        Facility.objects.count(),
        Measure.history.count(),
    )


def run(data: str | bytes, demo, **kwargs):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return import_decidim(
        data, plan_code=demo.code, agency_code=kwargs.pop("agency_code", "AKIMAT"), **kwargs
    )


def edit(row_number: int, column: str, value: str) -> str:
    """The sample with one cell changed (``row_number`` as a spreadsheet shows it: the header is 1).
    ``category/name/*`` (or ``scope``) changes the name in every language."""
    cells = table()
    columns = [c for c in cells[0] if c.startswith(column[:-1])] if column.endswith("*") else [column]
    for name in columns:
        cells[row_number - 1][cells[0].index(name)] = value
    return write(cells)


def test_the_sample_imports_with_hierarchy_progress_and_places(demo):
    done = run(SAMPLE.read_bytes(), demo)
    assert done.rows == 6
    assert done.result.created == {"measures": 6, "reports": 5, "facilities": 3}
    water = Measure.objects.get(plan=demo, code="DEC-412")
    assert (water.title, water.title_ru, water.title_kk) == (
        "Round-the-clock drinking water for Zhanaozen",
        "Круглосуточная питьевая вода для Жанаозена",
        "Жаңаөзенге тәулік бойы ауыз су",
    )
    assert water.sphere.code == "water" and [t.code for t in water.territories.all()] == ["ZHA"]
    assert (water.start, water.due, water.lead_agency.code) == (
        dt.date(2024, 1, 1),
        dt.date(2025, 12, 31),
        "AKIMAT",
    )
    assert set(water.children.values_list("code", flat=True)) == {"DEC-413", "DEC-414"}
    assert Measure.objects.get(plan=demo, code="DEC-421").parent.code == "DEC-420"
    report = Report.objects.get(measure=water)
    assert (report.progress, report.state, report.period_end) == (
        Decimal("60.00"),
        "accepted",
        dt.date(2025, 10, 31),
    )
    assert report.agency.code == "AKIMAT" and report.source.startswith(
        "Decidim import: Decidim accountability result 412"
    )
    assert "status: In progress" in report.narrative and "drinking water 24 hours a day" in report.narrative
    boilers = Measure.objects.get(plan=demo, code="DEC-420")
    assert not boilers.reports.exists()  # empty progress is unknown, not zero
    assert boilers.due == demo.end and "no end date" in boilers.estimate_note
    school = Measure.objects.get(plan=demo, code="DEC-430")
    assert school.sphere.code == "education"  # matched by the Russian category name alone
    pipe = Facility.objects.get(plan=demo, code="DEC-413")
    assert (pipe.kind_id, pipe.lat, pipe.lon, pipe.territory.code) == ("other", 43.17, 52.8, "KAR")
    assert pipe.measure.code == "DEC-413" and pipe.name_kk == "Кендірлі – Жаңаөзен су құбыры"
    assert Report.objects.get(measure__code="DEC-421").progress == 100  # the judging engine sees it done


def test_importing_twice_changes_nothing(demo):
    run(SAMPLE.read_bytes(), demo)
    before = snapshot()
    assert run(SAMPLE.read_bytes(), demo).result.changed == 0
    assert snapshot() == before


def test_a_new_export_updates_progress_with_a_new_report(demo):
    run(SAMPLE.read_bytes(), demo)
    later = sample().replace("2025-10-31 12:00:00 UTC", "2025-12-31 12:00:00 UTC").replace(";60.0;", ";75.0;")
    done = run(later, demo)
    assert done.result.created == {"reports": 5} and not done.result.updated
    progress = list(
        Report.objects.filter(measure__code="DEC-412")
        .order_by("period_end")
        .values_list("progress", flat=True)
    )
    assert progress == [Decimal("60.00"), Decimal("75.00")]


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "progress", "120", "row 2, column progress: must be between 0 and 100 (value: '120')"),
        (3, "progress", "eighty", "row 3, column progress: not a number (value: 'eighty')"),
        (
            4,
            "end_date",
            "2025-13-01",
            "row 4, column end_date: not a date (YYYY-MM-DD) (value: '2025-13-01')",
        ),
        (4, "end_date", "2023-01-01", "row 4, column end_date: is before the start date 2024-05-01"),
        (3, "parent/id", "999", "row 3, column parent/id: names a result that is neither in the file"),
        (3, "longitude", "", "row 3, column longitude: is empty while the other coordinate is given"),
        (3, "latitude", "95", "row 3, column latitude: must be between -90 and 90 (value: '95')"),
        (5, "category/name/*", "Space programme", "row 5, column category/name/en: matches no sphere"),
        (6, "scope/name/*", "Atlantis", "row 6, column scope/name/en: matches no territory"),
        (3, "id", "412", "row 3, column id: repeats the id of row 2"),
        (2, "id", "", "row 2, column id: is empty"),
        (6, "updated_at", "", "row 6, column updated_at: is empty: give the date of the export with --as-of"),
    ],
)
def test_bad_rows_are_refused_by_row_and_column(demo, row, column, value, message):
    before = snapshot()
    with pytest.raises(DecidimRefused) as refused:
        run(edit(row, column, value), demo)
    assert any(p.startswith(message) for p in refused.value.problems), refused.value.problems
    assert refused.value.summary.startswith("The Decidim file cannot be imported")
    assert snapshot() == before


def test_every_problem_is_reported_at_once(demo):
    cells = table()
    cells[1][cells[0].index("progress")] = "120"
    cells[3][cells[0].index("start_date")] = "May 2024"
    with pytest.raises(DecidimRefused) as refused:
        run(write(cells), demo)
    assert len(refused.value.problems) == 2
    assert refused.value.problems[1].startswith("row 4, column start_date: not a date")


def test_a_parent_loop_is_refused(demo):
    data = edit(2, "parent/id", "413")
    with pytest.raises(DecidimRefused, match="the chain of parents loops"):
        run(data, demo)


def test_results_without_a_category_take_the_default_sphere(demo):
    cells = table()
    for column in ("category/name/en", "category/name/ru", "category/name/kk"):
        cells[4][cells[0].index(column)] = ""
    data = write(cells)
    with pytest.raises(DecidimRefused) as refused:
        run(data, demo)
    assert refused.value.problems[0].startswith("row 5, column category/name/en: no category")
    run(data, demo, sphere_code="heat")
    assert Measure.objects.get(plan=demo, code="DEC-420").sphere.code == "heat"


def test_as_of_dates_the_reports_and_comma_separated_files_with_a_bom_work(demo):
    text = sample().replace("updated_at", "modified_at")  # an older export without updated_at
    with pytest.raises(DecidimRefused, match="give the date of the export with --as-of"):
        run(text, demo)
    data = "\ufeff" + write(list(csv.reader(io.StringIO(text), delimiter=";")), delimiter=",")
    run(data, demo, as_of=dt.date(2025, 11, 1), prefix="DCM-")
    assert Report.objects.get(measure__code="DCM-412").period_end == dt.date(2025, 11, 1)


def test_refusals_before_reading_rows(demo):
    with pytest.raises(DecidimRefused, match="there is no agency 'NOPE'"):
        run(SAMPLE.read_bytes(), demo, agency_code="NOPE")
    with pytest.raises(DecidimRefused, match="not a Decidim accountability results export: missing column"):
        run("code;name\n1;x\n", demo)
    with pytest.raises(DecidimRefused, match="not UTF-8"):
        run("id;title/ru\n1;Вода\n".encode("cp1251"), demo)
    with pytest.raises(DecidimRefused, match="no results"):
        run(rows()[0] + "\n", demo)


def test_plain_text():
    assert (
        plain_text("<p>Обеспечить&nbsp;город водой &amp; теплом.</p>\n<p>Два</p>")
        == "Обеспечить город водой & теплом. Два"
    )


def test_the_import_command(demo, tmp_path):
    out = io.StringIO()
    call_command("import_decidim", str(SAMPLE), "--plan", demo.code, "--agency", "AKIMAT", stdout=out)
    assert "6 results imported into plan MNG-URGENT-2024" in out.getvalue()
    out = io.StringIO()
    call_command("import_decidim", str(SAMPLE), "--plan", demo.code, "--agency", "AKIMAT", stdout=out)
    assert "nothing changed" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(edit(2, "progress", "-5"), encoding="utf-8")
    with pytest.raises(CommandError, match="row 2, column progress: must be between 0 and 100"):
        call_command("import_decidim", str(bad), "--plan", demo.code, "--agency", "AKIMAT")
